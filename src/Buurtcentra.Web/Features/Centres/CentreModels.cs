using System.Data;
using System.Globalization;
using Dapper;

namespace Buurtcentra.Web.Features.Centres;

/// <summary>A code from a lookup table (facility, accessibility feature, room type) with its Dutch name.</summary>
public sealed record CodeName(string Code, string Name);

/// <summary>An active centre as the public sees it, with its active rooms, opening hours and closure days.</summary>
public sealed record Centre(
    long Id, string Name, string Slug, string Street, string Postcode, string City,
    int WijkId, string WijkName, string SmoName, string? Email, string? Phone, string? Description,
    IReadOnlyList<Room> Rooms, IReadOnlyList<OpeningPeriod> OpeningHours, IReadOnlyList<Closure> Closures)
{
    public int? MaxCapacity => Rooms.Count == 0 ? null : Rooms.Max(r => r.Capacity);

    public IEnumerable<OpeningPeriod> HoursOn(int weekday) => OpeningHours.Where(h => h.Weekday == weekday);

    /// <summary>The closure that covers <paramref name="date"/>, if any.</summary>
    public Closure? ClosureOn(DateOnly date) => Closures.FirstOrDefault(c => c.StartsOn <= date && date <= c.EndsOn);
}

public sealed record Room(
    long Id, string Name, CodeName Type, int Capacity, int? AreaM2, string? Floor, string? Description,
    IReadOnlyList<CodeName> Facilities, IReadOnlyList<CodeName> Accessibility, bool MatchesFilter);

/// <summary>One opening period on an ISO weekday (1 = maandag ... 7 = zondag), local time.</summary>
public sealed record OpeningPeriod(int Weekday, TimeOnly Opens, TimeOnly Closes)
{
    public string Text => $"{Weekdays.Time(Opens)} tot {Weekdays.Time(Closes)} uur";
}

/// <summary>A closure day or period; <see cref="CityWide"/> when it applies to all buurtcentra.</summary>
public sealed record Closure(DateOnly StartsOn, DateOnly EndsOn, string Kind, string Reason, bool CityWide)
{
    private static readonly CultureInfo Dutch = new("nl-NL");

    public string PeriodText => StartsOn == EndsOn
        ? StartsOn.ToString("dddd d MMMM yyyy", Dutch)
        : $"{StartsOn.ToString("dddd d MMMM yyyy", Dutch)} tot en met {EndsOn.ToString("dddd d MMMM yyyy", Dutch)}";

    public string KindText => Kind switch
    {
        "feestdag" => "Feestdag",
        "vakantiesluiting" => "Vakantiesluiting",
        _ => "Gesloten",
    };
}

public static class Weekdays
{
    public static readonly IReadOnlyList<string> Names = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
    public static readonly IReadOnlyList<string> Short = ["ma", "di", "wo", "do", "vr", "za", "zo"];

    /// <summary>ISO weekday: 1 = maandag ... 7 = zondag.</summary>
    public static int Iso(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;

    public static string Name(int weekday) => Names[weekday - 1];

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// The room filter of a search: a centre matches when ONE of its active rooms meets all given conditions.
/// </summary>
public sealed record RoomFilter(int? Capacity, string? Facility, string? Accessibility)
{
    public static readonly RoomFilter None = new(null, null, null);

    public bool IsActive => Capacity is not null || Facility is not null || Accessibility is not null;

    /// <summary>True when the room meets every given condition; every room matches an empty filter.</summary>
    public bool Matches(int capacity, IEnumerable<string> facilities, IEnumerable<string> accessibility) =>
        (Capacity is null || capacity >= Capacity)
        && (Facility is null || facilities.Contains(Facility, StringComparer.Ordinal))
        && (Accessibility is null || accessibility.Contains(Accessibility, StringComparer.Ordinal));
}

/// <summary>
/// Loads centres with their rooms, opening hours and closure days in two round trips: the centres, then one
/// batch with rooms (facilities and accessibility as arrays), opening hours and closures for all those centres.
/// Used by both the list and the detail query, so pages and API show the same data.
/// </summary>
internal static class CentreLoader
{
    private const string CentreColumns = """
        c.id, c.name, c.slug, c.street, c.postcode, c.city, c.wijk_id::int as wijk_id, w.name as wijk_name,
        o.name as smo_name, c.email, c.phone, c.description
        """;

    public const string CentresFrom = $"""
        select {CentreColumns}
        from centres c
        join wijken w on w.id = c.wijk_id
        join organisations o on o.id = c.smo_id
        """;

    private sealed record CentreRow(long Id, string Name, string Slug, string Street, string Postcode, string City,
        int WijkId, string WijkName, string SmoName, string? Email, string? Phone, string? Description);

    // A class, not a positional record: Dapper reports text[] columns as System.Array and finds no matching constructor.
    private sealed class RoomRow
    {
        public long Id { get; init; }
        public long CentreId { get; init; }
        public string Name { get; init; } = "";
        public string RoomType { get; init; } = "";
        public string RoomTypeName { get; init; } = "";
        public int Capacity { get; init; }
        public int? AreaM2 { get; init; }
        public string? Floor { get; init; }
        public string? Description { get; init; }
        public string[] FacilityCodes { get; init; } = [];
        public string[] FacilityNames { get; init; } = [];
        public string[] AccessibilityCodes { get; init; } = [];
        public string[] AccessibilityNames { get; init; } = [];
    }

    private sealed record HoursRow(long CentreId, int Weekday, TimeOnly OpensAt, TimeOnly ClosesAt);

    private sealed record ClosureRow(long? CentreId, DateOnly StartsOn, DateOnly EndsOn, string Kind, string Reason);

    /// <summary>Runs the centre query (which must select from <see cref="CentresFrom"/>) and loads the rest for its rows.</summary>
    public static async Task<IReadOnlyList<Centre>> LoadAsync(IDbConnection connection, string centreSql, object parameters,
        RoomFilter filter, DateOnly closuresFrom, DateOnly closuresTo)
    {
        var centres = (await connection.QueryAsync<CentreRow>(centreSql, parameters)).ToList();
        if (centres.Count == 0) return [];
        var ids = centres.Select(c => c.Id).ToArray();

        await using var batch = await connection.QueryMultipleAsync("""
            select r.id, r.centre_id, r.name, r.room_type, rt.name as room_type_name, r.capacity, r.area_m2, r.floor, r.description,
                   coalesce(f.codes, '{}') as facility_codes, coalesce(f.names, '{}') as facility_names,
                   coalesce(a.codes, '{}') as accessibility_codes, coalesce(a.names, '{}') as accessibility_names
            from rooms r
            join room_types rt on rt.code = r.room_type
            left join lateral (
                select array_agg(fa.code order by fa.sort_order) as codes, array_agg(fa.name order by fa.sort_order) as names
                from room_facilities rf join facilities fa on fa.code = rf.facility_code
                where rf.room_id = r.id) f on true
            left join lateral (
                select array_agg(af.code order by af.sort_order) as codes, array_agg(af.name order by af.sort_order) as names
                from room_accessibility ra join accessibility_features af on af.code = ra.feature_code
                where ra.room_id = r.id) a on true
            where r.active and r.centre_id = any(@ids)
            order by r.centre_id, rt.sort_order, r.name;

            select centre_id, weekday::int as weekday, opens_at, closes_at
            from opening_hours
            where centre_id = any(@ids)
            order by centre_id, weekday, opens_at;

            select centre_id, starts_on, ends_on, kind, reason
            from closure_days
            where (centre_id is null or centre_id = any(@ids)) and ends_on >= @from and starts_on <= @to
            order by starts_on, ends_on, reason;
            """, new { ids, from = closuresFrom, to = closuresTo });

        var rooms = (await batch.ReadAsync<RoomRow>()).ToLookup(r => r.CentreId);
        var hours = (await batch.ReadAsync<HoursRow>()).ToLookup(h => h.CentreId);
        var closures = (await batch.ReadAsync<ClosureRow>()).ToList();

        return centres.Select(c => new Centre(
            c.Id, c.Name, c.Slug, c.Street, c.Postcode, c.City, c.WijkId, c.WijkName, c.SmoName, c.Email, c.Phone, c.Description,
            rooms[c.Id].Select(r => new Room(r.Id, r.Name, new CodeName(r.RoomType, r.RoomTypeName), r.Capacity, r.AreaM2, r.Floor,
                    r.Description, Zip(r.FacilityCodes, r.FacilityNames), Zip(r.AccessibilityCodes, r.AccessibilityNames),
                    filter.Matches(r.Capacity, r.FacilityCodes, r.AccessibilityCodes)))
                .ToList(),
            hours[c.Id].Select(h => new OpeningPeriod(h.Weekday, h.OpensAt, h.ClosesAt)).ToList(),
            closures.Where(x => x.CentreId is null || x.CentreId == c.Id)
                .Select(x => new Closure(x.StartsOn, x.EndsOn, x.Kind, x.Reason, x.CentreId is null))
                .ToList()))
            .ToList();
    }

    private static List<CodeName> Zip(string[] codes, string[] names) =>
        codes.Zip(names, (code, name) => new CodeName(code, name)).ToList();
}
