using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Meldingen;

/// <summary>
/// "Ik heb dit ook" (issue 20): only for a melding the report form offered (same centre, room and category, open), never
/// by id alone; a follower sees no more than the form showed plus the progress (no photos, no reactions of others);
/// each person counts once.
/// </summary>
public sealed partial class AlsoAffectedTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string Secret = "Geheime reactie van de melder";

    private sealed record Setup(long CentreId, string Slug, long RoomId, long MeldingId, long OtherMeldingId, long PhotoId);

    /// <summary>A melding in De Boog's Grote zaal (with a photo and a reaction) and one in another centre.</summary>
    private async Task<Setup> SetupAsync()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Grote zaal");
        var otherCentre = await Data.CentreAsync("Verre Oost", wijkId: 5);
        var otherRoom = await Data.RoomAsync(otherCentre, "Keuken Oost", type: "keuken");
        var meldingId = await MeldingAsync(centreId, roomId, "De verwarming in de zaal doet het niet.");
        var otherId = await MeldingAsync(otherCentre, otherRoom, "Lekkage in de keuken van Verre Oost.");
        var photoId = await Data.ScalarAsync<long>("""
            insert into melding_photos (melding_id, position, content, width, height, created_at)
            values (@meldingId, 1, '\xffd8ffd9'::bytea, 1, 1, now()) returning id
            """, new { meldingId });
        await Data.ScalarAsync<int>("""
            insert into melding_events (melding_id, occurred_at, actor_name, actor_role, kind, note)
            values (@meldingId, now(), 'Fatima', 'melder', 'reactie', @Secret) returning 1
            """, new { meldingId, Secret });
        return new Setup(centreId, await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId }), roomId,
            meldingId, otherId, photoId);
    }

    private Task<long> MeldingAsync(long centreId, long roomId, string description) => Data.ScalarAsync<long>("""
        insert into meldingen (centre_id, room_id, category, kind, description, urgency, reporter_name, reporter_email,
                               clock_started_at, due_at, created_at, updated_at)
        values (@centreId, @roomId, 'heel', 'technisch', @description, 'normaal', 'Fatima', 'fatima@example.org', now(), now() + interval '5 days', now(), now())
        returning id
        """, new { centreId, roomId, description });

    private static (string, string)[] Report(long roomId, string category = "heel") =>
    [
        ("RoomId", roomId.ToString()), ("Category", category), ("Kind", "technisch"), ("Urgency", "normaal"),
        ("Description", "Het is veel te koud in de zaal, de radiator blijft koud."), ("ReporterName", "Kees"), ("ReporterEmail", "kees@example.org"),
        ("DuplicatesSeen", "false"),
    ];

    private async Task<int> FollowersAsync() => await Data.ScalarAsync<int>("select count(*)::int from melding_followers");

    [Fact]
    public async Task Without_the_forms_offer_or_for_a_melding_it_did_not_offer_nobody_becomes_a_follower()
    {
        var s = await SetupAsync();
        var visitor = new Browser(App);
        var form = $"/melden/{s.Slug}/{s.RoomId}";
        var contact = new[] { ("reporterName", "Indringer"), ("reporterEmail", "indringer@example.org") };

        // By id alone, anonymously and signed in: refused, nothing stored, nothing mailed.
        var byId = await visitor.PostFormAsync(form, $"/melden/ook-last/{s.OtherMeldingId}", contact);
        Assert.Contains(WebUtility.HtmlEncode("Deze melding kunt u hier niet volgen."), await byId.Content.ReadAsStringAsync());
        var gebruiker = new Browser(App);
        await gebruiker.SignInWithLinkAsync(App, await Data.EmailOfAsync(await Data.UserAsync("gebruiker", organisationId: await Data.OrganisationAsync("Koor", "gebruikersgroep", "bewonersinitiatief"))));
        var signedIn = await gebruiker.PostFormAsync("/meldingen", $"/meldingen/{s.OtherMeldingId}/ook-last", ("comment", "ik ook"));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gebruiker.Client.GetAsync($"/meldingen/{s.OtherMeldingId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gebruiker.Client.GetAsync($"/meldingen/{s.MeldingId}/fotos/{s.PhotoId}")).StatusCode);

        // The form's offer for De Boog's Grote zaal does not open the melding of Verre Oost, nor a forged or altered offer.
        var shown = await (await visitor.PostFormAsync(form, form, Report(s.RoomId))).Content.ReadAsStringAsync();
        var offer = MeldingFlowTests.OfferPattern().Match(shown).Groups[1].Value;
        Assert.NotEmpty(offer);
        foreach (var (id, token) in new[] { (s.OtherMeldingId, offer), (s.MeldingId, "nep"), (s.MeldingId, offer[..^2] + "xx") })
        {
            var refused = await visitor.PostFormAsync(form, $"/melden/ook-last/{id}", [.. contact, ("offer", token)]);
            Assert.Contains(WebUtility.HtmlEncode("Deze melding kunt u hier niet volgen."), await refused.Content.ReadAsStringAsync());
        }
        // Nor once it is older than two hours.
        App.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var late = await visitor.PostFormAsync(form, $"/melden/ook-last/{s.MeldingId}", [.. contact, ("offer", offer)]);
        Assert.Contains(WebUtility.HtmlEncode("Deze melding kunt u hier niet volgen."), await late.Content.ReadAsStringAsync());

        Assert.Equal(0, await FollowersAsync());
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from melding_events where kind = 'ook_last'"));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from melding_access_links"));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from outbox where kind like 'melding%'"));
    }

    [Fact]
    public async Task A_follower_sees_the_progress_but_not_the_photos_or_reactions_of_others_and_counts_once()
    {
        var s = await SetupAsync();
        var form = $"/melden/{s.Slug}/{s.RoomId}";

        // A signed-in gebruiker who is offered the melding on the form, and says "Ik heb dit ook" twice.
        var gebruikerId = await Data.UserAsync("gebruiker", organisationId: await Data.OrganisationAsync("Koor", "gebruikersgroep", "bewonersinitiatief"));
        var gebruiker = new Browser(App);
        await gebruiker.SignInWithLinkAsync(App, await Data.EmailOfAsync(gebruikerId));
        var newForm = $"/meldingen/nieuw?centrum={s.Slug}&ruimte={s.RoomId}";
        var shown = await (await gebruiker.PostFormAsync(newForm, "/meldingen/nieuw",
            [("centrum", s.Slug), .. Report(s.RoomId).Where(f => !f.Item1.StartsWith("Reporter", StringComparison.Ordinal))])).Content.ReadAsStringAsync();
        var offer = MeldingFlowTests.OfferPattern().Match(shown).Groups[1].Value;
        Assert.Contains($"/meldingen/{s.MeldingId}/ook-last", shown);
        foreach (var _ in new[] { 1, 2 })
        {
            await gebruiker.PostFormAsync(newForm, $"/meldingen/{s.MeldingId}/ook-last", ("comment", "Bij ons ook koud."), ("offer", offer));
        }
        // And an anonymous visitor through the QR form.
        var visitor = new Browser(App);
        var publicShown = await (await visitor.PostFormAsync(form, form, Report(s.RoomId))).Content.ReadAsStringAsync();
        var joined = await visitor.PostFormAsync(form, $"/melden/ook-last/{s.MeldingId}",
            ("reporterName", "Kees"), ("reporterEmail", "kees@example.org"), ("offer", MeldingFlowTests.OfferPattern().Match(publicShown).Groups[1].Value));
        Assert.Equal("/melden/verstuurd?ook=true", joined.Headers.Location!.OriginalString);

        Assert.Equal(2, await FollowersAsync());
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from melding_events where kind = 'ook_last'"));

        var page = WebUtility.HtmlDecode(await gebruiker.GetPageAsync($"/meldingen/{s.MeldingId}"));
        Assert.Contains("De verwarming in de zaal doet het niet.", page); // as the form showed it
        Assert.Contains("2 anderen hebben dit probleem ook", page);
        Assert.Contains("Bij ons ook koud.", page); // their own words
        Assert.DoesNotContain(Secret, page);
        Assert.DoesNotContain("/fotos/", page);
        Assert.Equal(HttpStatusCode.NotFound, (await gebruiker.Client.GetAsync($"/meldingen/{s.MeldingId}/fotos/{s.PhotoId}")).StatusCode);

        var link = FollowerLinkPattern().Match(await Data.ScalarAsync<string>(
            "select text_body from outbox where to_address = 'kees@example.org' and kind = 'melding_ook_last'")).Groups[1].Value;
        var privatePage = WebUtility.HtmlDecode(await visitor.GetPageAsync(link));
        Assert.Contains("De verwarming in de zaal doet het niet.", privatePage);
        Assert.DoesNotContain(Secret, privatePage);
        Assert.DoesNotContain("Bij ons ook koud.", privatePage); // another follower's words
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Client.GetAsync($"{link}/fotos/{s.PhotoId}")).StatusCode);

        // The reporter and staff still see everything.
        var staff = new Browser(App);
        await staff.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("stadsbedrijven")));
        var werkbak = WebUtility.HtmlDecode(await staff.GetPageAsync($"/beheer/meldingen/{s.MeldingId}"));
        Assert.Contains(Secret, werkbak);
        Assert.Contains($"/meldingen/{s.MeldingId}/fotos/{s.PhotoId}", werkbak);
    }

    [GeneratedRegex(@"https?://[^/\s]+(/melding/[A-Za-z0-9_\-]+)")]
    private static partial Regex FollowerLinkPattern();
}
