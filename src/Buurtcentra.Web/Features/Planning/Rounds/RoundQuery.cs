using System.Globalization;
using Buurtcentra.Web.Features.Reservations;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

public sealed record RoundCentre(long Id, string Name);

/// <summary>
/// A planningsronde as the screens need it, with what the signed-in person may do with it: look (they manage at
/// least one of its centres) or change (they manage all of them).
/// </summary>
public sealed record RoundHeader(long Id, string Name, DateOnly SeasonStart, DateOnly SeasonEnd, DateOnly? WishesDeadline, string Phase,
    long? RolledFromRoundId, IReadOnlyList<RoundCentre> Centres)
{
    public IReadOnlySet<long> ManagedCentreIds { get; init; } = new HashSet<long>();

    /// <summary>Round data, phases, closures and policy: only for someone who manages every centre of the round.</summary>
    public bool CanChange => Centres.Count > 0 && Centres.All(c => ManagedCentreIds.Contains(c.Id));

    public bool Manages(long centreId) => ManagedCentreIds.Contains(centreId);

    public IReadOnlyList<RoundCentre> ManagedCentres => Centres.Where(c => ManagedCentreIds.Contains(c.Id)).ToList();

    /// <summary>Name, season, deadline and centres can be changed while the round is still a concept.</summary>
    public bool IsConcept => Phase == RoundPhase.Concept;

    /// <summary>The priority policy may change until the plan is adopted.</summary>
    public bool PolicyEditable => RoundPhase.Index(Phase) < RoundPhase.Index(RoundPhase.Adopted);

    /// <summary>The beheerder adds, changes and withdraws wishes on a group's behalf until the plan is adopted.</summary>
    public bool StaffMayEditWishes => RoundPhase.Index(Phase) < RoundPhase.Index(RoundPhase.Adopted);

    /// <summary>Closure periods matter for publishing; they can be corrected until the round is published.</summary>
    public bool ClosuresEditable => Phase != RoundPhase.Published;

    /// <summary>Groups hand in, change and withdraw their own wishes while the round is open and the deadline has not passed.</summary>
    public bool GroupsMaySubmit(DateOnly today) => RoundPhase.AcceptsWishes(Phase) && (WishesDeadline is null || today <= WishesDeadline);

    public string Season => RoundText.Period(SeasonStart, SeasonEnd);
}

/// <summary>Loads rounds for the planning screens; the staff variant answers null (404) for a round the person may not see.</summary>
public sealed class RoundQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    /// <returns>The round, or null when it does not exist or the person manages none of its centres.</returns>
    public async Task<RoundHeader?> ForStaffAsync(long roundId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var round = await LoadAsync(connection, roundId);
        if (round is null) return null;
        var manageable = await access.ManageableCentreIdsAsync();
        var managed = round.Centres.Select(c => c.Id).Where(manageable.Contains).ToHashSet();
        return managed.Count == 0 ? null : round with { ManagedCentreIds = managed };
    }

    /// <summary>The round without any access check (group-facing pages decide themselves what they show).</summary>
    public async Task<RoundHeader?> LoadAsync(long roundId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await LoadAsync(connection, roundId);
    }

    private sealed record RoundRow(long Id, string Name, DateOnly SeasonStart, DateOnly SeasonEnd, DateOnly? WishesDeadline, string Phase, long? RolledFromRoundId);

    public static async Task<RoundHeader?> LoadAsync(NpgsqlConnection connection, long roundId, NpgsqlTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RoundRow>("""
            select id, name, season_start, season_end, wishes_deadline, phase, rolled_from_round_id
            from planning_rounds where id = @roundId
            """, new { roundId }, transaction);
        if (row is null) return null;
        var centres = await connection.QueryAsync<RoundCentre>("""
            select c.id, c.name from planning_round_centres rc join centres c on c.id = rc.centre_id
            where rc.round_id = @roundId order by c.name
            """, new { roundId }, transaction);
        return new RoundHeader(row.Id, row.Name, row.SeasonStart, row.SeasonEnd, row.WishesDeadline, row.Phase, row.RolledFromRoundId, centres.ToList());
    }
}

/// <summary>The words and formats the planning screens share.</summary>
public static class RoundText
{
    public static readonly CultureInfo Dutch = new("nl-NL");

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Dutch);

    public static string LongDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", Dutch);

    public static string Period(DateOnly from, DateOnly until) =>
        from == until ? Date(from) : $"{Date(from)} tot en met {Date(until)}";

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string DateTime(DateTime utc)
    {
        var local = Infrastructure.Time.AmsterdamTime.ToLocal(new DateTimeOffset(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
        return local.ToString("d MMMM yyyy 'om' HH:mm", Dutch);
    }

    private static readonly string[] WeekdayNames = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

    public static string Weekday(int isoWeekday) => isoWeekday is >= 1 and <= 7 ? WeekdayNames[isoWeekday - 1] : "?";

    public static string WeekdayCapitalised(int isoWeekday) => Capitalise(Weekday(isoWeekday));

    public static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public static IReadOnlyList<(string Code, string Name)> Categories => ReservationForm.Categories;

    public static string Category(string code) => ReservationForm.CategoryName(code);

    public static bool IsCategory(string? code) => Categories.Any(c => c.Code == code);

    public static readonly IReadOnlyList<(string Code, string Name)> Frequencies =
        [("wekelijks", "Elke week"), ("tweewekelijks", "Om de week"), ("maandelijks", "Eén keer per maand")];

    public static string Frequency(string code) => Frequencies.FirstOrDefault(f => f.Code == code).Name ?? code;

    /// <summary>"1 uur en 30 minuten", "45 minuten", "2 uur".</summary>
    public static string Duration(int minutes)
    {
        var (hours, rest) = (minutes / 60, minutes % 60);
        if (hours == 0) return $"{rest} minuten";
        return rest == 0 ? $"{hours} uur" : $"{hours} uur en {rest} minuten";
    }

    public static string ContinuityAnswer(string? answer, string status) => status == "ingetrokken" ? "Ingetrokken" : answer switch
    {
        "open" => "Nog geen antwoord",
        "bevestigd" => "Bevestigd",
        "gewijzigd" => "Gewijzigd",
        _ => "",
    };

    public static string WishStatus(string status) => status == "ingetrokken" ? "Ingetrokken" : "Ingediend";
}
