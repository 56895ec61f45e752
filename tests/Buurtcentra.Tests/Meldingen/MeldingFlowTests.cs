using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Dapper;

namespace Buurtcentra.Tests.Meldingen;

public sealed partial class MeldingFlowTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private sealed record Setup(long CentreId, string Slug, long RoomId, long OtherCentreId, long OtherRoomId, long BeheerderId,
        long OtherBeheerderId, long StadsbedrijvenId, long AdminId);

    private async Task<Setup> SetupAsync()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Grote zaal");
        var otherCentreId = await Data.CentreAsync("Verre Oost", wijkId: 5);
        var otherRoomId = await Data.RoomAsync(otherCentreId, "Keuken Oost", type: "keuken");
        return new Setup(centreId, await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId }), roomId,
            otherCentreId, otherRoomId,
            await Data.UserAsync("sociaal_beheerder", centreIds: [centreId]),
            await Data.UserAsync("sociaal_beheerder", centreIds: [otherCentreId]),
            await Data.UserAsync("stadsbedrijven"),
            await Data.UserAsync("functioneel_beheerder"));
    }

    private async Task<Browser> StaffAsync(long userId)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));
        return browser;
    }

    private static (string, string)[] PublicFields(long? roomId, string description = "De verwarming onder het raam blijft koud.",
        string category = "heel", string urgency = "normaal", string name = "Fatima El Amrani", string email = "fatima@example.org",
        bool duplicatesSeen = false) =>
    [
        ("RoomId", roomId?.ToString() ?? ""), ("Category", category), ("Kind", "technisch"), ("Urgency", urgency),
        ("Description", description), ("ReporterName", name), ("ReporterEmail", email), ("DuplicatesSeen", duplicatesSeen ? "true" : "false"),
    ];

    private async Task<long> LatestMeldingIdAsync() => await Data.ScalarAsync<long>("select max(id) from meldingen");

    private async Task<string> OutboxBodyAsync(string to, string kind) =>
        await Data.ScalarAsync<string>("select text_body from outbox where to_address = @to and kind = @kind order by id desc limit 1", new { to, kind });

    [GeneratedRegex(@"https?://[^/\s]+(/melding/[A-Za-z0-9_\-]+)")]
    private static partial Regex PrivateLinkPattern();

    [GeneratedRegex("name=\"offer\" value=\"([A-Za-z0-9_\\-]+)\"")]
    internal static partial Regex OfferPattern();

    [Fact]
    public async Task A_visitor_reports_through_the_qr_route_stadsbedrijven_plans_and_solves_and_the_visitor_closes_it()
    {
        var s = await SetupAsync();
        var visitor = new Browser(App);
        var form = $"/melden/{s.Slug}/{s.RoomId}";
        Assert.Contains("Grote zaal", await visitor.GetPageAsync(form));
        var sent = await visitor.PostFormAsync(form, form, PublicFields(s.RoomId));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("/melden/verstuurd", sent.Headers.Location!.OriginalString);
        var id = await LatestMeldingIdAsync();
        Assert.Equal("nieuw", await Data.ScalarAsync<string>("select status from meldingen where id = @id", new { id }));
        // Reported Monday 23 November 2026 10:00 (Utrecht) with urgency normaal: 5 working days, Monday 30 November 10:00.
        Assert.Equal(new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc), await Data.ScalarAsync<DateTime>("select due_at from meldingen where id = @id", new { id }));
        var link = PrivateLinkPattern().Match(await OutboxBodyAsync("fatima@example.org", "melding_ontvangen")).Groups[1].Value;
        Assert.NotEmpty(link);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from melding_access_links where token_hash = convert_to(@t, 'UTF8')", new { t = link[9..] }));
        Assert.Contains("melding_nieuw", await Data.ScalarAsync<string>("select string_agg(kind, ',') from outbox where to_address = @to",
            new { to = await Data.EmailOfAsync(s.BeheerderId) }));
        var own = await visitor.GetPageAsync(link);
        Assert.Contains("De verwarming onder het raam blijft koud.", own);
        Assert.Contains("Oplossen vóór maandag 30 november 2026 om 10:00", own);
        Assert.DoesNotContain("Status opslaan", own); // nothing to do for the reporter while it is new

        var stadsbedrijven = await StaffAsync(s.StadsbedrijvenId);
        var werkbak = await stadsbedrijven.GetPageAsync("/beheer/meldingen?status=open");
        Assert.Contains($"/beheer/meldingen/{id}", werkbak);
        Assert.DoesNotContain("Fatima", werkbak); // no personal data in the list
        var detail = $"/beheer/meldingen/{id}";
        var missing = await stadsbedrijven.PostFormAsync(detail, $"{detail}/status", ("Form.To", "in_behandeling"), ("Form.Assignee", "Team gebouwen"));
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("Vul in wanneer het werk gepland is.", await missing.Content.ReadAsStringAsync());
        Assert.Equal("nieuw", await Data.ScalarAsync<string>("select status from meldingen where id = @id", new { id }));

        var planned = await stadsbedrijven.PostFormAsync(detail, $"{detail}/status",
            ("Form.To", "in_behandeling"), ("Form.PlannedOn", "2026-11-25"), ("Form.Assignee", "Team gebouwen"), ("Form.Note", "Monteur komt 's ochtends."));
        Assert.Equal(HttpStatusCode.Redirect, planned.StatusCode);
        Assert.Contains("Het werk is gepland op woensdag 25 november 2026 (Team gebouwen).", await OutboxBodyAsync("fatima@example.org", "melding_status"));

        // The reporter cannot close it before it is solved.
        var early = await visitor.PostFormAsync(link, $"{link}/status", ("Form.To", "gesloten"));
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Equal("in_behandeling", await Data.ScalarAsync<string>("select status from meldingen where id = @id", new { id }));

        App.Time.Advance(TimeSpan.FromDays(2));
        stadsbedrijven = await StaffAsync(s.StadsbedrijvenId); // the sign-in cookie lasts 10 hours
        var solved = await stadsbedrijven.PostFormAsync(detail, $"{detail}/status", ("Form.To", "opgelost"), ("Form.Note", "Thermostaatkraan vervangen."));
        Assert.Equal(HttpStatusCode.Redirect, solved.StatusCode);
        var solvedMail = await OutboxBodyAsync("fatima@example.org", "melding_status");
        Assert.Contains("Is het probleem echt opgelost?", solvedMail);
        var closeLink = PrivateLinkPattern().Match(solvedMail).Groups[1].Value;
        Assert.Contains("binnen de streeftijd afgehandeld", await stadsbedrijven.GetPageAsync(detail));

        var closed = await visitor.PostFormAsync(closeLink, $"{closeLink}/status", ("Form.To", "gesloten"));
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.Equal("gesloten", await Data.ScalarAsync<string>("select status from meldingen where id = @id", new { id }));
        Assert.Equal(["gemeld", "in_behandeling", "opgelost", "gesloten"],
            (await Data.ScalarAsync<string>("select string_agg(coalesce(to_status, kind), ',' order by id) from melding_events where melding_id = @id", new { id })).Split(','));
        Assert.Contains("Melder", await visitor.GetPageAsync(closeLink));
    }

    [Fact]
    public async Task Before_sending_open_meldingen_for_the_same_room_and_category_are_shown_and_ik_heb_dit_ook_adds_to_it()
    {
        var s = await SetupAsync();
        var first = new Browser(App);
        var form = $"/melden/{s.Slug}/{s.RoomId}";
        await first.PostFormAsync(form, form, PublicFields(s.RoomId));
        var id = await LatestMeldingIdAsync();

        var second = new Browser(App);
        var shown = await second.PostFormAsync(form, form, PublicFields(s.RoomId, "Het is hier veel te koud, de radiator doet niets.", name: "Kees", email: "kees@example.org"));
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var page = await shown.Content.ReadAsStringAsync();
        Assert.Contains("Is dit hetzelfde probleem?", page);
        Assert.Contains($"/melden/ook-last/{id}", page);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from meldingen"));

        // Another category in the same room is not a duplicate.
        var other = await second.PostFormAsync(form, form, PublicFields(s.RoomId, "Er ligt afval in de hoek bij de deur.", category: "schoon", name: "Kees", email: "kees@example.org"));
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);

        var offer = OfferPattern().Match(page).Groups[1].Value;
        var also = await second.PostFormAsync(form, $"/melden/ook-last/{id}",
            ("reporterName", "Kees"), ("reporterEmail", "kees@example.org"), ("comment", "Ook bij de tweede radiator."), ("offer", offer));
        Assert.Equal("/melden/verstuurd?ook=true", also.Headers.Location!.OriginalString);
        Assert.Equal("Ook bij de tweede radiator.", await Data.ScalarAsync<string>("select note from melding_events where melding_id = @id and kind = 'ook_last'", new { id }));
        var followLink = PrivateLinkPattern().Match(await OutboxBodyAsync("kees@example.org", "melding_ook_last")).Groups[1].Value;
        var followerView = await second.GetPageAsync(followLink);
        Assert.Contains("1 ander heeft dit probleem ook", followerView);
        Assert.DoesNotContain("Fatima", followerView); // a follower does not see the reporter's name

        var again = await second.PostFormAsync(form, $"/melden/ook-last/{id}", ("reporterName", "Kees"), ("reporterEmail", "KEES@example.org"), ("offer", offer));
        Assert.Contains("al aangegeven", await again.Content.ReadAsStringAsync());

        // Sending anyway after seeing the list makes a new melding.
        var anyway = await second.PostFormAsync(form, form, PublicFields(s.RoomId, "Tweede probleem met de verwarming.", name: "Kees", email: "kees@example.org", duplicatesSeen: true));
        Assert.Equal(HttpStatusCode.Redirect, anyway.StatusCode);
        Assert.Equal(3, await Data.ScalarAsync<int>("select count(*)::int from meldingen"));

        // The status mail reaches the follower too, with a link that cannot close the melding.
        var stadsbedrijven = await StaffAsync(s.StadsbedrijvenId);
        await stadsbedrijven.PostFormAsync($"/beheer/meldingen/{id}", $"/beheer/meldingen/{id}/status", ("Form.To", "opgelost"));
        var followerMail = await OutboxBodyAsync("kees@example.org", "melding_status");
        Assert.DoesNotContain("Is het probleem echt opgelost?", followerMail);
        var followerLink = PrivateLinkPattern().Match(followerMail).Groups[1].Value;
        var refused = await second.PostFormAsync(followerLink, $"{followerLink}/status", ("Form.To", "gesloten"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("opgelost", await Data.ScalarAsync<string>("select status from meldingen where id = @id", new { id }));
    }

    [Fact]
    public async Task Bad_input_gives_dutch_messages_and_stores_nothing()
    {
        var s = await SetupAsync();
        var visitor = new Browser(App);
        var form = $"/melden/{s.Slug}";
        var response = await visitor.PostFormAsync(form, form,
            ("RoomId", s.OtherRoomId.ToString()), ("Category", "onzin"), ("Kind", ""), ("Urgency", "heel-erg"), ("Description", "kapot"),
            ("ReporterName", ""), ("ReporterEmail", "geen-adres"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        foreach (var message in new[] { "Kies een ruimte uit de lijst.", "Kies wat voor probleem het is.", "Kies of het technisch of facilitair is.",
                     "Kies hoe dringend het is.", "Beschrijf het probleem in minstens 10 tekens.", "Vul uw naam in.", "Vul een geldig e-mailadres in" })
        {
            Assert.Contains(WebUtility.HtmlEncode(message), page);
        }
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from meldingen"));
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Client.GetAsync($"/melden/{s.Slug}/{s.OtherRoomId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Client.GetAsync("/melding/" + new string('x', 43))).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_gebruiker_reports_follows_it_in_mijn_meldingen_and_reopens_it_with_a_reason()
    {
        var s = await SetupAsync();
        var gebruikerId = await Data.UserAsync("gebruiker");
        var gebruiker = new Browser(App);
        await gebruiker.SignInWithLinkAsync(App, await Data.EmailOfAsync(gebruikerId));
        Assert.Contains("De Boog", await gebruiker.GetPageAsync("/meldingen/nieuw"));
        var page = $"/meldingen/nieuw?centrum={s.Slug}";
        var response = await gebruiker.PostFormAsync(page, "/meldingen/nieuw",
            ("centrum", s.Slug), ("RoomId", s.RoomId.ToString()), ("Category", "veilig"), ("Kind", "technisch"), ("Urgency", "spoed"),
            ("Description", "Het noodlicht boven de nooduitgang is uit."));
        var id = await LatestMeldingIdAsync();
        Assert.Equal($"/meldingen/{id}", response.Headers.Location!.OriginalString);
        Assert.Contains($"Melding {id}", await gebruiker.GetPageAsync("/meldingen"));
        // Spoed: 4 hours around the clock, and Stadsbedrijven hears of it at once.
        Assert.Equal(new DateTime(2026, 11, 23, 13, 0, 0, DateTimeKind.Utc), await Data.ScalarAsync<DateTime>("select due_at from meldingen where id = @id", new { id }));
        Assert.Contains("SPOED", await Data.ScalarAsync<string>("select subject from outbox where to_address = @to and kind = 'melding_spoed'",
            new { to = await Data.EmailOfAsync(s.StadsbedrijvenId) }));

        var beheerder = await StaffAsync(s.BeheerderId);
        await beheerder.PostFormAsync($"/beheer/meldingen/{id}", $"/beheer/meldingen/{id}/status", ("Form.To", "opgelost"));
        App.Time.Advance(TimeSpan.FromHours(5));
        var noReason = await gebruiker.PostFormAsync($"/meldingen/{id}", $"/meldingen/{id}/status", ("Form.To", "heropend"));
        Assert.Contains("Vul in waarom het probleem niet is opgelost.", await noReason.Content.ReadAsStringAsync());
        var reopened = await gebruiker.PostFormAsync($"/meldingen/{id}", $"/meldingen/{id}/status", ("Form.To", "heropend"), ("Form.Reason", "Het lampje is nog steeds uit."));
        Assert.Equal(HttpStatusCode.Redirect, reopened.StatusCode);
        // Reopening restarts the clock: 4 hours from now.
        Assert.Equal(new DateTime(2026, 11, 23, 18, 0, 0, DateTimeKind.Utc), await Data.ScalarAsync<DateTime>("select due_at from meldingen where id = @id", new { id }));
        Assert.Contains("De reden: Het lampje is nog steeds uit.", await OutboxBodyAsync(await Data.EmailOfAsync(s.BeheerderId), "melding_status"));

        // Someone else's melding is not theirs to see: a beheerder of another centre gets a 404 on both pages.
        var stranger = await StaffAsync(s.OtherBeheerderId);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/meldingen/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/beheer/meldingen/{id}")).StatusCode);
    }

    [Fact]
    public async Task Beheerders_see_only_their_own_centres_and_stadsbedrijven_sees_all()
    {
        var s = await SetupAsync();
        var visitor = new Browser(App);
        await visitor.PostFormAsync($"/melden/{s.Slug}", $"/melden/{s.Slug}", PublicFields(null, "Lekkage bij de ingang van het gebouw."));
        var own = await LatestMeldingIdAsync();
        var otherSlug = await Data.ScalarAsync<string>("select slug from centres where id = @id", new { id = s.OtherCentreId });
        await visitor.PostFormAsync($"/melden/{otherSlug}", $"/melden/{otherSlug}", PublicFields(s.OtherRoomId, "Kraan in Keuken Oost lekt.", category: "heel"));
        var other = await LatestMeldingIdAsync();

        var beheerder = await StaffAsync(s.BeheerderId);
        var list = await beheerder.GetPageAsync("/beheer/meldingen");
        Assert.Contains($"/beheer/meldingen/{own}\"", list);
        Assert.DoesNotContain("Keuken Oost", list);
        Assert.DoesNotContain("Verre Oost", list);
        Assert.Equal(HttpStatusCode.NotFound, (await beheerder.Client.GetAsync($"/beheer/meldingen/{other}")).StatusCode);
        var token = await beheerder.TokenFromAsync($"/beheer/meldingen/{own}");
        var post = await beheerder.Client.PostAsync($"/beheer/meldingen/{other}/status",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("Form.To", "afgewezen"), new("Form.Reason", "Niet van ons")]));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal("nieuw", await Data.ScalarAsync<string>("select status from meldingen where id = @other", new { other }));
        Assert.DoesNotContain("Keuken Oost", await (await beheerder.Client.GetAsync("/beheer/meldingen/export.csv")).Content.ReadAsStringAsync());

        var stadsbedrijven = await StaffAsync(s.StadsbedrijvenId);
        var all = await stadsbedrijven.GetPageAsync("/beheer/meldingen");
        Assert.Contains($"/beheer/meldingen/{own}\"", all);
        Assert.Contains($"/beheer/meldingen/{other}\"", all);
        var filtered = await stadsbedrijven.GetPageAsync($"/beheer/meldingen?wijk=5");
        Assert.DoesNotContain($"/beheer/meldingen/{own}\"", filtered);
        Assert.Contains($"/beheer/meldingen/{other}\"", filtered);
        Assert.Contains("Nieuw: 2", all);

        // Overdue: after the deadline of normaal (5 working days) both are late.
        Assert.DoesNotContain($"/beheer/meldingen/{own}\"", await stadsbedrijven.GetPageAsync("/beheer/meldingen?teLaat=true"));
        App.Time.Advance(TimeSpan.FromDays(8));
        stadsbedrijven = await StaffAsync(s.StadsbedrijvenId); // the sign-in cookie lasts 10 hours
        Assert.Contains($"/beheer/meldingen/{own}\"", await stadsbedrijven.GetPageAsync("/beheer/meldingen?teLaat=true"));
        Assert.Contains("te laat", await stadsbedrijven.GetPageAsync($"/beheer/meldingen/{own}"));
    }

    [Fact]
    public async Task The_csv_export_defuses_spreadsheet_formulas()
    {
        var s = await SetupAsync();
        var visitor = new Browser(App);
        await visitor.PostFormAsync($"/melden/{s.Slug}", $"/melden/{s.Slug}", PublicFields(null, "=HYPERLINK(\"http://evil.example\";\"klik\")"));
        var stadsbedrijven = await StaffAsync(s.StadsbedrijvenId);
        var response = await stadsbedrijven.Client.GetAsync("/beheer/meldingen/export.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\";\"\"klik\"\")\"", csv);
        Assert.DoesNotContain(";\"=", csv);
        Assert.DoesNotContain("fatima@example.org", csv);
        Assert.StartsWith("\uFEFF\"Nummer\";\"Buurtcentrum\"", csv);
    }

    [Fact]
    public async Task Stadsbedrijven_sets_the_target_times_and_new_meldingen_use_them()
    {
        var s = await SetupAsync();
        var beheerder = await StaffAsync(s.BeheerderId);
        var refused = await beheerder.Client.GetAsync("/beheer/meldingen/streeftijden");
        Assert.True(refused.StatusCode == HttpStatusCode.Redirect && refused.Headers.Location!.ToString().Contains("geen-toegang"));

        var stadsbedrijven = await StaffAsync(s.StadsbedrijvenId);
        const string page = "/beheer/meldingen/streeftijden";
        var bad = await stadsbedrijven.PostFormAsync(page, page, ("SpoedAmount", "0"), ("SpoedUnit", "uren"), ("HoogAmount", "abc"), ("HoogUnit", "werkdagen"),
            ("NormaalAmount", "61"), ("NormaalUnit", "werkdagen"), ("LaagAmount", "3"), ("LaagUnit", "weken"));
        var body = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("De streeftijd voor spoed is minstens 1.", body);
        Assert.Contains("hoogstens 60 werkdagen", body);
        Assert.Contains("Kies uren of werkdagen voor laag.", body);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from melding_target_times")); // the test starts without rows

        var ok = await stadsbedrijven.PostFormAsync(page, page, ("SpoedAmount", "2"), ("SpoedUnit", "uren"), ("HoogAmount", "1"), ("HoogUnit", "werkdagen"),
            ("NormaalAmount", "3"), ("NormaalUnit", "werkdagen"), ("LaagAmount", "10"), ("LaagUnit", "werkdagen"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var visitor = new Browser(App);
        await visitor.PostFormAsync($"/melden/{s.Slug}", $"/melden/{s.Slug}", PublicFields(null, "Deur klemt bij de ingang.", urgency: "normaal"));
        // Monday 10:00 + 3 working days = Thursday 26 November 10:00 (09:00 UTC).
        Assert.Equal(new DateTime(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc), await Data.ScalarAsync<DateTime>("select max(due_at) from meldingen"));
        Assert.Contains("2 uur", await visitor.GetPageAsync($"/melden/{s.Slug}"));
    }

    [Fact]
    public async Task Beheerders_print_a_qr_code_that_leads_to_the_public_form_of_the_room()
    {
        var s = await SetupAsync();
        var beheerder = await StaffAsync(s.BeheerderId);
        var page = await beheerder.GetPageAsync($"/beheer/ruimtes/{s.RoomId}/qr");
        Assert.Contains("<svg", page);
        Assert.Contains($"/melden/{s.Slug}/{s.RoomId}", page);
        Assert.Equal(HttpStatusCode.NotFound, (await beheerder.Client.GetAsync($"/beheer/ruimtes/{s.OtherRoomId}/qr")).StatusCode);
    }
}
