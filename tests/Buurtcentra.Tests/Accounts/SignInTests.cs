using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Accounts;

public sealed partial class SignInTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    [Fact]
    public async Task Staff_member_signs_in_with_password_and_reaches_management()
    {
        var email = await Data.EmailOfAsync(await Data.UserAsync("functioneel_beheerder"));
        var browser = new Browser(App);

        await browser.SignInAsync(email);

        var response = await browser.Client.GetAsync("/geen-toegang");
        Assert.Contains("Uitloggen", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wrong_password_gives_a_dutch_message_without_saying_which_part_was_wrong()
    {
        var email = await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder"));
        var browser = new Browser(App);

        var response = await browser.PostFormAsync("/inloggen", "/inloggen", ("SignIn.Email", email), ("SignIn.Password", "fout"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Empty_form_gets_dutch_validation_messages()
    {
        var response = await new Browser(App).PostFormAsync("/inloggen", "/inloggen", ("SignIn.Email", ""), ("SignIn.Password", ""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Vul uw e-mailadres in.", body);
        Assert.Contains("Vul uw wachtwoord in.", body);
    }

    [Fact]
    public async Task Post_without_antiforgery_token_is_refused()
    {
        var response = await new Browser(App).Client.PostAsync("/inloggen",
            new FormUrlEncodedContent([new("SignIn.Email", "x@y.nl"), new("SignIn.Password", "z")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Gebruiker_signs_in_once_with_the_mailed_link()
    {
        var email = await Data.EmailOfAsync(await Data.UserAsync("gebruiker"));
        var browser = new Browser(App);

        var request = await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));
        Assert.Contains("Kijk in uw mail", await request.Content.ReadAsStringAsync());

        var mail = Assert.Single(await App.WaitForMailsAsync(1));
        Assert.Contains(email, mail);
        var link = LinkPattern().Match(mail).Value;
        var path = new Uri(link).AbsolutePath;

        var used = await browser.PostFormAsync(path, path);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);

        var again = await new Browser(App).PostFormAsync(path, path);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("Deze link werkt niet meer", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_link_expires_after_thirty_minutes()
    {
        var email = await Data.EmailOfAsync(await Data.UserAsync("gebruiker"));
        var browser = new Browser(App);
        await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));
        var path = new Uri(LinkPattern().Match(Assert.Single(await App.WaitForMailsAsync(1))).Value).AbsolutePath;

        App.Time.Advance(TimeSpan.FromMinutes(31));

        var response = await browser.PostFormAsync(path, path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_address_gets_the_same_answer_and_no_mail()
    {
        var response = await new Browser(App).PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", "onbekend@test.example"));
        Assert.Contains("Kijk in uw mail", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await Data.ScalarAsync<long>("select count(*) from outbox"));
        Assert.Empty(App.SentMails());
    }

    [Fact]
    public async Task Deactivated_account_is_signed_out_on_its_next_request()
    {
        var id = await Data.UserAsync("functioneel_beheerder");
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(id));

        await Data.ScalarAsync<int>("update users set active = false where id = @id returning 1", new { id });

        var response = await browser.Client.GetAsync("/geen-toegang");
        Assert.DoesNotContain("Uitloggen", await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"https?://\S+/inloggen/link/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPattern();
}
