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
/// The database work of GET /api/v1/availability, done directly: the same three round trips with the app's own SQL
/// (<see cref="AvailabilityLookupsQuery.Sql"/>, <see cref="FreeRoomsSql"/>) and the same parameters, read into rows with
/// Dapper's untyped rows. No validation, no free-slot arithmetic, no JSON.
/// </summary>
internal static class RawAvailability
{
    /// <returns>The number of rows read (so the work cannot be skipped).</returns>
    public static async Task<int> RunAsync(NpgsqlDataSource dataSource, AvailabilityQuery query, DateOnly today)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var read = 0;
        await using (var lookups = await connection.QueryMultipleAsync(AvailabilityLookupsQuery.Sql))
        {
            read += (await lookups.ReadAsync<WijkOption>()).Count();
            read += (await lookups.ReadAsync<CodeOption>()).Count();
            read += (await lookups.ReadAsync<CodeOption>()).Count();
            read += (await lookups.ReadAsync<CentreOption>()).Count();
        }

        var dates = FindFreeRoomsForm.DatesFor(query.Date, query.Weekday, today);
        var rooms = (await connection.QueryAsync(FreeRoomsSql.Rooms,
            new
            {
                participants = query.Participants,
                duration = query.Duration,
                wijkId = query.Wijk,
                facilities = query.Facility is null ? Array.Empty<string>() : [query.Facility],
                accessibility = query.Accessibility is null ? Array.Empty<string>() : [query.Accessibility],
            })).Select(r => (Id: (long)r.id, CentreId: (long)r.centre_id)).ToList();
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
            parameters.Add($"from{i}", LocalClock.ToUtc(dates[i], 0).AddMinutes(-FreeRoomsSql.LargestBufferMinutes).UtcDateTime);
            parameters.Add($"to{i}", LocalClock.ToUtc(dates[i], LocalClock.MinutesPerDay).AddMinutes(FreeRoomsSql.LargestBufferMinutes).UtcDateTime);
        }
        await using var batch = await connection.QueryMultipleAsync(FreeRoomsSql.Batch(dates.Count), parameters);
        for (var result = 0; result < 3; result++) read += (await batch.ReadAsync()).Count();
        return read;
    }
}
