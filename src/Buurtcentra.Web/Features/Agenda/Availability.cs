using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Agenda;

/// <summary>A stretch of opening time that is either free or taken. Instants are UTC.</summary>
public sealed record Slot(DateTimeOffset Start, DateTimeOffset End, bool Busy)
{
    public string Time => $"{AgendaDates.Local(Start)}–{AgendaDates.Local(End)}";
}

/// <summary>One room on one day: closed (with the reasons), or its opening time split into Vrij and Bezet.</summary>
public sealed record DayAvailability(bool Closed, IReadOnlyList<string> ClosedReasons, IReadOnlyList<Slot> Slots);

public sealed record AvailabilityRow(string RoomName, IReadOnlyList<DayAvailability> Days);

public sealed record AvailabilityPage(AgendaCentre Centre, AgendaWindow Week, DatePick Pick, IReadOnlyList<WeekDay> Days,
    IReadOnlyList<AvailabilityRow> Rooms)
{
    public int WeekNumber => AgendaDates.WeekNumber(Week.FirstDay);
    public string BaseUrl => $"/buurtcentra/{Centre.Slug}/beschikbaarheid";
}

/// <summary>
/// Splits opening time into free and busy stretches. Pure: no database, no clock. Busy periods that overlap or touch
/// are merged first, so three bookings in a row read as one "Bezet".
/// </summary>
public static class AvailabilitySplitter
{
    public static IReadOnlyList<Slot> Split(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> openPeriods,
        IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> busy)
    {
        var merged = Merge(busy);
        var slots = new List<Slot>();
        foreach (var (open, close) in openPeriods.Where(p => p.End > p.Start).OrderBy(p => p.Start))
        {
            var cursor = open;
            foreach (var (start, end) in merged.Where(b => b.Start < close && b.End > open))
            {
                if (start > cursor) Add(slots, new Slot(cursor, start, false));
                var busyEnd = end < close ? end : close;
                if (busyEnd > cursor) Add(slots, new Slot(start > cursor ? start : cursor, busyEnd, true));
                cursor = busyEnd > cursor ? busyEnd : cursor;
            }
            if (cursor < close) Add(slots, new Slot(cursor, close, false));
        }
        return slots;
    }

    private static List<(DateTimeOffset Start, DateTimeOffset End)> Merge(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> periods)
    {
        var merged = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var (start, end) in periods.Where(p => p.End > p.Start).OrderBy(p => p.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                if (end > merged[^1].End) merged[^1] = (merged[^1].Start, end);
            }
            else
            {
                merged.Add((start, end));
            }
        }
        return merged;
    }

    /// <summary>Adds a slot, joining it to the previous one when they touch and are of the same kind.</summary>
    private static void Add(List<Slot> slots, Slot slot)
    {
        if (slots.Count > 0 && slots[^1].End == slot.Start && slots[^1].Busy == slot.Busy)
        {
            slots[^1] = slots[^1] with { End = slot.End };
            return;
        }
        slots.Add(slot);
    }

    /// <summary>Local wall-clock time on a day as UTC; a time in the spring-forward gap moves to just after it.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time) =>
        AmsterdamTime.ToUtc(day, time) ?? AmsterdamTime.ToUtc(day, time.AddHours(1))!.Value;
}

/// <summary>
/// The public availability of one active centre for one ISO week: per active room and day the opening time as "Vrij"
/// and "Bezet" (confirmed occupancy including set-up and clean-up). Reads no names, activities or contact details at
/// all (AVG): its query selects only room and time. Null for an unknown or inactive centre. Two round trips.
/// </summary>
public sealed class AvailabilityQuery(NpgsqlDataSource dataSource)
{
    public async Task<AvailabilityPage?> GetAsync(string slug, DatePick pick)
    {
        var week = AgendaWindow.WeekOf(pick.Day);
        await using var connection = await dataSource.OpenConnectionAsync();
        var centreId = await connection.ExecuteScalarAsync<long?>("select id from centres where slug = @slug and active", new { slug });
        if (centreId is null) return null;
        var data = await AgendaLoader.LoadAsync<BusyRow>(connection, centreId.Value, week, AgendaLoader.BusyOnly);
        if (data is null) return null;

        // A room out of use (or blocked for a repair visit) cannot be booked then, so it reads as "Bezet" too.
        var outOfUse = (await Meldingen.RepairVisits.InWindowAsync(connection, [centreId.Value], null, week.FromUtc.UtcDateTime, week.ToUtc.UtcDateTime))
            .Where(x => x.BlocksRoom)
            .Select(x => (x.RoomId, Period: (AgendaLoader.Utc(x.StartsAt), AgendaLoader.Utc(x.EndsAt))));
        var busyByRoom = data.Occurrences.Select(o => (o.RoomId, Period: (AgendaLoader.Utc(o.BlockedFrom), AgendaLoader.Utc(o.BlockedUntil))))
            .Concat(outOfUse)
            .ToLookup(x => x.RoomId, x => x.Period);
        var days = week.Days.Select(d => new WeekDay(d, data.ClosedOn(d))).ToList();
        var rows = data.Rooms.Where(r => r.Active)
            .Select(room => new AvailabilityRow(room.Name, days.Select(day =>
            {
                if (day.ClosedReasons.Count > 0) return new DayAvailability(true, day.ClosedReasons, []);
                var open = data.HoursOn(day.Date)
                    .Select(h => (AvailabilitySplitter.At(day.Date, h.OpensAt), AvailabilitySplitter.At(day.Date, h.ClosesAt)))
                    .ToList();
                return open.Count == 0
                    ? new DayAvailability(true, [], [])
                    : new DayAvailability(false, [], AvailabilitySplitter.Split(open, busyByRoom[room.Id]));
            }).ToList()))
            .ToList();
        return new AvailabilityPage(data.Centre, week, pick, days, rows);
    }

    /// <summary>?week=2027-W10 wins over ?datum=2027-03-01; without either, this week.</summary>
    public static DatePick Pick(string? week, string? datum, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(week)) return DatePick.From(datum, time);
        return AgendaDates.TryParseWeek(week, out var monday)
            ? new DatePick(monday, AgendaDates.IsoDate(monday), null)
            : DatePick.From(null, time) with { Error = AgendaDates.WeekError };
    }
}
