using System.Net;
using Buurtcentra.Web.Features.Feeds;
using Dapper;

namespace Buurtcentra.Tests.Feeds;

public sealed partial class FeedTests
{
    [Fact]
    public async Task Only_rooms_organisations_and_staff_feeds_the_person_may_see_can_be_subscribed_to()
    {
        var s = await SetupAsync();
        var otherCentre = await Data.CentreAsync("Ander centrum");
        var otherRoom = await Data.RoomAsync(otherCentre, "Zaal elders");
        var otherGroup = await Data.OrganisationAsync("Andere club", "gebruikersgroep", "bewonersinitiatief");
        var beheerder = await SignedInAsync(s.BeheerderId);
        var gebruiker = await SignedInAsync(s.GebruikerId);

        // The page offers what the person may have, and nothing else.
        var page = await beheerder.GetPageAsync(SubscriptionsController.Path);
        Assert.Contains($"<option value=\"{s.RoomId}\">Grote zaal (De Boog)</option>", page);
        Assert.DoesNotContain("Zaal elders", page);
        Assert.Contains("Link maken voor alles van mijn buurtcentra", page);
        var groupPage = await gebruiker.GetPageAsync(SubscriptionsController.Path);
        Assert.Contains($"Link maken voor {GroupName}", groupPage);
        Assert.DoesNotContain("alles van mijn buurtcentra", groupPage);
        Assert.DoesNotContain("Grote zaal", groupPage);

        // Posting for something else is refused with a message, and no link is made.
        foreach (var (browser, kind, target) in new[]
                 {
                     (beheerder, FeedKinds.Ruimte, otherRoom.ToString()),
                     (beheerder, FeedKinds.Ruimte, "999999"),
                     (beheerder, FeedKinds.Organisatie, s.GroupId.ToString()),
                     (gebruiker, FeedKinds.Ruimte, s.RoomId.ToString()),
                     (gebruiker, FeedKinds.Medewerker, ""),
                     (gebruiker, FeedKinds.Organisatie, otherGroup.ToString()),
                     (gebruiker, "iets", "1"),
                     (beheerder, FeedKinds.Ruimte, "abc"),
                 })
        {
            var response = await browser.PostFormAsync(SubscriptionsController.Path, SubscriptionsController.Path, ("Kind", kind), ("TargetId", target));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{kind} {target}: {(int)response.StatusCode}");
            Assert.Contains("role=\"alert\"", body);
            Assert.DoesNotMatch(FeedLinkPattern(), body);
        }
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from calendar_feeds"));

        // A staff feed is always the person's own, whatever target is posted.
        await SubscribeAsync(beheerder, FeedKinds.Medewerker, s.GebruikerId);
        Assert.Equal(s.BeheerderId, await Data.ScalarAsync<long>("select target_id from calendar_feeds where kind = 'medewerker'"));
    }

    [Fact]
    public async Task A_revoked_or_renewed_link_answers_404_and_only_the_hash_of_the_token_is_stored()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var roomFeed = await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId);
        var staffFeed = await SubscribeAsync(beheerder, FeedKinds.Medewerker);
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync(roomFeed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync(staffFeed)).StatusCode);

        var token = roomFeed["/agenda/".Length..^".ics".Length];
        Assert.True(token.Length >= 22); // at least 128 bits in base64url
        var stored = await Data.ScalarAsync<byte[]>("select token_hash from calendar_feeds where kind = 'ruimte'");
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)), stored);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from calendar_feeds where position(convert_to(@token, 'UTF8') in token_hash) > 0", new { token }));

        // Renewing gives a new link; the old one is dead at once.
        var roomId = await Data.ScalarAsync<long>("select id from calendar_feeds where kind = 'ruimte'");
        var renewed = await beheerder.PostFormAsync(SubscriptionsController.Path, $"{SubscriptionsController.Path}/{roomId}/vernieuwen");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var renewedPage = await renewed.Content.ReadAsStringAsync();
        var newFeed = FeedLinkPattern().Match(renewedPage).Groups[1].Value;
        Assert.Contains("De vorige link van deze agenda werkt niet meer", renewedPage);
        Assert.NotEqual(roomFeed, newFeed);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync(roomFeed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync(newFeed)).StatusCode);

        // Making the same feed again renews it too: one active link per feed.
        var again = await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync(newFeed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync(again)).StatusCode);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from calendar_feeds where kind = 'ruimte'"));

        // Revoking: 404 from now on; the other feed keeps working.
        var revoked = await beheerder.PostFormAsync(SubscriptionsController.Path, $"{SubscriptionsController.Path}/{roomId}/intrekken");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync(staffFeed)).StatusCode);
        Assert.Contains("De agenda-link is ingetrokken", await beheerder.GetPageAsync(SubscriptionsController.Path));

        // Nobody revokes or renews another person's link, and made-up tokens are 404 as well.
        var stranger = await SignedInAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [s.CentreId]));
        var staffId = await Data.ScalarAsync<long>("select id from calendar_feeds where kind = 'medewerker'");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostFormAsync(SubscriptionsController.Path, $"{SubscriptionsController.Path}/{staffId}/intrekken")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostFormAsync(SubscriptionsController.Path, $"{SubscriptionsController.Path}/{staffId}/vernieuwen")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync(staffFeed)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync($"/agenda/{new string('A', 43)}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync("/agenda/kort.ics")).StatusCode);
    }

    [Fact]
    public async Task Rights_are_checked_on_every_fetch_a_lost_centre_a_lost_role_or_a_deactivated_account_gives_404()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var gebruiker = await SignedInAsync(s.GebruikerId);
        await BookAsync(beheerder, s, "2027-01-05");
        var roomFeed = await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId);
        var staffFeed = await SubscribeAsync(beheerder, FeedKinds.Medewerker);
        var groupFeed = await SubscribeAsync(gebruiker, FeedKinds.Organisatie, s.GroupId);
        Assert.Contains(ContactPhone, Unfold(await FeedTextAsync(roomFeed)));
        Assert.Contains(ContactPhone, Unfold(await FeedTextAsync(staffFeed)));

        // The beheerder no longer looks after the centre: the room feed is gone, the staff feed is empty of it.
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("delete from user_centres where user_id = @id", new { id = s.BeheerderId });
        }
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync(roomFeed)).StatusCode);
        Assert.Empty((await ExpandAsync(await FeedTextAsync(staffFeed))).Events);
        Assert.Contains("Werkt niet meer", await beheerder.GetPageAsync(SubscriptionsController.Path));

        // Back at the centre, but as Stadsbedrijven: the room feed works again, without contact details.
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update users set role = 'stadsbedrijven' where id = @id", new { id = s.BeheerderId });
        }
        var forMonteur = Unfold(await FeedTextAsync(roomFeed));
        Assert.Contains("Buurtkoor", forMonteur);
        Assert.DoesNotContain(ContactPhone, forMonteur);
        Assert.DoesNotContain(ContactName, forMonteur);

        // A deactivated account: every link answers 404.
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update users set active = false where id = any(@ids)", new { ids = new[] { s.BeheerderId, s.GebruikerId } });
        }
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync(roomFeed)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync(staffFeed)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync(groupFeed)).StatusCode);

        // A gebruiker who moved to another organisation no longer gets the old one's feed.
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update users set active = true, organisation_id = @other where id = @id",
                new { id = s.GebruikerId, other = await Data.OrganisationAsync("Andere club", "gebruikersgroep", "bewonersinitiatief") });
        }
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync(groupFeed)).StatusCode);
    }

    [Fact]
    public async Task The_subscriptions_page_shows_public_links_and_a_new_private_link_only_once()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var page = await beheerder.GetPageAsync(SubscriptionsController.Path);
        Assert.Contains($"value=\"http://localhost/agenda/buurtcentra/{s.Slug}.ics\"", page);
        Assert.Contains($"href=\"webcal://localhost/agenda/buurtcentra/{s.Slug}.ics\"", page);
        Assert.Contains($"value=\"http://localhost/agenda/wijken/{s.WijkSlug}.ics\"", page);
        Assert.Contains("Outlook", page);
        Assert.Contains("Google Agenda", page);
        Assert.Contains("Apple Agenda", page);

        var chosen = await beheerder.GetPageAsync($"{SubscriptionsController.Path}?openbaar=/agenda/wijken/noordwest.ics");
        Assert.Contains("value=\"http://localhost/agenda/wijken/noordwest.ics\"", chosen);
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync("/agenda/wijken/noordwest.ics")).StatusCode);

        var path = await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId);
        var list = WebUtility.HtmlDecode(await beheerder.GetPageAsync(SubscriptionsController.Path));
        Assert.Contains("Grote zaal – De Boog", list);
        Assert.DoesNotContain(path, list);
        Assert.DoesNotMatch(FeedLinkPattern(), list);

        // Without a login there is no page.
        var anonymous = await new Support.Browser(App).Client.GetAsync(SubscriptionsController.Path);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }
}
