using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Agenda;

public sealed record AgendaCentre(long Id, string Name, string Slug, bool Active);

public sealed record AgendaRoom(long Id, string Name, int Capacity, bool Active);

public sealed record AgendaOpening(int Weekday, TimeOnly OpensAt, TimeOnly ClosesAt);

public sealed record AgendaClosure(DateOnly StartsOn, DateOnly EndsOn, string Reason);

/// <summary>An occurrence with what staff may read about it. Instants are UTC (Dapper reads timestamptz as DateTime, Kind UTC).</summary>
public sealed record OccurrenceRow(long ReservationId, long RoomId, DateTime StartsAt, DateTime EndsAt, DateTime BlockedFrom,
    DateTime BlockedUntil, string Status, string Activity, string? OrganisationName, string ContactName, string? ContactPhone,
    bool NeedsKey, int Participants);

/// <summary>A confirmed occupancy without any detail: the only thing the public side ever reads.</summary>
public sealed record BusyRow(long RoomId, DateTime BlockedFrom, DateTime BlockedUntil);

/// <summary>Everything an overview needs for one centre and one window, read in one round trip.</summary>
public sealed record AgendaSnapshot<TRow>(AgendaCentre Centre, IReadOnlyList<AgendaRoom> Rooms, IReadOnlyList<AgendaOpening> OpeningHours,
    IReadOnlyList<AgendaClosure> Closures, IReadOnlyList<TRow> Occurrences)
{
    /// <summary>The reasons the centre is closed on that day (city-wide and its own closures); empty when open.</summary>
    public IReadOnlyList<string> ClosedOn(DateOnly day) =>
        Closures.Where(c => c.StartsOn <= day && c.EndsOn >= day).Select(c => c.Reason).Distinct().ToList();

    public IReadOnlyList<AgendaOpening> HoursOn(DateOnly day) =>
        OpeningHours.Where(h => h.Weekday == AgendaDates.IsoWeekday(day)).OrderBy(h => h.OpensAt).ToList();
}

/// <summary>
/// Reads a centre, its rooms, opening hours, closures and the occurrences in a window in ONE batch.
/// The occurrence queries are bounded on both sides so that they use the btree indexes, never a scan over years of
/// history (see docs/overzichten.md):
/// <list type="bullet">
/// <item>by activity time through <c>occurrences_room_start_idx (room_id, starts_at)</c>: an activity lasts at most
/// 24 hours (CHECK on occurrences), so <c>starts_at &gt; from - 24 h</c> loses nothing;</item>
/// <item>by occupied time through <c>occurrences_confirmed_start_idx (blocked_from) where status = 'bevestigd'</c>:
/// set-up and clean-up are at most 240 minutes each (CHECK on rooms), so a block lasts at most 32 hours.</item>
/// </list>
/// </summary>
public static class AgendaLoader
{
    public static readonly TimeSpan MaxActivity = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxBuffer = TimeSpan.FromMinutes(240);
    public static readonly TimeSpan MaxBlocked = MaxActivity + MaxBuffer + MaxBuffer;

    private const string DetailColumns = """
        o.reservation_id, o.room_id, o.starts_at, o.ends_at, o.blocked_from, o.blocked_until, o.status,
        r.activity, g.name as organisation_name, r.contact_name, r.contact_phone, r.needs_key, r.participants
        """;

    /// <summary>Confirmed and/or pending occurrences whose activity overlaps the window, with reservation details (staff).</summary>
    public const string ByActivityWithDetails = $"""
        select {DetailColumns}
        from rooms m
        join occurrences o on o.room_id = m.id
        join reservations r on r.id = o.reservation_id
        left join organisations g on g.id = r.organisation_id
        where m.centre_id = @centreId
          and o.status = any(@statuses)
          and o.starts_at < @to and o.starts_at > @earliestStart and o.ends_at > @from
        order by o.starts_at, m.name, o.id;
        """;

    /// <summary>Confirmed occupancy (set-up and clean-up included) overlapping the window; no details at all (public).</summary>
    public const string BusyOnly = """
        select o.room_id, o.blocked_from, o.blocked_until
        from occurrences o
        where o.status = 'bevestigd'
          and o.blocked_from < @to and o.blocked_from > @earliestBlocked and o.blocked_until > @from
          and o.room_id in (select id from rooms where centre_id = @centreId)
        order by o.blocked_from, o.room_id;
        """;

    /// <summary>
    /// Occupied time overlapping the window with details: confirmed rows by the blocked_from index, pending requests by
    /// the room/start index (they are not in the partial index). For staff callers of the API.
    /// </summary>
    public const string BusyWithDetails = $"""
        select * from (
            select {DetailColumns}
            from occurrences o
            join rooms m on m.id = o.room_id
            join reservations r on r.id = o.reservation_id
            left join organisations g on g.id = r.organisation_id
            where m.centre_id = @centreId and o.status = 'bevestigd'
              and o.blocked_from < @to and o.blocked_from > @earliestBlocked and o.blocked_until > @from
            union all
            select {DetailColumns}
            from rooms m
            join occurrences o on o.room_id = m.id
            join reservations r on r.id = o.reservation_id
            left join organisations g on g.id = r.organisation_id
            where m.centre_id = @centreId and o.status = 'aangevraagd'
              and o.starts_at < @latestStart and o.starts_at > @earliestPendingStart
              and o.blocked_from < @to and o.blocked_until > @from
        ) x
        order by blocked_from, room_id, status, reservation_id;
        """;

    public static async Task<AgendaSnapshot<TRow>?> LoadAsync<TRow>(NpgsqlConnection connection, long centreId, AgendaWindow window,
        string occurrenceSql, string[]? statuses = null)
    {
        var from = window.FromUtc.UtcDateTime;
        var to = window.ToUtc.UtcDateTime;
        await using var batch = await connection.QueryMultipleAsync($"""
            select id, name, slug, active from centres where id = @centreId;

            select id, name, capacity, active from rooms where centre_id = @centreId order by name, id;

            select weekday::int as weekday, opens_at, closes_at from opening_hours where centre_id = @centreId order by weekday, opens_at;

            select starts_on, ends_on, reason from closure_days
            where (centre_id = @centreId or centre_id is null) and starts_on <= @lastDay and ends_on >= @firstDay
            order by starts_on, reason;

            {occurrenceSql}
            """, new
        {
            centreId, from, to, statuses = statuses ?? ["bevestigd"],
            firstDay = window.FirstDay, lastDay = window.LastDay,
            earliestStart = from - MaxActivity,
            earliestBlocked = from - MaxBlocked,
            earliestPendingStart = from - MaxActivity - MaxBuffer,
            latestStart = to + MaxBuffer,
        });

        var centre = await batch.ReadSingleOrDefaultAsync<AgendaCentre>();
        var rooms = (await batch.ReadAsync<AgendaRoom>()).ToList();
        var hours = (await batch.ReadAsync<AgendaOpening>()).ToList();
        var closures = (await batch.ReadAsync<AgendaClosure>()).ToList();
        var occurrences = (await batch.ReadAsync<TRow>()).ToList();
        return centre is null ? null : new AgendaSnapshot<TRow>(centre, rooms, hours, closures, occurrences);
    }

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
