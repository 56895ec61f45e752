using Buurtcentra.Web.Features.Agenda;
using Buurtcentra.Web.Features.Reservations;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Programme;

public sealed record ProgrammeCentre(long Id, string Name, string Slug);

public sealed record ProgrammeWijk(int Id, string Name, string Slug);

public sealed record CentreProgrammePage(ProgrammeCentre Centre, string WijkName, string WijkSlug, ProgrammeSchedule Schedule);

public sealed record WijkProgrammePage(ProgrammeWijk Wijk, IReadOnlyList<ProgrammeCentre> Centres, ProgrammeSchedule Schedule);

/// <summary>
/// The public programme of one centre or one wijk: confirmed occurrences of reservations that are on the programme
/// (is_public) and start in the window, with activity, room and target groups only. A booking stays confirmed when its
/// room goes out of use (Meldingen, decision 0008) until the beheerder moves or cancels it; until then the programme says
/// that it cannot take place there, instead of inviting people to it. The SELECT never reads contact,
/// organisation, e-mail or phone columns (AVG). One round trip per page; the occurrence scan is bounded on the
/// partial index occurrences_confirmed_start_idx (blocked_from, status = 'bevestigd'): an activity starts at most
/// one buffer after blocked_from, so blocked_from in (from - 32 h, to) loses nothing (see Occurrences.MaxBlockedSpan).
/// Unknown slugs and inactive centres give null (404).
/// </summary>
public sealed class ProgrammeQuery(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string ItemColumns = """
        o.id as occurrence_id, c.id as centre_id, c.name as centre_name, c.slug as centre_slug,
        r.activity, m.name as room_name, o.starts_at, o.ends_at,
        array(select t.name from target_groups t where t.code = any(r.target_groups) order by t.sort_order) as target_groups,
        exists (select 1 from room_out_of_use u
                where u.room_id = o.room_id and u.cancelled_at is null
                  and u.starts_at < o.blocked_until and u.ends_at > o.blocked_from) as room_out_of_use
        """;

    private const string ItemsFrom = $"""
        from occurrences o
        join rooms m on m.id = o.room_id
        join centres c on c.id = m.centre_id
        join reservations r on r.id = o.reservation_id
        where o.status = 'bevestigd' and r.is_public and c.active
          and o.blocked_from < @to and o.blocked_from > @from - {Occurrences.MaxBlockedSpan}
          and o.starts_at >= @from and o.starts_at < @to
        """;

    public async Task<CentreProgrammePage?> ForCentreAsync(string slug, string? week)
    {
        var (today, pick, from, to) = Window(week);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = await connection.QueryMultipleAsync($"""
            select c.id, c.name, c.slug, w.name as wijk_name, w.slug as wijk_slug
            from centres c join wijken w on w.id = c.wijk_id
            where c.slug = @slug and c.active;

            select {ItemColumns}
            {ItemsFrom}
              and c.slug = @slug
            order by o.starts_at, m.name, o.id;
            """, new { slug, from, to });
        var centre = await batch.ReadSingleOrDefaultAsync<(long Id, string Name, string Slug, string WijkName, string WijkSlug)>();
        var items = (await batch.ReadAsync<ProgrammeItem>()).ToList();
        if (centre == default) return null;
        return new CentreProgrammePage(new ProgrammeCentre(centre.Id, centre.Name, centre.Slug), centre.WijkName, centre.WijkSlug,
            ProgrammeSchedule.Build(pick, today, items));
    }

    public async Task<WijkProgrammePage?> ForWijkAsync(string slug, string? week)
    {
        var (today, pick, from, to) = Window(week);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = await connection.QueryMultipleAsync($"""
            select id::int as id, name, slug from wijken where slug = @slug;

            select c.id, c.name, c.slug from centres c join wijken w on w.id = c.wijk_id
            where w.slug = @slug and c.active
            order by c.name;

            select {ItemColumns}
            {ItemsFrom}
              and c.wijk_id = (select id from wijken where slug = @slug)
            order by o.starts_at, c.name, m.name, o.id;
            """, new { slug, from, to });
        var wijk = await batch.ReadSingleOrDefaultAsync<ProgrammeWijk>();
        var centres = (await batch.ReadAsync<ProgrammeCentre>()).ToList();
        var items = (await batch.ReadAsync<ProgrammeItem>()).ToList();
        return wijk is null ? null : new WijkProgrammePage(wijk, centres, ProgrammeSchedule.Build(pick, today, items));
    }

    private (DateOnly Today, WeekPick Pick, DateTime From, DateTime To) Window(string? week)
    {
        var today = AmsterdamTime.Today(time);
        var pick = WeekPick.From(week, today);
        var window = new AgendaWindow(pick.Monday, 7 * ProgrammeSchedule.WeekCount);
        return (today, pick, window.FromUtc.UtcDateTime, window.ToUtc.UtcDateTime);
    }
}

public sealed record WijkSummary(int Id, string Name, string Slug, IReadOnlyList<ProgrammeCentre> Centres);

/// <summary>All wijken with their active centres, for /wijken. One round trip.</summary>
public sealed class WijkenQuery(NpgsqlDataSource dataSource)
{
    private sealed record Row(int WijkId, string WijkName, string WijkSlug, long? Id, string? Name, string? Slug);

    public async Task<IReadOnlyList<WijkSummary>> GetAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<Row>("""
            select w.id::int as wijk_id, w.name as wijk_name, w.slug as wijk_slug, c.id, c.name, c.slug
            from wijken w
            left join centres c on c.wijk_id = w.id and c.active
            order by w.name, c.name
            """);
        return rows.GroupBy(r => (r.WijkId, r.WijkName, r.WijkSlug))
            .Select(g => new WijkSummary(g.Key.WijkId, g.Key.WijkName, g.Key.WijkSlug,
                g.Where(r => r.Id is not null).Select(r => new ProgrammeCentre(r.Id!.Value, r.Name!, r.Slug!)).ToList()))
            .ToList();
    }
}
