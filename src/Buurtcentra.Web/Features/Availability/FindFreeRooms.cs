using System.Globalization;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Availability;

/// <summary>
/// The outcome of a search: per centre (nearest first, or by name) the rooms with their free slots. TooSoon and TooFar:
/// searched dates left out in at least one centre because the request form would refuse them for this user.
/// </summary>
public sealed record FreeRoomsResult(FreeRoomsSearch Search, IReadOnlyList<FreeCentre> Centres, LeftOutDates? TooSoon = null, LeftOutDates? TooFar = null)
{
    public int RoomCount => Centres.Sum(c => c.Rooms.Count);
}

/// <summary>
/// Searched dates not offered in some centres: within the lead time (lead_time_days, "te kort dag") or beyond the horizon
/// (horizon_days, "te ver vooruit"). MinDays/MaxDays: the range of that setting over the centres that left a date out.
/// </summary>
public sealed record LeftOutDates(IReadOnlyList<DateOnly> Dates, int MinDays, int MaxDays);

public sealed record FreeCentre(
    long Id, string Slug, string Name, int WijkId, string WijkName, double? DistanceKm, IReadOnlyList<FreeRoom> Rooms)
{
    public string Url => $"/buurtcentra/{Slug}";
}

public sealed record FreeRoom(
    long Id, string Name, CodeOption Type, int Capacity, IReadOnlyList<CodeOption> Facilities, IReadOnlyList<FreeDay> Days)
{
    public IEnumerable<FreeSlot> Slots => Days.SelectMany(d => d.Slots);

    public DateTimeOffset? EarliestStart => Slots.Select(s => (DateTimeOffset?)s.Start).FirstOrDefault();
}

/// <summary>The free slots of a room on one local date.</summary>
public sealed record FreeDay(DateOnly Date, IReadOnlyList<FreeSlot> Slots);

/// <summary>
/// A free interval of a room, in Utrecht local time with offset: any activity of the searched duration that starts on a
/// quarter hour between Start and End - duration fits. The request link proposes the earliest one.
/// </summary>
public sealed record FreeSlot(long RoomId, DateTimeOffset Start, DateTimeOffset End, int DurationMinutes)
{
    private static string Hm(DateTimeOffset t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"13:00–17:00"</summary>
    public string Text => $"{Hm(Start)}–{Hm(End)}";

    public DateTimeOffset ProposedEnd => LocalClock.ToAmsterdam(Start.AddMinutes(DurationMinutes));

    /// <summary>The request form (built elsewhere), filled in with this room, date and the earliest start.</summary>
    public string RequestUrl => string.Create(CultureInfo.InvariantCulture,
        $"/reserveren/nieuw?ruimte={RoomId}&datum={Start:yyyy-MM-dd}&van={Hm(Start)}&tot={Hm(ProposedEnd)}");
}

/// <summary>
/// "Vrije ruimte zoeken": rooms in all active centres that are free for the searched dates, time window and duration.
/// Two round trips after the lookups, whatever the number of centres: (1) the rooms that match the filters; (2) one
/// batch with the confirmed occupancy of those rooms on those dates, their centres' opening hours and the closure days.
/// The free-slot arithmetic itself is <see cref="FreeSlots"/>. Call only with a validated form.
/// Like the request form (<c>BookingRules</c>), a date is only offered from today + the centre's lead_time_days (not to
/// people who manage that centre: they may book at short notice; finding out who does is one more query, only when
/// signed in) up to today + its horizon_days (for everyone); the result says which searched dates were left out.
/// </summary>
public sealed class FindFreeRoomsQuery(NpgsqlDataSource dataSource, TimeProvider time, AvailabilityLookupsQuery lookupsQuery, CentreAccess access)
{
    // A class, not a positional record: Dapper reports text[] columns as System.Array and finds no matching constructor.
    private sealed class RoomRow
    {
        public long Id { get; init; }
        public long CentreId { get; init; }
        public string Name { get; init; } = "";
        public string RoomType { get; init; } = "";
        public string RoomTypeName { get; init; } = "";
        public int Capacity { get; init; }
        public int SetupMinutes { get; init; }
        public int CleanupMinutes { get; init; }
        public int LeadTimeDays { get; init; }
        public int HorizonDays { get; init; }
        public string CentreName { get; init; } = "";
        public string CentreSlug { get; init; } = "";
        public int WijkId { get; init; }
        public string WijkName { get; init; } = "";
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string[] FacilityCodes { get; init; } = [];
        public string[] FacilityNames { get; init; } = [];
    }

    private sealed record BusyRow(long RoomId, DateTime BlockedFrom, DateTime BlockedUntil);

    private sealed record HoursRow(long CentreId, int Weekday, TimeOnly OpensAt, TimeOnly ClosesAt);

    private sealed record ClosureRow(long? CentreId, DateOnly StartsOn, DateOnly EndsOn);

    public async Task<FreeRoomsResult> RunAsync(FindFreeRoomsForm form)
    {
        var lookups = await lookupsQuery.GetAsync();
        var now = time.GetUtcNow();
        var today = AmsterdamTime.Today(time);
        var search = form.ToSearch(lookups, today);
        if (search.Dates.Count == 0) return new FreeRoomsResult(search, []);

        await using var connection = await dataSource.OpenConnectionAsync();
        var rooms = (await connection.QueryAsync<RoomRow>(FreeRoomsSql.Rooms,
            new
            {
                participants = search.Participants,
                duration = search.DurationMinutes,
                wijkId = search.Wijk?.Id,
                facilities = search.Facilities.Select(f => f.Code).ToArray(),
                accessibility = search.Accessibility.Select(a => a.Code).ToArray(),
            })).ToList();
        if (rooms.Count == 0) return new FreeRoomsResult(search, []);

        // Per date, the instants that can matter: the local day, widened by the largest buffer on both sides.
        var spans = search.Dates
            .Select(d => new Interval(
                LocalClock.ToUtc(d, 0).AddMinutes(-FreeRoomsSql.LargestBufferMinutes),
                LocalClock.ToUtc(d, LocalClock.MinutesPerDay).AddMinutes(FreeRoomsSql.LargestBufferMinutes)))
            .ToList();

        var parameters = new DynamicParameters(new
        {
            roomIds = rooms.Select(r => r.Id).ToArray(),
            centreIds = rooms.Select(r => r.CentreId).Distinct().ToArray(),
            weekdays = search.Dates.Select(FindFreeRoomsForm.IsoWeekday).Distinct().ToArray(),
            firstDate = search.Dates.Min(),
            lastDate = search.Dates.Max(),
        });
        for (var i = 0; i < spans.Count; i++)
        {
            parameters.Add($"from{i}", spans[i].Start.UtcDateTime);
            parameters.Add($"to{i}", spans[i].End.UtcDateTime);
        }
        await using var batch = await connection.QueryMultipleAsync(FreeRoomsSql.Batch(spans.Count), parameters);
        var busy = (await batch.ReadAsync<BusyRow>())
            .DistinctBy(b => (b.RoomId, b.BlockedFrom, b.BlockedUntil))
            .ToLookup(b => b.RoomId, b => new Interval(Utc(b.BlockedFrom), Utc(b.BlockedUntil)));
        var hours = (await batch.ReadAsync<HoursRow>()).ToLookup(h => (h.CentreId, h.Weekday));
        var closures = (await batch.ReadAsync<ClosureRow>()).ToList();

        var duration = TimeSpan.FromMinutes(search.DurationMinutes);
        var managed = await access.ManageableCentreIdsAsync();
        var tooSoon = new List<(DateOnly Date, int Days)>();
        var tooFar = new List<(DateOnly Date, int Days)>();
        var centres = new List<(FreeCentre Centre, double? Km)>();
        foreach (var group in rooms.GroupBy(r => r.CentreId))
        {
            var first = group.First();
            // The request form's date rules for this user: managers of the centre skip the lead time, nobody the horizon.
            var earliest = managed.Contains(group.Key) ? today : today.AddDays(first.LeadTimeDays);
            var latest = today.AddDays(first.HorizonDays);
            tooSoon.AddRange(search.Dates.Where(d => d < earliest).Select(d => (d, first.LeadTimeDays)));
            tooFar.AddRange(search.Dates.Where(d => d > latest).Select(d => (d, first.HorizonDays)));
            var openDates = search.Dates
                .Where(d => earliest <= d && d <= latest)
                .Where(d => !closures.Any(c => (c.CentreId is null || c.CentreId == group.Key) && c.StartsOn <= d && d <= c.EndsOn))
                .ToList();
            var freeRooms = new List<FreeRoom>();
            foreach (var room in group)
            {
                var days = new List<FreeDay>();
                foreach (var date in openDates)
                {
                    var periods = hours[(group.Key, FindFreeRoomsForm.IsoWeekday(date))].Select(h => new LocalPeriod(h.OpensAt, h.ClosesAt));
                    var free = FreeSlots.ForDay(date, periods, search.FromMinute, search.ToMinute, busy[room.Id], duration,
                        TimeSpan.FromMinutes(room.SetupMinutes), TimeSpan.FromMinutes(room.CleanupMinutes), FreeSlots.DefaultGranularity, now);
                    if (free.Count > 0)
                    {
                        days.Add(new FreeDay(date, free
                            .Select(i => new FreeSlot(room.Id, LocalClock.ToAmsterdam(i.Start), LocalClock.ToAmsterdam(i.End), search.DurationMinutes))
                            .ToList()));
                    }
                }
                if (days.Count > 0)
                {
                    freeRooms.Add(new FreeRoom(room.Id, room.Name, new CodeOption(room.RoomType, room.RoomTypeName), room.Capacity,
                        room.FacilityCodes.Zip(room.FacilityNames, (code, name) => new CodeOption(code, name)).ToList(), days));
                }
            }
            if (freeRooms.Count == 0) continue;
            double? km = search.Near is { HasCoordinates: true } near && first.Latitude is not null && first.Longitude is not null
                ? Distance.Kilometres(near.Latitude!.Value, near.Longitude!.Value, first.Latitude.Value, first.Longitude.Value)
                : null;
            centres.Add((new FreeCentre(group.Key, first.CentreSlug, first.CentreName, first.WijkId, first.WijkName,
                km is null ? null : Math.Round(km.Value, 1), freeRooms), km));
        }

        // Nearest first when there is a reference point (unknown distances last); otherwise by name, as the SQL sorted them.
        var ordered = search.Near is null
            ? centres.Select(x => x.Centre).ToList()
            : centres.Select((x, index) => (x.Centre, x.Km, index))
                .OrderBy(x => x.Km is null).ThenBy(x => x.Km).ThenBy(x => x.index)
                .Select(x => x.Centre).ToList();
        return new FreeRoomsResult(search, ordered, LeftOut(tooSoon), LeftOut(tooFar));
    }

    private static LeftOutDates? LeftOut(List<(DateOnly Date, int Days)> dates) => dates.Count == 0 ? null
        : new LeftOutDates(dates.Select(d => d.Date).Distinct().Order().ToList(), dates.Min(d => d.Days), dates.Max(d => d.Days));

    /// <summary>
    /// Confirmed occupancy in the given spans, one index range per date on occurrences_confirmed_start_idx
    /// (blocked_from) include (room_id, blocked_until, ...) where status = 'bevestigd': blocked_from is bounded on both
    /// sides by the longest possible block, so each date reads about a day and a half of the index (an index-only scan),
    /// never all history. The spans are constants per arm (@from0, @to0, ...) so the planner estimates them exactly;
    /// a join with unnest() made it guess and choose a bitmap scan. The CTE is MATERIALIZED on purpose: with the
    /// room filter pushed into the scan, PostgreSQL likes to combine occurrences_room_start_idx, which reads every
    /// occurrence those rooms ever had (10 years). The SQL text depends only on the number of dates (1 or 4).
    /// </summary>
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>
/// The finder's SQL, named because `make bench` runs the same statements directly to compare (the raw-SQL column).
/// Parameters: rooms: @participants, @duration, @wijkId, @facilities, @accessibility; batch: @roomIds, @centreIds,
/// @weekdays, @firstDate, @lastDate and @from{i}/@to{i} per date (the local day widened by the largest buffer).
/// </summary>
public static class FreeRoomsSql
{
    /// <summary>Longest possible blocked span of an occurrence: 24 h activity + 240 min set-up + 240 min clean-up.</summary>
    private const int LongestBlockHours = 32;

    /// <summary>Largest set-up or clean-up buffer a room can have (rooms.setup_minutes / cleanup_minutes ≤ 240).</summary>
    public const int LargestBufferMinutes = 240;

    // Set-based filters (one aggregate each, hash-joined), not a subquery per room.
    public const string Rooms = """
            with f as (
                select rf.room_id, array_agg(fa.code order by fa.sort_order) as codes, array_agg(fa.name order by fa.sort_order) as names
                from room_facilities rf join facilities fa on fa.code = rf.facility_code
                group by rf.room_id)
            select r.id, r.centre_id, r.name, r.room_type, rt.name as room_type_name, r.capacity,
                   r.setup_minutes, r.cleanup_minutes, c.lead_time_days, c.horizon_days,
                   c.name as centre_name, c.slug as centre_slug, c.wijk_id::int as wijk_id, w.name as wijk_name,
                   coalesce(c.latitude, w.latitude) as latitude, coalesce(c.longitude, w.longitude) as longitude,
                   coalesce(f.codes, '{}') as facility_codes, coalesce(f.names, '{}') as facility_names
            from rooms r
            join centres c on c.id = r.centre_id
            join wijken w on w.id = c.wijk_id
            join room_types rt on rt.code = r.room_type
            left join f on f.room_id = r.id
            where r.active and c.active
              and r.capacity >= @participants
              and r.min_minutes <= @duration and r.max_minutes >= @duration
              and (@wijkId::int is null or c.wijk_id = @wijkId)
              and coalesce(f.codes, '{}') @> @facilities::text[]
              and (cardinality(@accessibility::text[]) = 0 or r.id in (
                    select ra.room_id from room_accessibility ra where ra.feature_code = any(@accessibility::text[])
                    group by ra.room_id having count(*) = cardinality(@accessibility::text[])))
            order by lower(c.name), c.id, rt.sort_order, lower(r.name)
            """;

    /// <summary>
    /// Occupancy of the rooms on the dates (confirmed occurrences and out-of-use periods), the centres' opening hours and
    /// the closure days, in one batch.
    /// </summary>
    public static string Batch(int spans) => $"""
            {Occupancy(spans)}

            select centre_id, weekday::int as weekday, opens_at, closes_at
            from opening_hours
            where centre_id = any(@centreIds) and weekday = any(@weekdays)
            order by centre_id, weekday, opens_at;

            select centre_id, starts_on, ends_on
            from closure_days
            where (centre_id is null or centre_id = any(@centreIds)) and ends_on >= @firstDate and starts_on <= @lastDate;
            """;

    private static string Occupancy(int spans)
    {
        var arms = Enumerable.Range(0, spans).Select(i => $"""
                select room_id, blocked_from, blocked_until
                from occurrences
                where status = 'bevestigd'
                  and blocked_from < @to{i}
                  and blocked_from > @from{i} - interval '{LongestBlockHours} hours'
                  and blocked_until > @from{i}
            """);
        // Out-of-use periods of a melding (room_out_of_use, decision 0008) block the room like an occupancy: the database
        // refuses bookings in them. Few rows, read by room through room_out_of_use_room_idx.
        var outOfUse = string.Join(" or ", Enumerable.Range(0, spans).Select(i => $"(starts_at < @to{i} and ends_at > @from{i})"));
        return $"""
            with occupied as materialized (
            {string.Join("\n    union all\n", arms)}
            )
            select room_id, blocked_from, blocked_until from occupied where room_id = any(@roomIds)
            union all
            select room_id, starts_at, ends_at from room_out_of_use
            where room_id = any(@roomIds) and cancelled_at is null and ({outOfUse});
            """;
    }
}
