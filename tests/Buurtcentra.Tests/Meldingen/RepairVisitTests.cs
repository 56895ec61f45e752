using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Feeds;

namespace Buurtcentra.Tests.Meldingen;

/// <summary>
/// A planned repair visit of a melding: in the room's week grid and day view and in the private room and staff feeds as
/// "Onderhoud: …" without personal data; optionally it blocks the room like buiten gebruik. App.Time: maandag 23 november 2026, 10:00.
/// </summary>
public sealed partial class RepairVisitTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string Description = "De verwarming in de zaal doet het niet meer.";
    private const string Reporter = "Truus Melder";

    private sealed record Setup(long CentreId, long RoomId, long MeldingId, long StadsbedrijvenId, long BeheerderId);

    private async Task<Setup> SetupAsync()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Grote zaal", capacity: 40);
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centreId, day, new TimeOnly(8, 0), new TimeOnly(23, 0));
        var meldingId = await Data.ScalarAsync<long>("""
            insert into meldingen (centre_id, room_id, category, kind, description, urgency, reporter_name, reporter_email, clock_started_at, due_at, created_at, updated_at)
            values (@centreId, @roomId, 'heel', 'technisch', @Description, 'hoog', @Reporter, 'truus@example.org', now(), now() + interval '1 day', now(), now())
            returning id
            """, new { centreId, roomId, Description, Reporter });
        // TestData stamps rows with the database's clock; the app runs on a fake one. Put them before it.
        await Data.ScalarAsync<int>("update rooms set updated_at = @before where id = @roomId returning 1",
            new { roomId, before = App.Time.GetUtcNow().AddDays(-1) });
        return new Setup(centreId, roomId, meldingId, await Data.UserAsync("stadsbedrijven"), await Data.UserAsync("sociaal_beheerder", centreIds: [centreId]));
    }

    private async Task<Browser> SignedInAsync(long userId)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));
        return browser;
    }

    private static (string, string)[] Visit(string date = "2026-12-01", string from = "09:00", string until = "11:00", bool block = false,
        string assignee = "Team gebouwen") =>
        [("Visit.Date", date), ("Visit.From", from), ("Visit.Until", until), ("Visit.Assignee", assignee), ("Visit.BlockRoom", block ? "true" : "false")];

    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    [Fact]
    public async Task A_visit_that_blocks_the_room_is_in_the_week_grid_and_day_view_without_personal_data_and_refuses_bookings_until_cancelled()
    {
        var s = await SetupAsync();
        var stadsbedrijven = await SignedInAsync(s.StadsbedrijvenId);
        var page = $"/beheer/meldingen/{s.MeldingId}";
        Assert.Contains("name=\"Visit.Date\"", await stadsbedrijven.GetPageAsync(page));

        var planned = await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(block: true));
        Assert.Equal(HttpStatusCode.Redirect, planned.StatusCode);
        var melding = Decode(await stadsbedrijven.GetPageAsync(page));
        Assert.Contains("dinsdag 1 december 2026 09:00–11:00, Team gebouwen (ruimte geblokkeerd)", melding);
        Assert.Contains("Bezoek gepland: dinsdag 1 december 2026 09:00–11:00 in Grote zaal, door Team gebouwen. De ruimte is dan buiten gebruik.", melding);

        var beheerder = await SignedInAsync(s.BeheerderId);
        var week = Decode(await beheerder.GetPageAsync($"/beheer/buurtcentra/{s.CentreId}/week?datum=2026-12-01"));
        Assert.Matches($"agenda-block--maintenance\">\\s*<a class=\"utrecht-link\" href=\"/beheer/meldingen/{s.MeldingId}\"><span class=\"agenda-time\">09:00–11:00</span> Onderhoud: Kapot of defect</a>", week);
        Assert.DoesNotContain(Description, week);
        Assert.DoesNotContain(Reporter, week);
        Assert.DoesNotContain("Team gebouwen", week);
        // Blocked through an out-of-use row of its own, which the grid does not show a second time.
        Assert.DoesNotContain("Buiten gebruik:", week);
        var day = Decode(await beheerder.GetPageAsync($"/beheer/buurtcentra/{s.CentreId}/dag?datum=2026-12-01"));
        Assert.Matches($"09:00–11:00, Grote zaal:\\s*<a class=\"utrecht-link\" href=\"/beheer/meldingen/{s.MeldingId}\">Onderhoud: Kapot of defect</a>", day);
        Assert.DoesNotContain("Onderhoud", Decode(await beheerder.GetPageAsync($"/beheer/buurtcentra/{s.CentreId}/dag?datum=2026-12-02")));

        // The database refuses a booking then, with the out-of-use message in the form.
        var booking = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw",
            ("centrum", ""), ("RoomId", s.RoomId.ToString()), ("Date", "2026-12-01"), ("StartTime", "10:00"), ("EndTime", "12:00"),
            ("Repeat", "eenmalig"), ("EndsBy", "datum"), ("Activity", "Overleg"), ("Category", "bewonersinitiatief"), ("Participants", "5"),
            ("ContactName", "Beheer"), ("ContactEmail", "beheer@example.org"), ("actie", "versturen"));
        Assert.Contains($"Deze ruimte is dan buiten gebruik (Onderhoud (melding {s.MeldingId}), dinsdag 1 december 2026 09:00–11:00).",
            Decode(await booking.Content.ReadAsStringAsync()));

        var visitId = await Data.ScalarAsync<long>("select id from melding_visits");
        var cancelled = await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek/afzeggen", ("visitId", visitId.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from room_out_of_use where cancelled_at is null"));
        Assert.DoesNotContain("Onderhoud:", Decode(await beheerder.GetPageAsync($"/beheer/buurtcentra/{s.CentreId}/week?datum=2026-12-01")));
        Assert.Contains("Bezoek afgezegd: dinsdag 1 december 2026 09:00–11:00.", Decode(await stadsbedrijven.GetPageAsync(page)));
        var again = await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek/afzeggen", ("visitId", visitId.ToString()));
        Assert.Contains("Dit bezoek bestaat niet of is al afgezegd.", Decode(await stadsbedrijven.GetPageAsync(again.Headers.Location!.OriginalString)));
    }

    [Fact]
    public async Task Solving_the_melding_cancels_its_coming_visit_ends_the_one_under_way_and_frees_the_room_and_says_so()
    {
        var s = await SetupAsync();
        var stadsbedrijven = await SignedInAsync(s.StadsbedrijvenId);
        var page = $"/beheer/meldingen/{s.MeldingId}";
        // Monday 23 November 2026 10:00 Utrecht time is 09:00Z. A visit under way (09:30–12:00), one to come (1 December) and an
        // out-of-use period of the melding's own (24–26 November); a past visit (08:00–09:00) stays as it was.
        Assert.Equal(HttpStatusCode.Redirect, (await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(block: true))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await stadsbedrijven.PostFormAsync(page, $"{page}/buiten-gebruik",
            ("OutOfUse.FromDate", "2026-11-24"), ("OutOfUse.FromTime", "08:00"), ("OutOfUse.UntilDate", "2026-11-26"), ("OutOfUse.UntilTime", "18:00"),
            ("OutOfUse.Reason", "Vloer droogt"))).StatusCode);
        await Data.ScalarAsync<int>("""
            with u as (insert into room_out_of_use (room_id, melding_id, starts_at, ends_at, reason, created_at)
                       values (@RoomId, @MeldingId, '2026-11-23 08:30Z', '2026-11-23 11:00Z', 'Onderhoud', now()) returning id)
            insert into melding_visits (melding_id, room_id, starts_at, ends_at, out_of_use_id, created_at, updated_at)
            select @MeldingId, @RoomId, timestamptz '2026-11-23 08:30Z', timestamptz '2026-11-23 11:00Z', id, now(), now() from u
            union all select @MeldingId, @RoomId, timestamptz '2026-11-23 07:00Z', timestamptz '2026-11-23 08:00Z', null, now(), now()
            returning 1
            """, new { s.RoomId, s.MeldingId });

        var solved = await stadsbedrijven.PostFormAsync(page, $"{page}/status", ("Form.To", "opgelost"), ("Form.Note", "Ketel vervangen."));
        Assert.Equal(HttpStatusCode.Redirect, solved.StatusCode);
        var melding = Decode(await stadsbedrijven.GetPageAsync(page));
        const string said = "Het bezoek van maandag 23 november 2026 09:30–10:00 is nu beëindigd. "
            + "Grote zaal gaat toch niet buiten gebruik (dinsdag 24 november 2026 08:00 tot donderdag 26 november 2026 18:00). "
            + "Het geplande bezoek van dinsdag 1 december 2026 09:00–11:00 is afgezegd. Grote zaal is weer te reserveren.";
        Assert.Contains(said, melding); // the confirmation and the thread
        Assert.Equal(2, Regex.Matches(melding, Regex.Escape(said)).Count);

        // In the database: nothing of the melding holds the room from now on; the past visit is untouched.
        Assert.Equal(0, await Data.ScalarAsync<int>(
            "select count(*)::int from room_out_of_use where cancelled_at is null and ends_at > '2026-11-23 09:00Z'"));
        Assert.Equal("11-23 07:00-08:00 planned, 11-23 08:30-09:00 planned, 12-01 08:00-10:00 cancelled", await Data.ScalarAsync<string>("""
            select string_agg(to_char(starts_at at time zone 'UTC', 'MM-DD HH24:MI') || '-' || to_char(ends_at at time zone 'UTC', 'HH24:MI')
                   || case when cancelled_at is null then ' planned' else ' cancelled' end, ', ' order by starts_at)
            from melding_visits
            """));

        // The week grid no longer shows the maintenance to come, and the room can be booked on 1 December again.
        var beheerder = await SignedInAsync(s.BeheerderId);
        Assert.DoesNotContain("Onderhoud:", Decode(await beheerder.GetPageAsync($"/beheer/buurtcentra/{s.CentreId}/week?datum=2026-12-01")));
        var booking = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw",
            ("centrum", ""), ("RoomId", s.RoomId.ToString()), ("Date", "2026-12-01"), ("StartTime", "10:00"), ("EndTime", "12:00"),
            ("Repeat", "eenmalig"), ("EndsBy", "datum"), ("Activity", "Overleg"), ("Category", "bewonersinitiatief"), ("Participants", "5"),
            ("ContactName", "Beheer"), ("ContactEmail", "beheer@example.org"), ("actie", "versturen"));
        Assert.Equal(HttpStatusCode.Redirect, booking.StatusCode);

        // The status mail to the reporter says it too.
        var mails = await App.WaitForMailsAsync(1);
        Assert.Contains(mails, m => (MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m))).TextBody ?? "")
            .Contains("Het geplande bezoek van dinsdag 1 december 2026 09:00–11:00 is afgezegd."));
    }

    [Fact]
    public async Task Rejecting_a_melding_without_visits_changes_no_room_and_says_nothing_about_one()
    {
        var s = await SetupAsync();
        var stadsbedrijven = await SignedInAsync(s.StadsbedrijvenId);
        var page = $"/beheer/meldingen/{s.MeldingId}";
        var rejected = await stadsbedrijven.PostFormAsync(page, $"{page}/status", ("Form.To", "afgewezen"), ("Form.Reason", "Geen defect gevonden."));
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        var melding = Decode(await stadsbedrijven.GetPageAsync(page));
        Assert.Contains($"Melding {s.MeldingId} staat nu op ‘Afgewezen’.", melding);
        Assert.DoesNotContain("weer te reserveren", melding);
    }

    [Fact]
    public async Task Blocking_is_refused_while_the_room_is_booked_then_and_bad_input_gets_dutch_messages()
    {
        var s = await SetupAsync();
        var reservation = await Data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, contact_name, contact_email, activity, category, participants, tariff, status, created_at, updated_at)
            values (@CentreId, @RoomId, 'Koor', 'koor@example.org', 'Buurtkoor', 'bewonersinitiatief', 15, 'om_niet', 'bevestigd', now(), now()) returning id
            """, new { s.CentreId, s.RoomId });
        await Data.ScalarAsync<int>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@reservation, @RoomId, '2026-12-01', '2026-12-01 09:00Z', '2026-12-01 10:00Z', '2026-12-01 09:00Z', '2026-12-01 10:00Z', 'bevestigd', now())
            returning 1
            """, new { reservation, s.RoomId });
        var stadsbedrijven = await SignedInAsync(s.StadsbedrijvenId);
        var page = $"/beheer/meldingen/{s.MeldingId}";

        var refused = await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(block: true));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var body = Decode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("De ruimte is dan gereserveerd of aangevraagd: dinsdag 1 december 2026 10:00–11:00. Kies een andere tijd, of plan het bezoek zonder de ruimte te blokkeren.", body);
        Assert.DoesNotContain("Buurtkoor", body); // Stadsbedrijven sees no bookings' details
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from melding_visits"));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from room_out_of_use"));

        // Without blocking the room, the visit can be planned.
        Assert.Equal(HttpStatusCode.Redirect, (await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(block: false))).StatusCode);
        Assert.Equal((1, 0), (await Data.ScalarAsync<int>("select count(*)::int from melding_visits"),
            await Data.ScalarAsync<int>("select count(*)::int from room_out_of_use")));

        var bad = Decode(await (await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(date: "2026-11-20", from: "11:00", until: "10:00", assignee: "x"))).Content.ReadAsStringAsync());
        Assert.Contains("De dag van het bezoek mag niet in het verleden liggen.", bad);
        Assert.Contains("De eindtijd moet na de begintijd liggen (op dezelfde dag).", bad);
        Assert.Contains("Wie er komt: 2 tot 120 tekens.", bad);
        var empty = Decode(await (await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(date: "", from: "", until: ""))).Content.ReadAsStringAsync());
        Assert.Contains("Vul de dag van het bezoek in.", empty);
        Assert.Contains("Vul de begintijd in.", empty);
        // 28 March 2027 02:30 does not exist in Utrecht; earlier today is past.
        var gap = Decode(await (await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(date: "2027-03-28", from: "02:30", until: "04:00"))).Content.ReadAsStringAsync());
        Assert.Contains("Die begintijd bestaat niet", gap);
        var past = Decode(await (await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(date: "2026-11-23", from: "08:00", until: "09:00"))).Content.ReadAsStringAsync());
        Assert.Contains("Die tijd is al voorbij.", past);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from melding_visits"));

        // A beheerder of another centre cannot plan one; a solved melding gets no new visits.
        var other = await SignedInAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [await Data.CentreAsync("Elders")]));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostFormAsync("/beheer/meldingen", $"{page}/bezoek", Visit(date: "2026-12-02"))).StatusCode);
        await Data.ScalarAsync<int>("update meldingen set status = 'opgelost', solved_at = now() where id = @MeldingId returning 1", new { s.MeldingId });
        var closed = Decode(await (await stadsbedrijven.PostFormAsync(page, $"{page}/bezoek", Visit(date: "2026-12-02"))).Content.ReadAsStringAsync());
        Assert.Contains("Een bezoek plannen kan alleen bij een open melding.", closed);
    }

    [Fact]
    public async Task Private_room_and_staff_feeds_show_the_visit_without_personal_data_and_a_cancelled_one_as_cancelled()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var roomFeed = await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId);
        var staffFeed = await SubscribeAsync(beheerder, FeedKinds.Medewerker);
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @CentreId", new { s.CentreId });
        var etag = (await FeedAsync(roomFeed)).Headers.ETag;

        var page = $"/beheer/meldingen/{s.MeldingId}";
        Assert.Equal(HttpStatusCode.Redirect, (await beheerder.PostFormAsync(page, $"{page}/bezoek", Visit())).StatusCode);
        var visitId = await Data.ScalarAsync<long>("select id from melding_visits");

        var room = await FeedAsync(roomFeed);
        Assert.NotEqual(etag, room.Headers.ETag);
        foreach (var feed in new[] { Unfold(await room.Content.ReadAsStringAsync()), Unfold(await (await FeedAsync(staffFeed)).Content.ReadAsStringAsync()) })
        {
            Assert.Contains($"UID:bc-visit-{visitId}@{CalendarFeedQuery.UidDomain}", feed);
            Assert.Contains("SUMMARY:Onderhoud: Kapot of defect", feed);
            Assert.Contains("DTSTART;TZID=Europe/Amsterdam:20261201T090000", feed);
            Assert.Contains("DTEND;TZID=Europe/Amsterdam:20261201T110000", feed);
            Assert.Contains($"Melding {s.MeldingId}", feed);
            Assert.DoesNotContain("verwarming", feed);
            Assert.DoesNotContain("Truus", feed);
            Assert.DoesNotContain("Team gebouwen", feed);
        }
        Assert.DoesNotContain("Onderhoud", await (await FeedAsync($"/agenda/buurtcentra/{slug}.ics")).Content.ReadAsStringAsync());

        await beheerder.PostFormAsync(page, $"{page}/bezoek/afzeggen", ("visitId", visitId.ToString()));
        var after = Unfold(await (await FeedAsync(roomFeed)).Content.ReadAsStringAsync());
        Assert.Contains("SUMMARY:Afgezegd: Onderhoud: Kapot of defect", after);
        Assert.Contains("STATUS:CANCELLED", after);
    }

    private static string Unfold(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);

    private async Task<HttpResponseMessage> FeedAsync(string path)
    {
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task<string> SubscribeAsync(Browser browser, string kind, long? targetId = null)
    {
        var fields = new List<(string, string)> { ("Kind", kind) };
        if (targetId is not null) fields.Add(("TargetId", targetId.Value.ToString()));
        var response = await browser.PostFormAsync(SubscriptionsController.Path, SubscriptionsController.Path, fields.ToArray());
        var match = FeedLinkPattern().Match(await response.Content.ReadAsStringAsync());
        Assert.True(match.Success, "no feed link on the page");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"value=""https?://[^""/]+(/agenda/[A-Za-z0-9_\-]{43}\.ics)""")]
    private static partial Regex FeedLinkPattern();
}
