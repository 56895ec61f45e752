using System.Net;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Accounts;

namespace Buurtcentra.Tests.Users;

public sealed class UserTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string NewPage = "/beheer/gebruikers/nieuw";
    private const string StrongPassword = "Lang-genoeg-wachtwoord-2026";

    private async Task<(Browser Browser, long Id)> AdminAsync()
    {
        var id = await Data.UserAsync("functioneel_beheerder");
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(id));
        return (browser, id);
    }

    private static List<(string, string)> Fields(string name, string email, string role, long? organisationId = null,
        long[]? centres = null, string password = "", string repeat = "", bool active = true)
    {
        var fields = new List<(string, string)>
        {
            ("DisplayName", name), ("Email", email), ("Role", role), ("OrganisationId", organisationId?.ToString() ?? ""),
            ("Password", password), ("PasswordRepeat", repeat),
        };
        fields.AddRange((centres ?? []).Select(c => ("Centres", c.ToString())));
        if (active) fields.Add(("Active", "true"));
        fields.Add(("Active", "false"));
        return fields;
    }

    private static Task<HttpResponseMessage> PostAsync(Browser browser, string page, List<(string, string)> fields) =>
        browser.PostFormAsync(page, page, fields.ToArray());

    private static async Task<string> TextAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    private Task<long> UserCountAsync() => Data.ScalarAsync<long>("select count(*) from users");

    [Fact]
    public async Task Creates_a_sociaal_beheerder_with_two_centres_who_can_sign_in()
    {
        var (admin, _) = await AdminAsync();
        var centreA = await Data.CentreAsync("Buurtcentrum Oog in Al");
        var centreB = await Data.CentreAsync("Buurtcentrum De Boog");
        await Data.CentreAsync("Buurtcentrum Ander");

        var response = await PostAsync(admin, NewPage, Fields("Fatima Beheer", "fatima@test.example", "sociaal_beheerder",
            centres: [centreA, centreB], password: StrongPassword, repeat: StrongPassword));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await Data.ScalarAsync<long>("select id from users where email = 'fatima@test.example'");
        Assert.Equal("sociaal_beheerder", await Data.ScalarAsync<string>("select role from users where id = @id", new { id }));
        var centres = await Data.ScalarAsync<long[]>("select array_agg(centre_id order by centre_id) from user_centres where user_id = @id", new { id });
        Assert.Equal(new[] { centreA, centreB }.Order(), centres);
        var hash = await Data.ScalarAsync<string>("select password_hash from users where id = @id", new { id });
        Assert.True(Passwords.Verify(hash, StrongPassword));

        var list = await admin.GetPageAsync("/beheer/gebruikers");
        Assert.Contains("Fatima Beheer", list);
        Assert.Contains("Buurtcentrum De Boog, Buurtcentrum Oog in Al", list);

        var own = new Browser(App);
        await own.SignInAsync("fatima@test.example", StrongPassword);
    }

    [Fact]
    public async Task Creates_a_gebruiker_without_a_password_and_refuses_one()
    {
        var (admin, _) = await AdminAsync();
        var group = await Data.OrganisationAsync("Klaverjasclub Hoograven", kind: "gebruikersgroep", category: "bewonersinitiatief");

        var withPassword = await PostAsync(admin, NewPage, Fields("Truus", "truus@test.example", "gebruiker", group,
            password: StrongPassword, repeat: StrongPassword));
        Assert.Equal(HttpStatusCode.OK, withPassword.StatusCode);
        Assert.Contains("Een gebruiker logt in met een inloglink en krijgt geen wachtwoord.", await withPassword.Content.ReadAsStringAsync());

        var response = await PostAsync(admin, NewPage, Fields("Truus", "truus@test.example", "gebruiker", group));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await Data.ScalarAsync<bool>("select password_hash is null and organisation_id = @group from users where email = 'truus@test.example'", new { group }));
    }

    [Fact]
    public async Task Organisation_must_fit_the_role_and_centres_are_required_for_a_sociaal_beheerder()
    {
        var (admin, _) = await AdminAsync();
        var group = await Data.OrganisationAsync(kind: "gebruikersgroep", category: "commercieel");
        var smo = await Data.OrganisationAsync(kind: "smo");
        var before = await UserCountAsync();

        var noOrganisation = await PostAsync(admin, NewPage, Fields("Coördinator", "coord@test.example", "smo_coordinator",
            password: StrongPassword, repeat: StrongPassword));
        Assert.Contains("Kies een organisatie.", await noOrganisation.Content.ReadAsStringAsync());

        var wrongKind = await PostAsync(admin, NewPage, Fields("Coördinator", "coord@test.example", "smo_coordinator", group,
            password: StrongPassword, repeat: StrongPassword));
        Assert.Contains("Een SMO-coördinator hoort bij een SMO.", await TextAsync(wrongKind));

        var gebruikerAtSmo = await PostAsync(admin, NewPage, Fields("Gebruiker", "geb@test.example", "gebruiker", smo));
        Assert.Contains("Een gebruiker hoort bij een gebruikersgroep of initiatief.", await gebruikerAtSmo.Content.ReadAsStringAsync());

        var noCentres = await PostAsync(admin, NewPage, Fields("Beheerder", "beh@test.example", "sociaal_beheerder",
            password: StrongPassword, repeat: StrongPassword));
        Assert.Contains("Kies minstens één buurtcentrum voor een sociaal beheerder.", await TextAsync(noCentres));

        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Password_too_short_missing_or_not_repeated_gives_dutch_errors_and_stores_nothing()
    {
        var (admin, _) = await AdminAsync();
        var before = await UserCountAsync();

        var missing = await PostAsync(admin, NewPage, Fields("Monteur", "monteur@test.example", "stadsbedrijven"));
        Assert.Contains("Vul een wachtwoord in.", await missing.Content.ReadAsStringAsync());

        var tooShort = await PostAsync(admin, NewPage, Fields("Monteur", "monteur@test.example", "stadsbedrijven", password: "kort-11-tek", repeat: "kort-11-tek"));
        Assert.Contains("Het wachtwoord moet minstens 12 tekens lang zijn.", await tooShort.Content.ReadAsStringAsync());

        var mismatch = await PostAsync(admin, NewPage, Fields("Monteur", "monteur@test.example", "stadsbedrijven", password: StrongPassword, repeat: StrongPassword + "x"));
        var body = await mismatch.Content.ReadAsStringAsync();
        Assert.Contains("De twee wachtwoorden zijn niet hetzelfde.", body);
        Assert.Contains("value=\"monteur@test.example\"", body);
        Assert.DoesNotContain(StrongPassword, body);

        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Duplicate_email_ignoring_case_is_a_field_error()
    {
        var (admin, _) = await AdminAsync();
        await Data.UserAsync("stadsbedrijven", email: "piet@test.example");
        var before = await UserCountAsync();

        var response = await PostAsync(admin, NewPage, Fields("Piet", "PIET@test.example", "stadsbedrijven", password: StrongPassword, repeat: StrongPassword));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Er is al een account met dit e-mailadres.", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Role_change_ends_the_session_of_that_person()
    {
        var (admin, _) = await AdminAsync();
        var centre = await Data.CentreAsync();
        var id = await Data.UserAsync("sociaal_beheerder", centreIds: [centre]);
        var email = await Data.EmailOfAsync(id);
        var other = new Browser(App);
        await other.SignInAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync("/beheer/organisaties")).StatusCode);

        var page = $"/beheer/gebruikers/{id}/bewerken";
        var response = await PostAsync(admin, page, Fields("Nu Stadsbedrijven", email, "stadsbedrijven", centres: [centre]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from user_centres where user_id = @id", new { id }));
        var next = await other.Client.GetAsync("/beheer/organisaties");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/inloggen", next.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Changing_only_the_name_keeps_password_and_session()
    {
        var (admin, _) = await AdminAsync();
        var centre = await Data.CentreAsync();
        var id = await Data.UserAsync("sociaal_beheerder", centreIds: [centre]);
        var email = await Data.EmailOfAsync(id);
        var other = new Browser(App);
        await other.SignInAsync(email);

        var page = $"/beheer/gebruikers/{id}/bewerken";
        var response = await PostAsync(admin, page, Fields("Nieuwe Naam", email, "sociaal_beheerder", centres: [centre]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Nieuwe Naam", await Data.ScalarAsync<string>("select display_name from users where id = @id", new { id }));
        Assert.True(Passwords.Verify(await Data.ScalarAsync<string>("select password_hash from users where id = @id", new { id }), TestData.Password));
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync("/beheer/organisaties")).StatusCode);
    }

    [Fact]
    public async Task New_password_on_edit_replaces_the_old_one_and_ends_sessions()
    {
        var (admin, _) = await AdminAsync();
        var id = await Data.UserAsync("stadsbedrijven");
        var email = await Data.EmailOfAsync(id);
        var other = new Browser(App);
        await other.SignInAsync(email);
        var page = $"/beheer/gebruikers/{id}/bewerken";

        var tooShort = await PostAsync(admin, page, Fields("Monteur", email, "stadsbedrijven", password: "kort", repeat: "kort"));
        Assert.Contains("Het wachtwoord moet minstens 12 tekens lang zijn.", await tooShort.Content.ReadAsStringAsync());

        var response = await PostAsync(admin, page, Fields("Monteur", email, "stadsbedrijven", password: StrongPassword, repeat: StrongPassword));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var next = await other.Client.GetAsync("/geen-toegang");
        Assert.DoesNotContain("Uitloggen", await next.Content.ReadAsStringAsync());
        await new Browser(App).SignInAsync(email, StrongPassword);
    }

    [Fact]
    public async Task Functioneel_beheerder_cannot_deactivate_or_demote_their_own_account()
    {
        var (admin, id) = await AdminAsync();
        var email = await Data.EmailOfAsync(id);
        var page = $"/beheer/gebruikers/{id}/bewerken";

        var deactivate = await PostAsync(admin, page, Fields("Ik", email, "functioneel_beheerder", active: false));
        Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        Assert.Contains("U kunt uw eigen account niet uitzetten.", await deactivate.Content.ReadAsStringAsync());

        var demote = await PostAsync(admin, page, Fields("Ik", email, "stadsbedrijven"));
        Assert.Contains("U kunt uw eigen rol niet veranderen.", await demote.Content.ReadAsStringAsync());

        Assert.True(await Data.ScalarAsync<bool>("select active and role = 'functioneel_beheerder' from users where id = @id", new { id }));
    }

    [Fact]
    public async Task Functioneel_beheerder_changing_their_own_password_stays_signed_in()
    {
        var (admin, id) = await AdminAsync();
        var email = await Data.EmailOfAsync(id);
        var page = $"/beheer/gebruikers/{id}/bewerken";

        var response = await PostAsync(admin, page, Fields("Ik", email, "functioneel_beheerder", password: StrongPassword, repeat: StrongPassword));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("is opgeslagen", await admin.GetPageAsync("/beheer/gebruikers"));
    }

    [Fact]
    public async Task Sociaal_beheerder_gets_403_on_user_management()
    {
        var centre = await Data.CentreAsync();
        var email = await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centre]));
        var browser = new Browser(App);
        await browser.SignInAsync(email);

        foreach (var url in new[] { "/beheer/gebruikers", NewPage })
        {
            var response = await browser.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var denied = await browser.Client.GetAsync(response.Headers.Location);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }
    }

    [Fact]
    public async Task List_filters_by_role_and_shows_last_login_in_amsterdam_time()
    {
        var (admin, _) = await AdminAsync();
        var id = await Data.UserAsync("stadsbedrijven");
        await Data.ScalarAsync<int>("update users set last_login_at = '2026-07-01 08:30:00+00' where id = @id returning 1", new { id });
        await Data.UserAsync("gebruiker");

        var list = await admin.GetPageAsync("/beheer/gebruikers?Role=stadsbedrijven");

        Assert.Contains(await Data.EmailOfAsync(id), list);
        Assert.Contains("1-7-2026 10:30", list);
        Assert.DoesNotContain("Test gebruiker", list);
    }

    [Fact]
    public async Task Unreadable_organisation_value_is_an_error_not_silently_dropped()
    {
        var (admin, _) = await AdminAsync();
        var fields = Fields("Monteur", "monteur@test.example", "stadsbedrijven", password: StrongPassword, repeat: StrongPassword);
        fields[3] = ("OrganisationId", "abc");

        var response = await PostAsync(admin, NewPage, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("'abc' is geen geldige waarde", await TextAsync(response));
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from users where email = 'monteur@test.example'"));
    }

    [Fact]
    public async Task Unknown_account_gives_404()
    {
        var (admin, _) = await AdminAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/beheer/gebruikers/999999/bewerken")).StatusCode);
    }
}
