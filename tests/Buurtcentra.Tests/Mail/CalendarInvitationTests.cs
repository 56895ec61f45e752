using System.Text;
using Buurtcentra.Web.Infrastructure.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using IcalCalendar = Ical.Net.Calendar;

namespace Buurtcentra.Tests.Mail;

public sealed class CalendarInvitationTests
{
    private static readonly DateTimeOffset Stamp = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static CalendarSeries Series(int sequence = 0, string? rrule = "FREQ=WEEKLY;COUNT=4", DateTime? firstStart = null,
        IReadOnlyList<DateTime>? rdates = null, IReadOnlyList<DateTime>? exdates = null, IReadOnlyList<CalendarOverride>? overrides = null,
        string? description = "Wekelijkse klaverjasavond.\nNeem uw eigen kaarten mee; koffie staat klaar.") => new(
        "reservering-42@buurtcentra.test", sequence, "Klaverjassen", description, "Grote zaal, Buurtcentrum De Boog",
        "Buurtcentra Utrecht", "noreply@buurtcentra.test", "Truus \"de\" Vries", "truus@klaverjas.example",
        firstStart ?? new DateTime(2027, 3, 15, 19, 0, 0), TimeSpan.FromHours(2), rrule, rdates ?? [], exdates ?? [], overrides ?? []);

    private static string[] Lines(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n");

    [Fact]
    public void A_request_parses_back_with_method_timezone_uid_sequence_and_people()
    {
        var ics = CalendarInvitation.Build(Series(sequence: 3), CalendarInvitation.Request, Stamp);

        var calendar = IcalCalendar.Load(ics)!;
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal(CalendarInvitation.ProductId, calendar.ProductId);
        Assert.Equal("Europe/Amsterdam", Assert.Single(calendar.TimeZones).TzId);
        var master = Assert.Single(calendar.Events);
        Assert.Equal("reservering-42@buurtcentra.test", master.Uid);
        Assert.Equal(3, master.Sequence);
        Assert.Equal("Klaverjassen", master.Summary);
        Assert.Equal("Grote zaal, Buurtcentrum De Boog", master.Location);
        Assert.Equal("Wekelijkse klaverjasavond.\nNeem uw eigen kaarten mee; koffie staat klaar.", master.Description);
        Assert.Equal("Europe/Amsterdam", master.DtStart!.TzId);
        Assert.Equal(new DateTime(2027, 3, 15, 19, 0, 0), master.DtStart.Value);
        Assert.Equal(new DateTime(2027, 3, 15, 21, 0, 0), master.DtEnd!.Value);
        Assert.Equal("mailto:noreply@buurtcentra.test", master.Organizer!.Value!.ToString());
        Assert.Equal("Buurtcentra Utrecht", master.Organizer.CommonName);
        var attendee = Assert.Single(master.Attendees);
        Assert.Equal("mailto:truus@klaverjas.example", attendee.Value!.ToString());
        Assert.Equal("Truus 'de' Vries", attendee.CommonName);
        Assert.Equal(("REQ-PARTICIPANT", "NEEDS-ACTION", false), (attendee.Role, attendee.ParticipationStatus, attendee.Rsvp));

        var lines = Lines(ics);
        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Contains("METHOD:REQUEST", lines);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains("DTSTAMP:20261123T090000Z", lines);
        Assert.Contains("DTSTART;TZID=Europe/Amsterdam:20270315T190000", lines);
        Assert.Contains("DTEND;TZID=Europe/Amsterdam:20270315T210000", lines);
        Assert.Contains("RRULE:FREQ=WEEKLY;COUNT=4", lines);
        Assert.Contains("SEQUENCE:3", lines);
        Assert.Contains("UID:reservering-42@buurtcentra.test", lines);
        Assert.Contains("STATUS:CONFIRMED", lines);
        Assert.Contains(@"DESCRIPTION:Wekelijkse klaverjasavond.\nNeem uw eigen kaarten mee\; koffie staat klaar.", lines);
        Assert.Contains(lines, l => l.StartsWith("ATTENDEE;", StringComparison.Ordinal) && l.Contains("ROLE=REQ-PARTICIPANT") && l.Contains("PARTSTAT=NEEDS-ACTION")
            && l.Contains("RSVP=FALSE") && l.EndsWith(":mailto:truus@klaverjas.example", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ORGANIZER;CN=", StringComparison.Ordinal) && l.EndsWith(":mailto:noreply@buurtcentra.test", StringComparison.Ordinal));
    }

    [Fact]
    public void A_weekly_19_00_series_stays_19_00_in_Utrecht_across_the_change_to_summer_time()
    {
        var ics = CalendarInvitation.Build(Series(), CalendarInvitation.Request, Stamp);

        var occurrences = IcalCalendar.Load(ics)!.GetOccurrences(new CalDateTime(2027, 3, 1, 0, 0, 0, "Europe/Amsterdam"), null)
            .Select(o => o.Period.StartTime).ToList();

        Assert.Equal(4, occurrences.Count);
        Assert.All(occurrences, start => Assert.Equal((19, 0), (start.Hour, start.Minute)));
        Assert.Equal(
            [new DateTime(2027, 3, 15, 18, 0, 0), new DateTime(2027, 3, 22, 18, 0, 0), new DateTime(2027, 3, 29, 17, 0, 0), new DateTime(2027, 4, 5, 17, 0, 0)],
            occurrences.Select(s => s.AsUtc));
    }

    [Fact]
    public void The_timezone_definition_itself_has_the_European_summer_time_rules()
    {
        var ics = CalendarInvitation.Build(Series(), CalendarInvitation.Request, Stamp);
        var lines = Lines(ics);

        var standard = Component(lines, "STANDARD");
        var daylight = Component(lines, "DAYLIGHT");
        Assert.Contains("TZOFFSETFROM:+0200", standard);
        Assert.Contains("TZOFFSETTO:+0100", standard);
        Assert.Contains(standard, l => l.StartsWith("RRULE:FREQ=YEARLY", StringComparison.Ordinal) && l.Contains("BYMONTH=10") && l.Contains("BYDAY=-1SU"));
        Assert.Contains(standard, l => l.StartsWith("DTSTART:", StringComparison.Ordinal) && l.EndsWith("T030000", StringComparison.Ordinal));
        Assert.Contains("TZOFFSETFROM:+0100", daylight);
        Assert.Contains("TZOFFSETTO:+0200", daylight);
        Assert.Contains(daylight, l => l.StartsWith("RRULE:FREQ=YEARLY", StringComparison.Ordinal) && l.Contains("BYMONTH=3") && l.Contains("BYDAY=-1SU"));
        Assert.Contains(daylight, l => l.StartsWith("DTSTART:", StringComparison.Ordinal) && l.EndsWith("T020000", StringComparison.Ordinal));


        // A client without its own tz database works from these rules alone: they give the real changes, year after year.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        foreach (var rule in new[] { standard, daylight })
        {
            var from = Offset(rule.Single(l => l.StartsWith("TZOFFSETFROM:", StringComparison.Ordinal)));
            var to = Offset(rule.Single(l => l.StartsWith("TZOFFSETTO:", StringComparison.Ordinal)));
            var month = int.Parse(rule.Single(l => l.StartsWith("RRULE:", StringComparison.Ordinal)).Split("BYMONTH=")[1].Split(';')[0]);
            var at = TimeOnly.ParseExact(rule.Single(l => l.StartsWith("DTSTART:", StringComparison.Ordinal))[^6..], "HHmmss");
            for (var year = 2026; year <= 2035; year++)
            {
                var lastSunday = new DateTime(year, month, DateTime.DaysInMonth(year, month));
                while (lastSunday.DayOfWeek != DayOfWeek.Sunday) lastSunday = lastSunday.AddDays(-1);
                var change = new DateTimeOffset(lastSunday + at.ToTimeSpan(), from).UtcDateTime;
                Assert.Equal(from, zone.GetUtcOffset(change.AddSeconds(-1)));
                Assert.Equal(to, zone.GetUtcOffset(change));
            }
        }
    }

    private static TimeSpan Offset(string line)
    {
        var value = line[(line.IndexOf(':') + 1)..];
        var offset = new TimeSpan(int.Parse(value[1..3]), int.Parse(value[3..5]), 0);
        return value[0] == '-' ? -offset : offset;
    }

    [Fact]
    public void A_cancel_has_the_same_uid_a_higher_sequence_and_a_cancelled_status()
    {
        var request = IcalCalendar.Load(CalendarInvitation.Build(Series(sequence: 1), CalendarInvitation.Request, Stamp))!;
        var cancelIcs = CalendarInvitation.Build(Series(sequence: 2), CalendarInvitation.Cancel, Stamp.AddDays(3));
        var cancel = IcalCalendar.Load(cancelIcs)!;

        Assert.Equal("CANCEL", cancel.Method);
        var original = Assert.Single(request.Events);
        var cancelled = Assert.Single(cancel.Events);
        Assert.Equal(original.Uid, cancelled.Uid);
        Assert.True(cancelled.Sequence > original.Sequence);
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.Contains("METHOD:CANCEL", Lines(cancelIcs));
        Assert.Contains("STATUS:CANCELLED", Lines(cancelIcs));
        Assert.DoesNotContain(Lines(cancelIcs), l => l.Contains("PARTSTAT=NEEDS-ACTION", StringComparison.Ordinal));
    }

    [Fact]
    public void Moved_and_cancelled_dates_are_overrides_with_a_recurrence_id_and_skipped_and_extra_dates_carry_the_timezone()
    {
        var series = Series(sequence: 2, rrule: "FREQ=WEEKLY;UNTIL=20270426T215959Z",
            exdates: [new DateTime(2027, 4, 12, 19, 0, 0)],
            rdates: [new DateTime(2027, 5, 3, 19, 0, 0)],
            overrides:
            [
                new CalendarOverride(new DateTime(2027, 3, 22, 19, 0, 0), new DateTime(2027, 3, 22, 20, 0, 0), new DateTime(2027, 3, 22, 22, 30, 0), 2, false, "Kleine zaal"),
                new CalendarOverride(new DateTime(2027, 4, 5, 19, 0, 0), new DateTime(2027, 4, 5, 19, 0, 0), new DateTime(2027, 4, 5, 21, 0, 0), 2, true, null),
            ]);

        var ics = CalendarInvitation.Build(series, CalendarInvitation.Request, Stamp);
        var lines = Lines(ics);

        Assert.Contains("RECURRENCE-ID;TZID=Europe/Amsterdam:20270322T190000", lines);
        Assert.Contains("RECURRENCE-ID;TZID=Europe/Amsterdam:20270405T190000", lines);
        Assert.Contains("EXDATE;TZID=Europe/Amsterdam:20270412T190000", lines);
        Assert.Contains("RDATE;TZID=Europe/Amsterdam:20270503T190000", lines);
        var calendar = IcalCalendar.Load(ics)!;
        Assert.Equal(3, calendar.Events.Count);
        Assert.All(calendar.Events, e => Assert.Equal("reservering-42@buurtcentra.test", e.Uid));
        var moved = calendar.Events.Single(e => e.RecurrenceIdentifier?.StartTime.Day == 22);
        Assert.Equal((20, 0, "Kleine zaal", "CONFIRMED"), (moved.DtStart!.Hour, moved.DtStart.Minute, moved.Location, moved.Status));
        var off = calendar.Events.Single(e => e.RecurrenceIdentifier?.StartTime.Day == 5);
        Assert.Equal("CANCELLED", off.Status);
        Assert.Equal("Grote zaal, Buurtcentrum De Boog", off.Location);

        var starts = calendar.GetOccurrences(new CalDateTime(2027, 3, 1, 0, 0, 0, "Europe/Amsterdam"), null)
            .Where(o => (o.Source as CalendarEvent)?.Status != "CANCELLED")
            .Select(o => o.Period.StartTime.Value).ToList();
        Assert.Equal(
        [
            new DateTime(2027, 3, 15, 19, 0, 0), new DateTime(2027, 3, 22, 20, 0, 0), new DateTime(2027, 3, 29, 19, 0, 0),
            new DateTime(2027, 4, 19, 19, 0, 0), new DateTime(2027, 4, 26, 19, 0, 0), new DateTime(2027, 5, 3, 19, 0, 0),
        ], starts);
    }

    [Fact]
    public void Lines_end_in_CRLF_and_are_folded_at_75_octets_without_breaking_a_character()
    {
        var longText = string.Concat(Enumerable.Repeat("Koffie, thee én gebak – voor iedereen 😀. ", 12));
        var ics = CalendarInvitation.Build(Series(description: longText), CalendarInvitation.Request, Stamp);

        Assert.EndsWith("END:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("\r", ics.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var physical = ics[..^2].Split("\r\n");
        Assert.All(physical, line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"{Encoding.UTF8.GetByteCount(line)} octets: {line}"));
        Assert.Contains(physical, line => line.StartsWith(' '));
        Assert.All(physical, line => Assert.False(line.Length > 0 && char.IsLowSurrogate(line[line.StartsWith(' ') ? 1 : 0]), "A line starts inside a character"));
        Assert.Equal(longText, Assert.Single(IcalCalendar.Load(ics)!.Events).Description);
    }

    [Fact]
    public async Task A_series_given_as_a_list_of_dates_has_no_rule_and_repeats_its_first_date_so_every_reader_shows_it()
    {
        var ics = CalendarInvitation.Build(Series(rrule: null, rdates: [new DateTime(2027, 3, 15, 19, 0, 0), new DateTime(2027, 6, 7, 19, 0, 0)]),
            CalendarInvitation.Request, Stamp);

        Assert.DoesNotContain(Component(Lines(ics), "VEVENT"), l => l.StartsWith("RRULE", StringComparison.Ordinal));
        var rdates = string.Join(",", Lines(ics).Where(l => l.StartsWith("RDATE;TZID=Europe/Amsterdam:", StringComparison.Ordinal)).Select(l => l.Split(':')[1]));
        Assert.Equal(["20270315T190000", "20270607T190000"], rdates.Split(',').Order());
        var starts = IcalCalendar.Load(ics)!.GetOccurrences(new CalDateTime(2027, 1, 1, 0, 0, 0, "Europe/Amsterdam"), null)
            .Select(o => o.Period.StartTime.AsUtc).ToList();
        DateTime[] expected = [new DateTime(2027, 3, 15, 18, 0, 0, DateTimeKind.Utc), new DateTime(2027, 6, 7, 17, 0, 0, DateTimeKind.Utc)];
        Assert.Equal(expected, starts);

        // ical.js drops DTSTART from a series of RDATEs that does not repeat it; python3-icalendar keeps it.
        var read = await Buurtcentra.Tests.Feeds.IndependentParsers.ReadAsync([ics]);
        Assert.Equal(expected, Assert.Single(read.IcalJs).Instances.Select(i => i.Start));
        Assert.Equal(expected, Assert.Single(read.Python).Instances.Select(i => i.Start));
    }

    [Fact]
    public async Task Instants_in_the_repeated_autumn_hour_are_written_in_UTC_and_read_right_by_both_parsers()
    {
        // A weekly series at 02:30–03:30; on 31 October 2027 it is the second 02:30 (winter time, 01:30 UTC), moved there.
        var winter = new CalendarOverride(new DateTime(2027, 10, 31, 2, 30, 0),
            new DateTime(2027, 10, 31, 1, 30, 0, DateTimeKind.Utc), new DateTime(2027, 10, 31, 2, 30, 0, DateTimeKind.Utc), 0, false, null);
        var series = Series(rrule: "FREQ=WEEKLY;UNTIL=20271107T225959Z", firstStart: new DateTime(2027, 10, 24, 2, 30, 0), overrides: [winter])
            with { Duration = TimeSpan.FromHours(1) };
        var single = Series(rrule: null, firstStart: new DateTime(2027, 10, 31, 0, 30, 0, DateTimeKind.Utc)) with { Duration = TimeSpan.FromMinutes(20) };

        var seriesIcs = CalendarInvitation.Build(series, CalendarInvitation.Request, Stamp);
        var singleIcs = CalendarInvitation.Build(single, CalendarInvitation.Request, Stamp);

        Assert.Contains("DTSTART:20271031T013000Z", Lines(seriesIcs));
        Assert.Contains("DTEND;TZID=Europe/Amsterdam:20271031T033000", Lines(seriesIcs)); // 03:30 happens once
        Assert.Contains("RECURRENCE-ID;TZID=Europe/Amsterdam:20271031T023000", Lines(seriesIcs));
        Assert.Contains("DTSTART:20271031T003000Z", Lines(singleIcs));
        var read = await Buurtcentra.Tests.Feeds.IndependentParsers.ReadAsync([seriesIcs, singleIcs]);
        foreach (var files in new[] { read.IcalJs, read.Python })
        {
            Assert.Equal(
                [new DateTime(2027, 10, 24, 0, 30, 0), new DateTime(2027, 10, 31, 1, 30, 0), new DateTime(2027, 11, 7, 1, 30, 0)],
                files[0].Instances.Select(i => i.Start));
            Assert.Equal(new DateTime(2027, 10, 31, 0, 50, 0), Assert.Single(files[1].Instances).End);
        }
    }

    [Theory]
    [InlineData("PUBLISH")]
    [InlineData("request")]
    [InlineData("")]
    public void Only_request_and_cancel_are_accepted(string method) =>
        Assert.Throws<ArgumentException>(() => CalendarInvitation.Build(Series(), method, Stamp));

    private static List<string> Component(string[] lines, string name)
    {
        var start = Array.IndexOf(lines, "BEGIN:" + name);
        var end = Array.IndexOf(lines, "END:" + name, start);
        Assert.True(start >= 0 && end > start, $"No {name} component");
        return lines[(start + 1)..end].ToList();
    }
}
