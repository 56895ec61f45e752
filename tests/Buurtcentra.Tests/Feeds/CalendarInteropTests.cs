using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Feeds;
using Dapper;
using Xunit.Abstractions;

namespace Buurtcentra.Tests.Feeds;

/// <summary>
/// Generated series across every change of the clocks in 2026–2030, booked through the API, read back from the
/// invitations in the outbox and from the public feeds by two independent parsers (ical.js and python3-icalendar with
/// dateutil): each must yield exactly the stored occurrence instants. The stored instants are checked against an
/// expansion of the asked rule written here, so the database itself is what the beheerder meant.
/// </summary>
public sealed class CalendarInteropTests(DatabaseFixture fixture, ITestOutputHelper output) : DatabaseTest(fixture)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>Times in and around the hour that is repeated (autumn) or skipped (spring).</summary>
    private static readonly (TimeOnly Start, TimeOnly End)[] Slots =
    [
        (new(0, 30), new(1, 30)), (new(1, 0), new(2, 0)), (new(1, 30), new(2, 30)), (new(1, 0), new(3, 0)),
        (new(2, 0), new(3, 0)), (new(2, 30), new(3, 30)), (new(2, 15), new(2, 45)), (new(3, 0), new(4, 0)),
    ];

    private const int Kinds = 6;

    /// <summary>A series as asked, with the dates of the centre that are closed.</summary>
    private sealed record Asked(string Name, long RoomId, DateOnly First, TimeOnly Start, TimeOnly End, string? Kind = null, int? Interval = null,
        int? WeekOfMonth = null, DateOnly? Until = null, int? Count = null, DateOnly[]? Dates = null, TimeSpan? StartOffset = null,
        TimeSpan? EndOffset = null, IReadOnlySet<DateOnly>? Closed = null)
    {
        public long ReservationId { get; set; }
    }

    private sealed record Stored(long Id, long ReservationId, long RoomId, DateOnly SeriesDate, DateTime StartsAt, DateTime EndsAt, string Status);

    [Fact]
    public async Task Both_parsers_read_exactly_the_stored_instants_of_invitations_and_feeds_across_every_clock_change_of_2026_to_2030()
    {
        var centre = await Data.CentreAsync("De Boog");
        var closedCentre = await Data.CentreAsync("De Zuilenhoek");
        foreach (var id in new[] { centre, closedCentre })
        {
            for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(id, day, new TimeOnly(0, 0), new TimeOnly(23, 55));
        }
        var beheerderId = await Data.UserAsync("sociaal_beheerder", centreIds: [centre, closedCentre]);
        var slugs = new Dictionary<long, string>();
        foreach (var id in new[] { centre, closedCentre }) slugs[id] = await Data.ScalarAsync<string>("select slug from centres where id = @id", new { id });

        var rooms = 0;
        async Task<long> RoomAsync(long centreId) => await Data.RoomAsync(centreId, $"Zaal {++rooms}", capacity: 30);

        var all = new List<Asked>();
        var splits = new List<(Asked Series, DateOnly From, long ContinuedIn)>();
        var feeds = new List<(long CentreId, int Year, string Text)>();
        var failures = new List<string>();

        for (var year = 2026; year <= 2030; year++)
        {
            // Book from early January, so that every date of the year lies ahead and within the booking horizon.
            App.ResetTime(new DateTimeOffset(year, 1, 4, 9, 0, 0, TimeSpan.Zero));
            await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
            {
                await connection.ExecuteAsync("update rooms set min_minutes = 15; update centres set horizon_days = 800");
            }
            var beheerder = new Browser(App);
            await beheerder.SignInAsync(await Data.EmailOfAsync(beheerderId));
            var yearIndex = year - 2026;
            var asked = new List<Asked>();

            foreach (var change in new[] { LastSunday(year, 3), LastSunday(year, 10) })
            {
                for (var slot = 0; slot < Slots.Length; slot++)
                {
                    foreach (var kind in new[] { (slot + yearIndex) % Kinds, (slot + yearIndex + 3) % Kinds })
                    {
                        asked.Add(Generated(kind, change, Slots[slot], await RoomAsync(centre)));
                    }
                }

                // COUNT series whose first rule date is a closure day (and one later date too).
                var closed = new HashSet<DateOnly> { change.AddDays(-14), change.AddDays(7), LastSunday(change.AddMonths(-1)) };
                await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
                {
                    foreach (var date in closed)
                    {
                        await connection.ExecuteAsync("""
                            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
                            values (@closedCentre, @date, @date, 'overig', 'Verkiezingen', now())
                            """, new { closedCentre, date });
                    }
                }
                asked.Add(new Asked($"Tel vijf {change}", await RoomAsync(closedCentre), change.AddDays(-14), new(2, 30), new(3, 30),
                    "weekly", Count: 5, Closed: closed));
                asked.Add(new Asked($"Om de week {change}", await RoomAsync(closedCentre), change.AddDays(-14), new(1, 30), new(2, 30),
                    "weekly", Interval: 2, Count: 3, Closed: closed));
                asked.Add(new Asked($"Maandelijks {change}", await RoomAsync(closedCentre), LastSunday(change.AddMonths(-1)), new(2, 0), new(3, 0),
                    "monthly", WeekOfMonth: -1, Count: 3, Closed: closed));

                if (change.Month == 10)
                {
                    // An explicit offset is an instant: +01:00 is the second 02:30 of the night (winter time).
                    var winter = TimeSpan.FromHours(1);
                    asked.Add(new Asked($"Tweede half drie {change}", await RoomAsync(centre), change, new(2, 30), new(3, 30),
                        StartOffset: winter, EndOffset: winter));
                    asked.Add(new Asked($"Zomer tot winter {change}", await RoomAsync(centre), change, new(2, 10), new(2, 50), "dates",
                        Dates: [change.AddDays(7)], StartOffset: TimeSpan.FromHours(2), EndOffset: winter));
                }
            }

            foreach (var series in asked)
            {
                var response = await beheerder.Client.PostAsJsonAsync("/api/v1/reservations", Body(series));
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    failures.Add($"{series.Name}: the API answered {(int)response.StatusCode}: {text}");
                    continue;
                }
                using var json = JsonDocument.Parse(text);
                series.ReservationId = json.RootElement.GetProperty("id").GetInt64();
                // Dates left out because the time does not exist that night are in the API's skipped list, with the reason.
                var skipped = json.RootElement.GetProperty("skipped").EnumerateArray()
                    .ToDictionary(s => DateOnly.Parse(s.GetProperty("date").GetString()!, CultureInfo.InvariantCulture), s => s.GetProperty("reason").GetString()!);
                foreach (var date in Expected(series).ClockSkipped)
                {
                    if (!skipped.TryGetValue(date, out var reason) || !reason.Contains("bestaat die nacht niet", StringComparison.Ordinal))
                    {
                        failures.Add($"{series.Name}: {date} is not in the skipped list as a clock change: {text}");
                    }
                }
            }
            all.AddRange(asked);

            // "Deze en volgende" on the COUNT series whose first date was closed: the later part gets a new time.
            foreach (var series in asked.Where(a => a.Name.StartsWith("Tel vijf", StringComparison.Ordinal) && a.ReservationId != 0))
            {
                var from = series.First.AddDays(14);
                var id = series.ReservationId;
                var changed = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
                    ("Scope", "vanaf"), ("SeriesDate", Iso(from)), ("NewDate", ""), ("RoomId", series.RoomId.ToString(CultureInfo.InvariantCulture)),
                    ("StartTime", "20:00"), ("EndTime", "21:00"), ("Note", ""));
                if (changed.StatusCode != HttpStatusCode.Redirect)
                {
                    failures.Add($"{series.Name}: the change from {from} answered {(int)changed.StatusCode}");
                    continue;
                }
                splits.Add((series, from, await Data.ScalarAsync<long>("select id from reservations where continued_from = @id", new { id })));
            }

            foreach (var id in new[] { centre, closedCentre })
            {
                using var client = App.CreateClient();
                var response = await client.GetAsync($"/agenda/buurtcentra/{slugs[id]}.ics");
                if (response.StatusCode == HttpStatusCode.OK) feeds.Add((id, year, await response.Content.ReadAsStringAsync()));
                else failures.Add($"The feed of {year} answered {(int)response.StatusCode}");
            }
        }

        Stored[] stored;
        (long ReservationId, string Ics, string Text)[] invitations;
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            stored = (await connection.QueryAsync<Stored>(
                "select id, reservation_id, room_id, series_date, starts_at, ends_at, status from occurrences order by reservation_id, series_date")).ToArray();
            invitations = (await connection.QueryAsync<(long, string, string)>("""
                select distinct on (reservation_id) reservation_id, calendar_ics, text_body from outbox
                where calendar_ics is not null order by reservation_id, id desc
                """)).ToArray();
        }
        var byReservation = stored.ToLookup(o => o.ReservationId);

        // The database holds what was asked: the rule's dates without closure days and nights the time does not exist.
        var splitIds = splits.Select(s => s.Series.ReservationId).ToHashSet();
        foreach (var series in all.Where(a => a.ReservationId != 0 && !splitIds.Contains(a.ReservationId)))
        {
            var expected = Expected(series).Occurrences;
            var actual = byReservation[series.ReservationId].Select(o => (o.SeriesDate, o.StartsAt, o.EndsAt)).ToList();
            if (!expected.SequenceEqual(actual))
            {
                failures.Add($"{series.Name}: stored {Show(actual)}, asked {Show(expected)}");
            }
        }

        // "Deze en volgende" stores each part's own last date, and the mail of the later part names exactly its dates.
        foreach (var (series, from, continuedIn) in splits)
        {
            var before = await Data.ScalarAsync<string>("select recurrence->>'until' from reservations where id = @id", new { id = series.ReservationId });
            var after = await Data.ScalarAsync<string>("select recurrence->>'until' from reservations where id = @continuedIn", new { continuedIn });
            if ((before, after) != (Iso(from.AddDays(-7)), Iso(from.AddDays(14))))
            {
                failures.Add($"{series.Name}: split at {from} stored until {before} and {after}, not {from.AddDays(-7)} and {from.AddDays(14)}");
            }
            // In spring the night of the change itself was left out (02:30 does not exist), so the later part has one date.
            var expected = Expected(series).Occurrences.Select(o => o.Item1).Where(d => d >= from).ToList();
            var later = byReservation[continuedIn].Select(o => o.SeriesDate).ToList();
            if (!later.SequenceEqual(expected)) failures.Add($"{series.Name}: the later part holds {Show(later)}, not {Show(expected)}");
            var mail = invitations.Single(i => i.ReservationId == continuedIn).Text;
            var when = expected.Count == 1
                ? $"{LongDate(expected[0])}, 20:00–21:00"
                : $"elke week op zondag, 20:00–21:00; {expected.Count} keer, van {LongDate(expected[0])} tot en met {LongDate(expected[^1])}";
            if (!mail.Contains(when, StringComparison.Ordinal)) failures.Add($"{series.Name}: the mail of the later part does not say “{when}”:\n{mail}");
        }

        // Every mail of a series with a night left out says which date and why.
        foreach (var series in all.Where(a => a.ReservationId != 0 && !splitIds.Contains(a.ReservationId)))
        {
            var mail = invitations.Single(i => i.ReservationId == series.ReservationId).Text;
            foreach (var date in Expected(series).ClockSkipped)
            {
                if (!mail.Contains($"{LongDate(date)} (", StringComparison.Ordinal) || !mail.Contains("bestaat die nacht niet", StringComparison.Ordinal))
                {
                    failures.Add($"{series.Name}: the mail does not name {date} as left out");
                }
            }
        }

        var files = invitations.Select(i => i.Ics).Concat(feeds.Select(f => f.Text)).ToList();
        var readings = await IndependentParsers.ReadAsync(files);
        foreach (var (parser, results) in new[] { ("python3-icalendar", readings.Python), ("ical.js", readings.IcalJs) })
        {
            for (var i = 0; i < invitations.Length; i++)
            {
                var (reservationId, ics, _) = invitations[i];
                var read = results[i];
                if (read.Problems.Count > 0) { failures.Add($"{parser}, invitation of {reservationId}: {string.Join("; ", read.Problems)}"); continue; }
                var shown = read.Instances.Where(e => e.Status != "CANCELLED").Select(e => (e.Start, e.End)).Order().ToList();
                var booked = byReservation[reservationId].Where(o => o.Status == "bevestigd").Select(o => (o.StartsAt, o.EndsAt)).Order().ToList();
                if (!shown.SequenceEqual(booked))
                {
                    failures.Add($"{parser}, invitation of {reservationId}: reads {Show(shown)}, stored {Show(booked)}\n{ics}");
                }
            }
            for (var f = 0; f < feeds.Count; f++)
            {
                var (centreId, year, _) = feeds[f];
                var read = results[invitations.Length + f];
                if (read.Problems.Count > 0) { failures.Add($"{parser}, feed {year}: {string.Join("; ", read.Problems)}"); continue; }
                var events = read.Instances.ToDictionary(e => e.Uid);
                var ofYear = all.Where(a => a.ReservationId != 0 && a.First.Year == year)
                    .SelectMany(a => new[] { a.ReservationId }.Concat(splits.Where(s => s.Series == a).Select(s => s.ContinuedIn)))
                    .SelectMany(id => byReservation[id]).ToList();
                var centreRooms = await Data.ScalarAsync<long[]>("select array_agg(id) from rooms where centre_id = @centreId", new { centreId });
                foreach (var o in ofYear.Where(o => centreRooms.Contains(o.RoomId)))
                {
                    if (!events.TryGetValue(CalendarFeedQuery.Uid(o.Id), out var e)) { failures.Add($"{parser}, feed {year}: occurrence {o.Id} ({o.SeriesDate}) is missing"); continue; }
                    if ((e.Start, e.End, e.Status) != (o.StartsAt, o.EndsAt, "CONFIRMED"))
                    {
                        failures.Add($"{parser}, feed {year}: occurrence {o.Id} reads {e.Start:u}–{e.End:u} {e.Status}, stored {o.StartsAt:u}–{o.EndsAt:u}");
                    }
                }
            }
        }

        var changes = Enumerable.Range(2026, 5).SelectMany(y => new[] { LastSunday(y, 3), LastSunday(y, 10) }).ToHashSet();
        var onChangeNights = stored.Count(o => changes.Contains(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(o.StartsAt, Amsterdam))));
        var ambiguous = stored.Count(o => Amsterdam.IsAmbiguousTime(TimeZoneInfo.ConvertTimeFromUtc(o.StartsAt, Amsterdam))
            || Amsterdam.IsAmbiguousTime(TimeZoneInfo.ConvertTimeFromUtc(o.EndsAt, Amsterdam)));
        var leftOut = all.Sum(a => Expected(a).ClockSkipped.Count);
        output.WriteLine($"{all.Count} series ({splits.Count} split), {changes.Count} clock changes, {stored.Length} occurrences, "
            + $"{onChangeNights} on a night the clocks change, {ambiguous} with an ambiguous local start or end, {leftOut} nights left out; "
            + $"{invitations.Length} invitations and {feeds.Count} feeds read by both parsers.");

        var kinds = failures.GroupBy(f => f.StartsWith("python3-icalendar", StringComparison.Ordinal) ? "python3-icalendar reads"
                : f.StartsWith("ical.js", StringComparison.Ordinal) ? "ical.js reads" : f.Contains("answered", StringComparison.Ordinal) ? "refused"
                : "stored or mailed")
            .Select(g => $"{g.Count()}× {g.Key}");
        Assert.True(failures.Count == 0, $"{failures.Count} problems ({string.Join("; ", kinds)}):\n" + string.Join("\n", failures.Take(15)));
        Assert.True(all.Count >= 180 && ambiguous >= 40 && leftOut >= 30 && onChangeNights >= 100,
            $"Too few cases: {all.Count} series, {ambiguous} ambiguous, {leftOut} left out, {onChangeNights} on the nights.");
    }

    /// <summary>Series kind k around the clock change on <paramref name="change"/> (a Sunday).</summary>
    private static Asked Generated(int kind, DateOnly change, (TimeOnly Start, TimeOnly End) slot, long roomId)
    {
        var name = $"Soort {kind} {slot.Start:HH\\:mm}-{slot.End:HH\\:mm} {change}";
        return kind switch
        {
            0 => new Asked(name, roomId, change.AddDays(-14), slot.Start, slot.End, "weekly", Until: change.AddDays(14)),
            1 => new Asked(name, roomId, change.AddDays(-14), slot.Start, slot.End, "weekly", Interval: 2, Count: 4),
            2 => new Asked(name, roomId, LastSunday(change.AddMonths(-1)), slot.Start, slot.End, "monthly", WeekOfMonth: -1, Count: 3),
            3 => new Asked(name, roomId, LastSunday(change.AddMonths(-2)), slot.Start, slot.End, "monthly", Interval: 2, WeekOfMonth: -1,
                Until: LastSunday(change.AddMonths(2))),
            4 => new Asked(name, roomId, change, slot.Start, slot.End, "dates", Dates: [change.AddDays(7), change.AddDays(21)]),
            _ => new Asked(name, roomId, change.AddDays(-7), slot.Start, slot.End, "dates", Dates: [change, change.AddDays(35)]),
        };
    }

    private static object Body(Asked a)
    {
        string At(TimeOnly time, TimeSpan? offset) => $"{Iso(a.First)}T{time:HH\\:mm}"
            + (offset is { } o ? (o < TimeSpan.Zero ? "-" : "+") + o.ToString("hh\\:mm", CultureInfo.InvariantCulture) : "");
        return new
        {
            roomId = a.RoomId, start = At(a.Start, a.StartOffset), end = At(a.End, a.EndOffset), activity = a.Name, participants = 5,
            contactName = "Henk de Vries", contactEmail = "henk@example.org", isPublic = true,
            recurrence = a.Kind is null ? null : new { kind = a.Kind, interval = a.Interval, weekOfMonth = a.WeekOfMonth, until = a.Until, count = a.Count, dates = a.Dates },
        };
    }

    /// <summary>What the beheerder asked for, expanded here without the app's code: dates, UTC instants, nights left out.</summary>
    private static (List<(DateOnly, DateTime, DateTime)> Occurrences, List<DateOnly> ClockSkipped) Expected(Asked a)
    {
        var dates = new List<DateOnly>();
        switch (a.Kind)
        {
            case null: dates.Add(a.First); break;
            case "dates": dates.AddRange(a.Dates!.Append(a.First).Distinct().Order()); break;
            case "weekly":
                for (var d = a.First; (a.Until is null || d <= a.Until) && (a.Count is null || dates.Count < a.Count); d = d.AddDays(7 * (a.Interval ?? 1))) dates.Add(d);
                break;
            default:
                for (var m = new DateOnly(a.First.Year, a.First.Month, 1); ; m = m.AddMonths(a.Interval ?? 1))
                {
                    var d = LastSunday(m);
                    if ((a.Until is not null && d > a.Until) || (a.Count is not null && dates.Count == a.Count)) break;
                    dates.Add(d);
                }
                break;
        }
        var occurrences = new List<(DateOnly, DateTime, DateTime)>();
        var skipped = new List<DateOnly>();
        foreach (var date in dates.Where(d => a.Closed is null || !a.Closed.Contains(d)))
        {
            var first = date == a.First;
            var start = Instant(date, a.Start, first ? a.StartOffset : null);
            var end = Instant(date, a.End, first ? a.EndOffset : null);
            if (start is null || end is null) skipped.Add(date);
            else occurrences.Add((date, start.Value, end.Value));
        }
        return (occurrences, skipped);
    }

    /// <summary>UTC for a Utrecht wall-clock time; null when it does not exist; the first of two unless the offset says otherwise.</summary>
    private static DateTime? Instant(DateOnly date, TimeOnly time, TimeSpan? offset)
    {
        var local = date.ToDateTime(time);
        if (Amsterdam.IsInvalidTime(local)) return null;
        var utcOffset = Amsterdam.IsAmbiguousTime(local)
            ? offset is { } o && Amsterdam.GetAmbiguousTimeOffsets(local).Contains(o) ? o : Amsterdam.GetAmbiguousTimeOffsets(local).Max()
            : Amsterdam.GetUtcOffset(local);
        return new DateTimeOffset(local, utcOffset).UtcDateTime;
    }

    private static DateOnly LastSunday(int year, int month) => LastSunday(new DateOnly(year, month, 1));

    private static DateOnly LastSunday(DateOnly inMonth)
    {
        var last = new DateOnly(inMonth.Year, inMonth.Month, DateTime.DaysInMonth(inMonth.Year, inMonth.Month));
        return last.AddDays(-(int)last.DayOfWeek);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string LongDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", Dutch);

    private static string Show<T>(IEnumerable<T> items) => "[" + string.Join(", ", items) + "]";
}
