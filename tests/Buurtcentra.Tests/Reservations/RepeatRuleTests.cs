using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Buurtcentra.Tests.Feeds;
using Buurtcentra.Tests.Support;
using Dapper;
using Ical.Net.DataTypes;
using IcalCalendar = Ical.Net.Calendar;

namespace Buurtcentra.Tests.Reservations;

/// <summary>Repeat rules at their edges: nights the clocks change, explicit offsets, monthly intervals, COUNT after a closure day.</summary>
public sealed partial class ReservationFlowTests
{
    private async Task<HttpResponseMessage> PostApiAsync(Browser beheerder, long roomId, string start, string end, object? recurrence = null) =>
        await beheerder.Client.PostAsJsonAsync("/api/v1/reservations", new
        {
            roomId, start, end, activity = "Nachtwandeling", participants = 5, contactName = "Henk", contactEmail = "henk@example.org", recurrence,
        });

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task<(DateTime Start, DateTime End)[]> InstantsAsync(long reservationId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(DateTime, DateTime)>(
            "select starts_at, ends_at from occurrences where reservation_id = @reservationId order by series_date", new { reservationId })).ToArray();
    }

    private static DateTime UtcAt(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public async Task The_API_keeps_a_time_with_an_explicit_offset_as_the_instant_it_is_on_the_night_the_clocks_go_back()
    {
        var s = await SetupAsync();
        await Data.OpeningHoursAsync(s.CentreId, 7, new TimeOnly(0, 0), new TimeOnly(8, 0));
        var rooms = new[] { s.RoomId, await Data.RoomAsync(s.CentreId, "Kleine zaal"), await Data.RoomAsync(s.CentreId, "Keuken") };
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update rooms set min_minutes = 15");
        }
        var beheerder = await BeheerderAsync(s.BeheerderId);

        // 31 October 2027: 02:30 happens twice, at 00:30 UTC (+02:00) and at 01:30 UTC (+01:00).
        var second = await PostApiAsync(beheerder, rooms[0], "2027-10-31T02:30+01:00", "2027-10-31T03:30+01:00");
        var across = await PostApiAsync(beheerder, rooms[1], "2027-10-31T02:30+02:00", "2027-10-31T02:45+01:00");
        var local = await PostApiAsync(beheerder, rooms[2], "2027-10-31T02:30", "2027-10-31T03:30");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created], new[] { second, across, local }.Select(r => r.StatusCode));
        var secondJson = await JsonAsync(second);
        Assert.Equal((UtcAt(2027, 10, 31, 1, 30), UtcAt(2027, 10, 31, 2, 30)), Assert.Single(await InstantsAsync(secondJson.GetProperty("id").GetInt64())));
        Assert.Equal("2027-10-31T02:30:00+01:00", secondJson.GetProperty("occurrences")[0].GetProperty("start").GetString());
        Assert.Equal((UtcAt(2027, 10, 31, 0, 30), UtcAt(2027, 10, 31, 1, 45)), Assert.Single(await InstantsAsync((await JsonAsync(across)).GetProperty("id").GetInt64())));
        // Without an offset an ambiguous time is the first one, as RFC 5545 reads it.
        Assert.Equal((UtcAt(2027, 10, 31, 0, 30), UtcAt(2027, 10, 31, 2, 30)), Assert.Single(await InstantsAsync((await JsonAsync(local)).GetProperty("id").GetInt64())));
    }

    [Fact]
    public async Task A_series_through_the_night_the_clocks_go_forward_books_the_other_dates_and_says_which_one_is_left_out_and_why()
    {
        var s = await SetupAsync();
        await Data.OpeningHoursAsync(s.CentreId, 7, new TimeOnly(0, 0), new TimeOnly(8, 0));
        var formRoom = await Data.RoomAsync(s.CentreId, "Kleine zaal");
        var beheerder = await BeheerderAsync(s.BeheerderId);
        const string reason = "02:30 bestaat die nacht niet: de klok gaat om 02:00 een uur vooruit naar 03:00";

        // The API: Sundays 21 March – 4 April 2027 at 02:30; on 28 March the clocks go from 02:00 to 03:00.
        var created = await PostApiAsync(beheerder, s.RoomId, "2027-03-21T02:30", "2027-03-21T03:30", new { kind = "weekly", count = 3 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var json = await JsonAsync(created);
        Assert.Equal(["2027-03-21", "2027-04-04"], json.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("seriesDate").GetString()));
        var skipped = Assert.Single(json.GetProperty("skipped").EnumerateArray());
        Assert.Equal(("2027-03-28", reason), (skipped.GetProperty("date").GetString(), skipped.GetProperty("reason").GetString()));
        var id = json.GetProperty("id").GetInt64();
        var mail = await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @id and kind = 'bevestigd'", new { id });
        Assert.Contains($"zondag 28 maart 2027 ({reason})", mail);

        // The form says it in its result.
        var fields = RequestFields(formRoom, date: "2027-03-21", start: "02:30", end: "03:30", repeat: "wekelijks", until: "2027-04-04");
        fields.Add(new("ContactName", "Henk de Vries"));
        var booked = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={formRoom}", "/reserveren/nieuw", fields);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var page = await beheerder.GetPageAsync(booked.Headers.Location!.OriginalString);
        Assert.Contains($"Niet op: zondag 28 maart 2027 ({reason})", page);

        // One date at a time that does not exist is refused, with a time that does.
        var single = await PostApiAsync(beheerder, s.RoomId, "2027-03-28T02:30", "2027-03-28T03:30");
        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.Contains("bijvoorbeeld 03:00", (await JsonAsync(single)).GetProperty("errors").GetProperty("start")[0].GetString());
    }

    [Fact]
    public async Task Monthly_series_repeat_every_few_months_and_contradictory_repeat_fields_are_refused_naming_the_field()
    {
        var s = await SetupAsync();
        var formRoom = await Data.RoomAsync(s.CentreId, "Kleine zaal");
        var beheerder = await BeheerderAsync(s.BeheerderId);

        // The API: every other month on the second Tuesday, three times.
        var created = await PostApiAsync(beheerder, s.RoomId, "2027-01-12T19:00", "2027-01-12T21:00", new { kind = "monthly", interval = 2, count = 3 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var json = await JsonAsync(created);
        Assert.Equal(["2027-01-12", "2027-03-09", "2027-05-11"], json.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("seriesDate").GetString()));
        Assert.StartsWith("om de 2 maanden op de 2e dinsdag van de maand, 19:00–21:00; 3 keer", json.GetProperty("when").GetString());

        // The form: every three months, until a date.
        var fields = RequestFields(formRoom, date: "2027-01-12", repeat: "maandelijks", until: "2027-10-31");
        fields.Add(new("MonthInterval", "3"));
        fields.Add(new("ContactName", "Henk de Vries"));
        fields.Add(new("ContactEmail", "henk@example.org"));
        Assert.Equal(HttpStatusCode.Redirect, (await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={formRoom}", "/reserveren/nieuw", fields)).StatusCode);
        var id = await LatestReservationIdAsync();
        Assert.Equal([UtcAt(2027, 1, 12, 18, 0), UtcAt(2027, 4, 13, 17, 0), UtcAt(2027, 7, 13, 17, 0), UtcAt(2027, 10, 12, 17, 0)],
            (await InstantsAsync(id)).Select(i => i.Start));
        var ics = await Data.ScalarAsync<string>("select calendar_ics from outbox where reservation_id = @id and kind = 'bevestigd'", new { id });
        var rule = ics.Replace("\r\n ", "").Split("\r\n").Last(l => l.StartsWith("RRULE:", StringComparison.Ordinal))["RRULE:".Length..];
        Assert.Equal(["BYDAY=2TU", "FREQ=MONTHLY", "INTERVAL=3", "UNTIL=20271012T215959Z"], rule.Split(';').Order());
        Assert.Equal([UtcAt(2027, 1, 12, 18, 0), UtcAt(2027, 4, 13, 17, 0), UtcAt(2027, 7, 13, 17, 0), UtcAt(2027, 10, 12, 17, 0)],
            (await IndependentParsers.ReadAsync([ics])).IcalJs[0].Instances.Select(i => i.Start));

        // Refused, with the field named: until and count together, an interval a month rule cannot have, fields of another kind.
        async Task<string[]> ErrorFields(object recurrence)
        {
            var response = await PostApiAsync(beheerder, s.RoomId, "2027-02-02T19:00", "2027-02-02T21:00", recurrence);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
        }
        Assert.Equal(["recurrence.count"], await ErrorFields(new { kind = "weekly", until = "2027-03-30", count = 3 }));
        Assert.Equal(["recurrence.interval"], await ErrorFields(new { kind = "monthly", interval = 13, count = 3 }));
        Assert.Equal(["recurrence.weekOfMonth"], await ErrorFields(new { kind = "weekly", weekOfMonth = 1, count = 3 }));
        Assert.Equal(["recurrence.dates"], await ErrorFields(new { kind = "weekly", count = 3, dates = new[] { "2027-02-09" } }));
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
    }

    [Fact]
    public async Task A_COUNT_series_whose_first_date_is_a_closure_day_is_sent_with_exactly_its_dates_and_splits_with_the_right_until()
    {
        var s = await SetupAsync();
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
                values (null, '2027-03-02', '2027-03-02', 'overig', 'Verkiezingen', now())
                """);
        }
        var beheerder = await BeheerderAsync(s.BeheerderId);
        // Six Tuesdays from 2 March 2027, which is closed: booked are 9 March to 6 April (5 dates), not to 13 April.
        var fields = RequestFields(s.RoomId, date: "2027-03-02", repeat: "wekelijks").Where(f => f.Key != "EndsBy").ToList();
        fields.AddRange([new("EndsBy", "aantal"), new("Count", "6"), new("ContactName", "Henk de Vries"), new("ContactEmail", "henk@example.org")]);
        Assert.Equal(HttpStatusCode.Redirect, (await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", fields)).StatusCode);
        var id = await LatestReservationIdAsync();
        var tuesdays = Enumerable.Range(1, 5).Select(w => new DateTime(2027, 3, 2).AddDays(7 * w)).ToList();
        Assert.Equal(tuesdays.Select(d => Utc(d.ToString("yyyy-MM-dd"), 19)), (await InstantsAsync(id)).Select(i => i.Start));

        var ics = await Data.ScalarAsync<string>("select calendar_ics from outbox where reservation_id = @id and kind = 'bevestigd'", new { id });
        Assert.DoesNotContain("COUNT=", ics);
        Assert.Equal(tuesdays.Select(d => d.AddHours(19)), CalendarStarts(ics));
        var read = await IndependentParsers.ReadAsync([ics]);
        foreach (var file in new[] { read.IcalJs[0], read.Python[0] })
        {
            Assert.Equal(tuesdays.Select(d => Utc(d.ToString("yyyy-MM-dd"), 19)), file.Instances.Select(i => i.Start));
        }

        // "Deze en volgende" from 23 March: the first part ends on 16 March, the second on 6 April, and the mails say so.
        var changed = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
            Change("vanaf", s.RoomId, "20:00", "22:00", seriesDate: "2027-03-23"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var later = await Data.ScalarAsync<long>("select id from reservations where continued_from = @id", new { id });
        Assert.Equal("2027-03-16", await Data.ScalarAsync<string>("select recurrence->>'until' from reservations where id = @id", new { id }));
        Assert.Equal("2027-04-06", await Data.ScalarAsync<string>("select recurrence->>'until' from reservations where id = @later", new { later }));
        Assert.Equal([Utc("2027-03-23", 20), Utc("2027-03-30", 20), Utc("2027-04-06", 20)], (await InstantsAsync(later)).Select(i => i.Start));
        var laterMail = await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @later and kind = 'gewijzigd'", new { later });
        Assert.Contains("elke week op dinsdag, 20:00–22:00; 3 keer, van dinsdag 23 maart 2027 tot en met dinsdag 6 april 2027", laterMail);
        Assert.DoesNotContain("13 april", laterMail);
        var firstMail = await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @id and kind = 'gewijzigd'", new { id });
        Assert.Contains("elke week op dinsdag, 19:00–21:00; 2 keer, van dinsdag 9 maart 2027 tot en met dinsdag 16 maart 2027", firstMail);
        Assert.Equal([new DateTime(2027, 3, 9, 19, 0, 0), new DateTime(2027, 3, 16, 19, 0, 0)], CalendarStarts(await LatestInvitationAsync(id)));
        Assert.Equal([new DateTime(2027, 3, 23, 20, 0, 0), new DateTime(2027, 3, 30, 20, 0, 0), new DateTime(2027, 4, 6, 20, 0, 0)],
            CalendarStarts(await LatestInvitationAsync(later)));
    }
}
