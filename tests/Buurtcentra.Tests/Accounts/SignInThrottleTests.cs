using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Accounts;

namespace Buurtcentra.Tests.Accounts;

/// <summary>
/// Wrong passwords slow down whoever types them (per e-mail address and client address, growing waits) and never lock
/// the account: the owner signs in from their own address, or with a login link, and hears of it by mail.
/// </summary>
public sealed partial class SignInThrottleTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string Attacker = "198.51.100.23";
    private const string Owner = "203.0.113.5";

    private Browser From(string address)
    {
        var browser = new Browser(App);
        browser.Client.DefaultRequestHeaders.Add(TestPeerAddress.Header, address);
        return browser;
    }

    private static async Task<(HttpStatusCode Status, string Body)> TryAsync(Browser browser, string email, string password)
    {
        var response = await browser.PostFormAsync("/inloggen", "/inloggen", ("SignIn.Email", email), ("SignIn.Password", password));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private async Task<string> StaffAsync() => await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder"));

    [Fact]
    public async Task Wrong_passwords_typed_by_someone_else_never_keep_the_owner_out()
    {
        var email = await StaffAsync();
        var attacker = From(Attacker);
        for (var i = 0; i < 8; i++) await TryAsync(attacker, email, $"raden{i}");

        var (_, refused) = await TryAsync(attacker, email, TestData.Password);
        Assert.Contains("U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht 1 minuut", refused);

        await From(Owner).SignInAsync(email);
    }

    [Fact]
    public async Task After_five_failures_the_wait_starts_at_one_minute_doubles_and_says_how_long()
    {
        var email = await StaffAsync();
        var browser = From(Attacker);
        for (var i = 1; i <= 3; i++)
        {
            var (status, body) = await TryAsync(browser, email, "fout");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", body);
            Assert.DoesNotContain("te vaak", body);
        }
        Assert.Contains("Gaat het nog een keer mis, dan moet u even wachten", (await TryAsync(browser, email, "fout")).Body);
        var fifth = (await TryAsync(browser, email, "fout")).Body;
        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet. U heeft het te vaak geprobeerd. Wacht 1 minuut en probeer het dan opnieuw.", fifth);
        Assert.Contains("vraag hieronder een inloglink aan", fifth);

        // While waiting, not even the right password is looked at.
        var (waitStatus, waiting) = await TryAsync(browser, email, TestData.Password);
        Assert.Equal(HttpStatusCode.OK, waitStatus);
        Assert.Contains("Wacht 1 minuut", waiting);

        App.Time.Advance(LoginThrottle.FirstWait);
        Assert.Contains("Wacht 2 minuten", (await TryAsync(browser, email, "fout")).Body);
        App.Time.Advance(TimeSpan.FromSeconds(90));
        Assert.Contains("Wacht 1 minuut", (await TryAsync(browser, email, "fout")).Body); // 30 seconds left, rounded up
        App.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Contains("Wacht 4 minuten", (await TryAsync(browser, email, "fout")).Body);
        App.Time.Advance(TimeSpan.FromMinutes(4));

        await browser.SignInAsync(email);
        // A success clears the count for that address.
        var afterwards = (await TryAsync(From(Attacker), email, "fout")).Body;
        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", afterwards);
        Assert.DoesNotContain("te vaak", afterwards);
    }

    [Fact]
    public async Task The_wait_never_grows_beyond_an_hour_and_failures_are_forgotten_after_a_day()
    {
        var email = await StaffAsync();
        var browser = From(Attacker);
        for (var i = 0; i < LoginThrottle.FreeFailures; i++) await TryAsync(browser, email, "fout");
        var wait = LoginThrottle.FirstWait;
        for (var i = 0; i < 8; i++)
        {
            App.Time.Advance(wait);
            wait = wait * 2 > LoginThrottle.LongestWait ? LoginThrottle.LongestWait : wait * 2;
            Assert.Contains($"Wacht {LoginThrottle.WaitText(wait)} en", (await TryAsync(browser, email, "fout")).Body);
        }
        Assert.Equal(LoginThrottle.LongestWait, wait);
        Assert.Contains("Wacht 1 uur en", (await TryAsync(browser, email, "fout")).Body);

        App.Time.Advance(LoginThrottle.ForgetAfter + TimeSpan.FromMinutes(1));
        var fresh = (await TryAsync(browser, email, "fout")).Body;
        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", fresh);
        Assert.DoesNotContain("te vaak", fresh);
    }

    [Fact]
    public async Task The_owner_gets_one_mail_about_the_failures_that_points_to_the_login_link()
    {
        var email = await StaffAsync();
        for (var i = 0; i < LoginThrottle.FreeFailures - 1; i++) await TryAsync(From(Attacker), email, "fout");
        Assert.Equal(0, await WarningsAsync());

        await TryAsync(From(Attacker), email, "fout");
        var mail = Assert.Single(await App.WaitForMailsAsync(1));
        Assert.Contains(email, mail);
        Assert.Contains("Mislukte inlogpogingen op uw account", mail);
        Assert.Contains("/inloggen#inloglink", mail);
        Assert.Contains("niet geblokkeerd", mail);
        Assert.Contains(Attacker, mail);

        // More failures, also from other addresses, within the hour: no second mail.
        for (var i = 0; i < 6; i++) await TryAsync(From($"198.51.100.{100 + i}"), email, "fout");
        Assert.Equal(1, await WarningsAsync());

        App.Time.Advance(SignInHandler.WarningMailInterval + TimeSpan.FromMinutes(1));
        await TryAsync(From("198.51.100.200"), email, "fout");
        Assert.Equal(2, await WarningsAsync());
    }

    [Fact]
    public async Task A_member_of_staff_who_has_to_wait_signs_in_with_a_login_link_at_once()
    {
        var email = await StaffAsync();
        var browser = From(Attacker);
        for (var i = 0; i < LoginThrottle.FreeFailures; i++) await TryAsync(browser, email, "fout");
        Assert.Contains("Wacht 1 minuut", (await TryAsync(browser, email, TestData.Password)).Body);

        var requested = await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));
        Assert.Contains("Kijk in uw mail", await requested.Content.ReadAsStringAsync());
        var mail = (await App.WaitForMailsAsync(2)).Single(m => m.Contains("inloglink voor Buurtcentra", StringComparison.Ordinal));
        var path = new Uri(LinkPattern().Match(mail).Value).AbsolutePath;

        var used = await browser.PostFormAsync(path, path);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal("/beheer/buurtcentra", used.Headers.Location!.OriginalString);
        Assert.Contains("Uitloggen", await browser.GetPageAsync("/beheer/buurtcentra"));
    }

    [Fact]
    public async Task An_unknown_address_is_answered_in_the_same_words_and_nobody_gets_mail()
    {
        var browser = From(Attacker);
        var answers = new List<string>();
        for (var i = 0; i < LoginThrottle.FreeFailures + 1; i++) answers.Add((await TryAsync(browser, "niemand@test.example", "fout")).Body);

        Assert.Contains("Gaat het nog een keer mis", answers[3]);
        Assert.Contains("U heeft het te vaak geprobeerd. Wacht 1 minuut", answers[4]);
        Assert.Contains("U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht 1 minuut", answers[5]);
        Assert.Equal(0, await Data.ScalarAsync<long>("select count(*) from outbox"));
    }

    [Theory]
    [InlineData(0.5, "1 minuut")]
    [InlineData(1, "1 minuut")]
    [InlineData(1.2, "2 minuten")]
    [InlineData(16, "16 minuten")]
    [InlineData(60, "1 uur")]
    public void The_wait_is_said_in_whole_minutes_rounded_up(double minutes, string text) =>
        Assert.Equal(text, LoginThrottle.WaitText(TimeSpan.FromMinutes(minutes)));

    private Task<long> WarningsAsync() => Data.ScalarAsync<long>("select count(*) from outbox where kind = 'mislukte_inlogpogingen'");

    [GeneratedRegex(@"https?://\S+/inloggen/link/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPattern();
}
