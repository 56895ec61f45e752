using System.Globalization;
using Buurtcentra.Web.Features.Planning.Rounds;
using Dapper;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Wishes;

public sealed record WishOptionRow(long WishId, int Rank, long? RoomId, string? RoomName, int Weekday, TimeOnly EarliestStart, TimeOnly LatestStart)
{
    /// <summary>"dinsdag om 19:30, Grote zaal" or "dinsdag, begin tussen 19:00 en 20:00, elke passende ruimte".</summary>
    public string Text => $"{RoundText.Weekday(Weekday)}{(EarliestStart == LatestStart
        ? $" om {RoundText.Time(EarliestStart)}"
        : $", begin tussen {RoundText.Time(EarliestStart)} en {RoundText.Time(LatestStart)}")}, {RoomName ?? "elke passende ruimte"}";
}

/// <summary>A wish in a list, with its options.</summary>
public sealed record WishSummary(long Id, long RoundId, long CentreId, string CentreName, long? OrganisationId, string GroupName, string? ContactEmail,
    string Activity, string Category, string Frequency, int DurationMinutes, int Participants, string Status, string? ContinuityAnswer, DateTime UpdatedAt)
{
    public IReadOnlyList<WishOptionRow> Options { get; init; } = [];
    public bool IsContinuity => ContinuityAnswer is not null;
    public bool IsWithdrawn => Status == "ingetrokken";
    public string Summary => $"{RoundText.Frequency(Frequency)}, {RoundText.Duration(DurationMinutes)}, {Participants} {(Participants == 1 ? "persoon" : "personen")}";

    public const string SelectSql = """
        select w.id, w.round_id, w.centre_id, c.name as centre_name, w.organisation_id, w.group_name, w.contact_email, w.activity, w.category,
               w.frequency, w.duration_minutes, w.participants, w.status, w.continuity_answer, w.updated_at
        from planning_wishes w join centres c on c.id = w.centre_id
        """;

    /// <summary>Adds the options (in rank order) to each wish.</summary>
    public static async Task<IReadOnlyList<WishSummary>> WithOptionsAsync(NpgsqlConnection connection, IEnumerable<WishSummary> wishes)
    {
        var list = wishes.ToList();
        if (list.Count == 0) return list;
        var options = (await connection.QueryAsync<WishOptionRow>("""
            select o.wish_id, o.rank::int as rank, o.room_id, r.name as room_name, o.weekday::int as weekday, o.earliest_start, o.latest_start
            from planning_wish_options o left join rooms r on r.id = o.room_id
            where o.wish_id = any(@ids) order by o.wish_id, o.rank
            """, new { ids = list.Select(w => w.Id).ToArray() })).ToLookup(o => o.WishId);
        return list.Select(w => w with { Options = options[w.Id].ToList() }).ToList();
    }
}

/// <summary>The filter of the beheerder's wish list (query string).</summary>
public sealed class WishFilter
{
    public long? Buurtcentrum { get; set; }
    public string? Soort { get; set; }
    /// <summary>ingediend (default), ingetrokken, alle.</summary>
    public string? Status { get; set; }
    /// <summary>"ja": only continuity wishes (doorgerold).</summary>
    public string? Doorgerold { get; set; }

    public string StatusOrDefault => Status is "ingetrokken" or "alle" ? Status : "ingediend";
}

public sealed record WishListPage(RoundHeader Round, WishFilter Filter, IReadOnlyList<WishSummary> Wishes, IReadOnlyList<SelectListItem> Centres, string? Error);

/// <summary>The wishes of a round in the centres the beheerder manages, filtered by centre, category and status.</summary>
public sealed class WishListQuery(NpgsqlDataSource dataSource)
{
    public async Task<WishListPage> LoadAsync(RoundHeader round, WishFilter filter, string? error)
    {
        var centreIds = round.ManagedCentreIds.ToArray();
        if (filter.Buurtcentrum is { } only && centreIds.Contains(only)) centreIds = [only];
        var category = RoundText.IsCategory(filter.Soort) ? filter.Soort : null;
        var status = filter.StatusOrDefault;
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<WishSummary>($"""
            {WishSummary.SelectSql}
            where w.round_id = @roundId and w.centre_id = any(@centreIds)
              and (@category::text is null or w.category = @category)
              and (@status = 'alle' or w.status = @status)
              and (not @continuityOnly or w.continuity_answer is not null)
            order by c.name, lower(w.group_name), lower(w.activity), w.id
            """, new { roundId = round.Id, centreIds, category, status, continuityOnly = filter.Doorgerold == "ja" });
        var wishes = await WishSummary.WithOptionsAsync(connection, rows);
        var centres = round.ManagedCentres.Select(c => new SelectListItem(c.Name, c.Id.ToString(CultureInfo.InvariantCulture))).ToList();
        return new WishListPage(round, filter, wishes, centres, error);
    }
}
