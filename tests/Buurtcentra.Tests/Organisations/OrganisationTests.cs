using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Organisations;

public sealed partial class OrganisationTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string NewPage = "/beheer/organisaties/nieuw";

    private async Task<Browser> SignedInAsync(string role, long? organisationId = null)
    {
        var email = await Data.EmailOfAsync(await Data.UserAsync(role, organisationId));
        var browser = new Browser(App);
        await browser.SignInAsync(email);
        return browser;
    }

    private static (string, string)[] Fields(string name, string kind, string category = "", string email = "", string active = "true") =>
    [
        ("Name", name), ("Kind", kind), ("Category", category), ("ContactEmail", email), ("Phone", "030 123 45 67"),
        ("Website", "www.voorbeeld.nl"), ("Description", "Omschrijving"), ("Active", active), ("Active", "false"),
    ];

    private Task<long> CountAsync() => Data.ScalarAsync<long>("select count(*) from organisations");

    [Fact]
    public async Task Functioneel_beheerder_creates_an_smo_and_sees_it_in_the_list()
    {
        var browser = await SignedInAsync("functioneel_beheerder");

        var response = await browser.PostFormAsync(NewPage, NewPage, Fields("Stichting Nieuw Welzijn", "smo", email: "info@welzijn.example"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/beheer/organisaties", response.Headers.Location!.OriginalString);
        var stored = await Data.ScalarAsync<string>(
            "select concat_ws('|', kind, coalesce(category, '-'), contact_email, phone, website, active) from organisations where name = 'Stichting Nieuw Welzijn'");
        Assert.Equal("smo|-|info@welzijn.example|030 123 45 67|https://www.voorbeeld.nl|t", stored);
        var list = await browser.GetPageAsync("/beheer/organisaties");
        Assert.Contains("Stichting Nieuw Welzijn", list);
        Assert.Contains("is opgeslagen", list);
    }

    [Fact]
    public async Task Functioneel_beheerder_edits_an_organisation()
    {
        var id = await Data.OrganisationAsync("Oude naam", kind: "gebruikersgroep", category: "bewonersinitiatief");
        var browser = await SignedInAsync("functioneel_beheerder");
        var page = $"/beheer/organisaties/{id}/bewerken";
        Assert.Contains("Oude naam", await browser.GetPageAsync(page));

        var response = await browser.PostFormAsync(page, page, Fields("Nieuwe naam", "gebruikersgroep", "commercieel", active: "false"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Nieuwe naam|commercieel|f",
            await Data.ScalarAsync<string>("select concat_ws('|', name, category, active) from organisations where id = @id", new { id }));
    }

    [Fact]
    public async Task Category_is_required_for_a_user_group_and_forbidden_for_other_kinds()
    {
        var browser = await SignedInAsync("functioneel_beheerder");
        var before = await CountAsync();

        var missing = await browser.PostFormAsync(NewPage, NewPage, Fields("Klaverjasclub", "gebruikersgroep"));
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("Kies een categorie. Een gebruikersgroep of initiatief heeft altijd een categorie.", await missing.Content.ReadAsStringAsync());

        var extra = await browser.PostFormAsync(NewPage, NewPage, Fields("Gemeente Utrecht", "gemeente", "commercieel"));
        Assert.Equal(HttpStatusCode.OK, extra.StatusCode);
        Assert.Contains("Alleen een gebruikersgroep of initiatief heeft een categorie.", await extra.Content.ReadAsStringAsync());

        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Invalid_fields_get_dutch_messages_and_the_typed_values_stay()
    {
        var browser = await SignedInAsync("functioneel_beheerder");

        var response = await browser.PostFormAsync(NewPage, NewPage,
            ("Name", "X"), ("Kind", "onzin"), ("ContactEmail", "geen-adres"), ("Website", "niet een site"), ("Description", new string('a', 2001)));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("De naam moet 2 tot 200 tekens lang zijn.", body);
        Assert.Contains("Kies de soort organisatie.", body);
        Assert.Contains("Vul een geldig e-mailadres in", body);
        Assert.Contains("Vul een geldig webadres in", body);
        Assert.Contains("De omschrijving mag hoogstens 2000 tekens lang zijn.", body);
        Assert.Contains("value=\"geen-adres\"", body);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Duplicate_name_ignoring_case_is_a_field_error()
    {
        await Data.OrganisationAsync("Stichting Vooruit");
        var browser = await SignedInAsync("functioneel_beheerder");
        var before = await CountAsync();

        var response = await browser.PostFormAsync(NewPage, NewPage, Fields("stichting vooruit", "smo"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Er is al een organisatie met deze naam.", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [InlineData("sociaal_beheerder")]
    [InlineData("smo_coordinator")]
    public async Task Beheerder_creates_a_user_group_but_not_an_smo(string role)
    {
        var browser = await SignedInAsync(role);
        var before = await CountAsync();

        var smo = await browser.PostFormAsync(NewPage, NewPage, Fields("Nep-SMO", "smo"));
        Assert.Equal(HttpStatusCode.OK, smo.StatusCode);
        Assert.Contains("U mag alleen gebruikersgroepen en initiatieven toevoegen of wijzigen.", await smo.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountAsync());

        var group = await browser.PostFormAsync(NewPage, NewPage, Fields("Buurtmoestuin Zuid", "gebruikersgroep", "bewonersinitiatief"));
        Assert.Equal(HttpStatusCode.Redirect, group.StatusCode);
        Assert.Equal("gebruikersgroep", await Data.ScalarAsync<string>("select kind from organisations where name = 'Buurtmoestuin Zuid'"));
    }

    [Fact]
    public async Task Beheerder_gets_404_on_an_smo_and_cannot_turn_a_user_group_into_an_smo()
    {
        var smoId = await Data.OrganisationAsync("Stichting Mekaar", kind: "smo");
        var groupId = await Data.OrganisationAsync("Koor De Lijster", kind: "gebruikersgroep", category: "bewonersinitiatief");
        var browser = await SignedInAsync("sociaal_beheerder");
        var smoPage = $"/beheer/organisaties/{smoId}/bewerken";
        var groupPage = $"/beheer/organisaties/{groupId}/bewerken";

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(smoPage)).StatusCode);
        var post = await browser.PostFormAsync(groupPage, smoPage, Fields("Gekaapt", "smo"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var invalidPost = await browser.PostFormAsync(groupPage, smoPage, Fields("", "smo"));
        Assert.Equal(HttpStatusCode.NotFound, invalidPost.StatusCode);
        Assert.Equal("Stichting Mekaar", await Data.ScalarAsync<string>("select name from organisations where id = @smoId", new { smoId }));

        var promote = await browser.PostFormAsync(groupPage, groupPage, Fields("Koor De Lijster", "smo"));
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        Assert.Contains("U mag alleen gebruikersgroepen", await promote.Content.ReadAsStringAsync());
        Assert.Equal("gebruikersgroep", await Data.ScalarAsync<string>("select kind from organisations where id = @groupId", new { groupId }));

        var list = await browser.GetPageAsync("/beheer/organisaties");
        Assert.Contains(groupPage, list);
        Assert.DoesNotContain(smoPage, list);
    }

    [Fact]
    public async Task A_beheerder_edits_only_groups_that_use_their_centres_or_none_yet_and_every_change_is_kept_with_who_made_it()
    {
        var mine = await Data.CentreAsync("Eigen Huis");
        var theirs = await Data.CentreAsync("Ver Weg");
        var ownGroup = await Data.OrganisationAsync("Koor Eigen Huis", kind: "gebruikersgroep", category: "bewonersinitiatief");
        var otherGroup = await Data.OrganisationAsync("Schaakclub Ver Weg", kind: "gebruikersgroep", category: "bewonersinitiatief");
        var newGroup = await Data.OrganisationAsync("Net Opgericht", kind: "gebruikersgroep", category: "bewonersinitiatief");
        foreach (var (centre, group) in new[] { (mine, ownGroup), (theirs, otherGroup) })
        {
            await Data.ScalarAsync<long>("""
                insert into reservations (centre_id, room_id, organisation_id, contact_name, contact_email, activity, category, participants, tariff, status, created_at, updated_at)
                values (@centre, @room, @group, 'Contact', 'contact@example.org', 'Repetitie', 'bewonersinitiatief', 10, 'om_niet', 'bevestigd', now(), now()) returning id
                """, new { centre, room = await Data.RoomAsync(centre), group });
        }
        var email = await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [mine]));
        var browser = new Browser(App);
        await browser.SignInAsync(email);

        // A group of another centre: read-only, and a post changes nothing.
        var otherPage = $"/beheer/organisaties/{otherGroup}/bewerken";
        var readOnly = WebUtility.HtmlDecode(await browser.GetPageAsync(otherPage));
        Assert.Contains("Deze groep gebruikt alleen andere buurtcentra dan de uwe.", readOnly);
        Assert.DoesNotContain("Wijzigingen opslaan", readOnly);
        var refused = await browser.Client.PostAsync(otherPage, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", await browser.TokenFromAsync("/beheer/organisaties/nieuw")), .. Fields("Overgenomen", "gebruikersgroep", "bewonersinitiatief").Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))]));
        Assert.Contains("Alleen de beheerders van die buurtcentra", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal("Schaakclub Ver Weg", await Data.ScalarAsync<string>("select name from organisations where id = @otherGroup", new { otherGroup }));

        // Its own centre's group and a group without bookings yet: editable, and the history says who changed what.
        foreach (var (group, name) in new[] { (ownGroup, "Koor Eigen Huis en Omstreken"), (newGroup, "Net Opgericht Utrecht") })
        {
            var page = $"/beheer/organisaties/{group}/bewerken";
            Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync(page, page, Fields(name, "gebruikersgroep", "bewonersinitiatief"))).StatusCode);
            Assert.Equal(name, await Data.ScalarAsync<string>("select name from organisations where id = @group", new { group }));
        }
        var history = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/organisaties/{ownGroup}/bewerken"));
        var at = history.IndexOf("Wijzigingen</h2>", StringComparison.Ordinal);
        Assert.True(at > 0, history);
        Assert.Matches(@"\d{1,2} \w+ \d{4} \d{2}:\d{2}</time>,\s*Test sociaal_beheerder \d+:\s*Naam: ‘Koor Eigen Huis’ → ‘Koor Eigen Huis en Omstreken’; Telefoon: ‘leeg’ → ‘030 123 45 67’; Website: ‘leeg’ → ‘https://www.voorbeeld.nl’", history[at..]);
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from organisation_changes where not created"));

        // Saving without a change records nothing; creating is recorded too.
        var same = $"/beheer/organisaties/{newGroup}/bewerken";
        await browser.PostFormAsync(same, same, Fields("Net Opgericht Utrecht", "gebruikersgroep", "bewonersinitiatief"));
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from organisation_changes where not created"));
        await browser.PostFormAsync(NewPage, NewPage, Fields("Buurtmoestuin", "gebruikersgroep", "bewonersinitiatief"));
        Assert.Equal(1, await Data.ScalarAsync<int>("""
            select count(*)::int from organisation_changes c join organisations o on o.id = c.organisation_id
            where c.created and o.name = 'Buurtmoestuin' and c.changed_by_user_id is not null
            """));
    }

    [Fact]
    public async Task Smo_with_centres_cannot_change_kind()
    {
        var smoId = await Data.OrganisationAsync("Stichting Welzin", kind: "smo");
        await Data.CentreAsync(smoId: smoId);
        var browser = await SignedInAsync("functioneel_beheerder");
        var page = $"/beheer/organisaties/{smoId}/bewerken";

        var response = await browser.PostFormAsync(page, page, Fields("Stichting Welzin", "gemeente"));

        Assert.Contains("Daarom kunt u de soort niet veranderen.", await response.Content.ReadAsStringAsync());
        Assert.Equal("smo", await Data.ScalarAsync<string>("select kind from organisations where id = @smoId", new { smoId }));
    }

    [Fact]
    public async Task List_filters_by_kind_category_and_name()
    {
        await Data.OrganisationAsync("Stichting Alpha", kind: "smo");
        await Data.OrganisationAsync("Alpha Biljartclub", kind: "gebruikersgroep", category: "bewonersinitiatief");
        await Data.OrganisationAsync("Beta Yoga", kind: "gebruikersgroep", category: "commercieel");
        var browser = await SignedInAsync("sociaal_beheerder");

        var byKind = await browser.GetPageAsync("/beheer/organisaties?Kind=gebruikersgroep");
        Assert.Contains("Alpha Biljartclub", byKind);
        Assert.Contains("Beta Yoga", byKind);
        Assert.DoesNotContain("Stichting Alpha", byKind);

        var byCategory = await browser.GetPageAsync("/beheer/organisaties?Category=commercieel");
        Assert.Contains("Beta Yoga", byCategory);
        Assert.DoesNotContain("Alpha Biljartclub", byCategory);

        var byName = await browser.GetPageAsync("/beheer/organisaties?Q=alpha");
        Assert.Contains("Stichting Alpha", byName);
        Assert.Contains("Alpha Biljartclub", byName);
        Assert.DoesNotContain("Beta Yoga", byName);
    }

    [Fact]
    public async Task Stadsbedrijven_and_anonymous_visitors_get_no_access()
    {
        var stadsbedrijven = await SignedInAsync("stadsbedrijven");
        var denied = await stadsbedrijven.Client.GetAsync("/beheer/organisaties");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/geen-toegang", denied.Headers.Location!.AbsolutePath);

        var anonymous = await new Browser(App).Client.GetAsync("/beheer/organisaties/nieuw");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/inloggen", anonymous.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Gebruiker_gets_no_access()
    {
        var email = await Data.EmailOfAsync(await Data.UserAsync("gebruiker"));
        var browser = new Browser(App);
        await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));
        var path = new Uri(LinkPattern().Match(Assert.Single(await App.WaitForMailsAsync(1))).Value).AbsolutePath;
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync(path, path)).StatusCode);

        foreach (var url in new[] { "/beheer/organisaties", "/beheer/organisaties/nieuw" })
        {
            var response = await browser.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/geen-toegang", response.Headers.Location!.AbsolutePath);
        }
    }

    [GeneratedRegex(@"https?://\S+/inloggen/link/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPattern();
}
