using System.Globalization;
using Buurtcentra.Web.Features.Availability;
using Dapper;
using Npgsql;

namespace Buurtcentra.Benchmarks;

/// <summary>One search of the room finder, as GET /api/v1/availability parameters.</summary>
internal sealed record AvailabilityQuery(
    DateOnly? Date, int? Weekday, string? From, string? To, int Duration, int Participants, int? Wijk,
    string? Facility, string? Accessibility, string? Near)
{
    public string Url
    {
        get
        {
            var parts = new List<string>();
            if (Date is { } date) parts.Add($"date={date:yyyy-MM-dd}");
            if (Weekday is { } weekday) parts.Add($"weekday={weekday}");
            if (From is not null) parts.Add($"from={From}");
            if (To is not null) parts.Add($"to={To}");
            parts.Add($"duration={Duration}");
            parts.Add($"participants={Participants}");
            if (Wijk is { } wijk) parts.Add($"wijk={wijk}");
            if (Facility is not null) parts.Add($"facilities={Facility}");
            if (Accessibility is not null) parts.Add($"accessibility={Accessibility}");
            if (Near is not null) parts.Add($"near={Uri.EscapeDataString(Near)}");
            return "/api/v1/availability?" + string.Join('&', parts);
        }
    }

    /// <summary>
    /// Varied, realistic searches in the future part of the generated set: mostly one date, sometimes "the next 4
    /// <weekday>s"; with or without a time window, various group sizes, wijk, facility, accessibility and "near".
    /// </summary>
    public static IReadOnlyList<AvailabilityQuery> Varied(int count, DateOnly today, DateOnly lastDay, int seed = 7)
    {
        var random = new Random(seed);
        var days = Math.Max(1, lastDay.DayNumber - today.DayNumber - 28);
        (string From, string To)?[] windows = [null, null, ("09:00", "12:00"), ("13:00", "17:00"), ("19:00", "22:00"), ("18:00", "23:00"), ("10:00", "16:00")];
        int[] durations = [60, 60, 90, 120, 150];
        int[] participants = [1, 4, 8, 12, 20, 30, 50];
        string?[] facilities = [null, null, null, "beamer", "wifi", "koffie", "keuken"];
        string?[] accessibility = [null, null, null, null, null, "rolstoeltoegankelijk", "gelijkvloers"];
        return Enumerable.Range(0, count).Select(_ =>
        {
            var byWeekday = random.NextDouble() < 0.25;
            var window = windows[random.Next(windows.Length)];
            var near = random.NextDouble() switch
            {
                < 0.15 => $"wijk:{random.Next(1, 11)}",
                < 0.25 => "centre:de-boog",
                _ => null,
            };
            return new AvailabilityQuery(
                byWeekday ? null : today.AddDays(random.Next(days)),
                byWeekday ? random.Next(1, 8) : null,
                window?.From, window?.To,
                durations[random.Next(durations.Length)],
                participants[random.Next(participants.Length)],
                random.NextDouble() < 0.3 ? random.Next(1, 11) : null,
                facilities[random.Next(facilities.Length)],
                accessibility[random.Next(accessibility.Length)],
                near);
        }).ToList();
    }
}

/// <summary>
/// The database work of GET /api/v1/availability, done directly: the same three round trips with the same SQL
/// (copied from Features/Availability/AvailabilityLookups.cs and FindFreeRooms.cs; keep them in step) and the same
/// parameters, read into rows with Dapper. No validation, no free-slot arithmetic, no JSON.
/// </summary>
internal static class RawAvailability
{
    private const int LongestBlockHours = 32;
    private const int LargestBufferMinutes = 240;

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

    /// <returns>The number of rows read (so the work cannot be skipped).</returns>
    public static async Task<int> RunAsync(NpgsqlDataSource dataSource, AvailabilityQuery query, DateOnly today)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var read = 0;
        await using (var lookups = await connection.QueryMultipleAsync("""
            select id::int as id, name, latitude, longitude from wijken order by id;
            select code, name from facilities order by sort_order;
            select code, name from accessibility_features order by sort_order;
            select c.slug, c.name, c.wijk_id::int as wijk_id,
                   coalesce(c.latitude, w.latitude) as latitude, coalesce(c.longitude, w.longitude) as longitude
            from centres c join wijken w on w.id = c.wijk_id
            where c.active
            order by lower(c.name);
            """))
        {
            read += (await lookups.ReadAsync<WijkOption>()).Count();
            read += (await lookups.ReadAsync<CodeOption>()).Count();
            read += (await lookups.ReadAsync<CodeOption>()).Count();
            read += (await lookups.ReadAsync<CentreOption>()).Count();
        }

        var dates = FindFreeRoomsForm.DatesFor(query.Date, query.Weekday, today);
        var rooms = (await connection.QueryAsync<RoomRow>("""
            with f as (
                select rf.room_id, array_agg(fa.code order by fa.sort_order) as codes, array_agg(fa.name order by fa.sort_order) as names
                from room_facilities rf join facilities fa on fa.code = rf.facility_code
                group by rf.room_id)
            select r.id, r.centre_id, r.name, r.room_type, rt.name as room_type_name, r.capacity,
                   r.setup_minutes, r.cleanup_minutes,
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
            """,
            new
            {
                participants = query.Participants,
                duration = query.Duration,
                wijkId = query.Wijk,
                facilities = query.Facility is null ? Array.Empty<string>() : [query.Facility],
                accessibility = query.Accessibility is null ? Array.Empty<string>() : [query.Accessibility],
            })).ToList();
        read += rooms.Count;
        if (rooms.Count == 0 || dates.Count == 0) return read;

        var parameters = new DynamicParameters(new
        {
            roomIds = rooms.Select(r => r.Id).ToArray(),
            centreIds = rooms.Select(r => r.CentreId).Distinct().ToArray(),
            weekdays = dates.Select(FindFreeRoomsForm.IsoWeekday).Distinct().ToArray(),
            firstDate = dates.Min(),
            lastDate = dates.Max(),
        });
        for (var i = 0; i < dates.Count; i++)
        {
            parameters.Add($"from{i}", LocalClock.ToUtc(dates[i], 0).AddMinutes(-LargestBufferMinutes).UtcDateTime);
            parameters.Add($"to{i}", LocalClock.ToUtc(dates[i], LocalClock.MinutesPerDay).AddMinutes(LargestBufferMinutes).UtcDateTime);
        }
        await using var batch = await connection.QueryMultipleAsync($"""
            {OccupancySql(dates.Count)}

            select centre_id, weekday::int as weekday, opens_at, closes_at
            from opening_hours
            where centre_id = any(@centreIds) and weekday = any(@weekdays)
            order by centre_id, weekday, opens_at;

            select centre_id, starts_on, ends_on
            from closure_days
            where (centre_id is null or centre_id = any(@centreIds)) and ends_on >= @firstDate and starts_on <= @lastDate;
            """, parameters);
        read += (await batch.ReadAsync<BusyRow>()).Count();
        read += (await batch.ReadAsync<HoursRow>()).Count();
        read += (await batch.ReadAsync<ClosureRow>()).Count();
        return read;
    }

    private static string OccupancySql(int spans)
    {
        var arms = Enumerable.Range(0, spans).Select(i => $"""
                select room_id, blocked_from, blocked_until
                from occurrences
                where status = 'bevestigd'
                  and blocked_from < @to{i}
                  and blocked_from > @from{i} - interval '{LongestBlockHours.ToString(CultureInfo.InvariantCulture)} hours'
                  and blocked_until > @from{i}
            """);
        return $"""
            with occupied as materialized (
            {string.Join("\n    union all\n", arms)}
            )
            select room_id, blocked_from, blocked_until from occupied where room_id = any(@roomIds);
            """;
    }
}
