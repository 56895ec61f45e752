using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Faults;

/// <summary>
/// The rate limits of the sign-in and the public forms: per signed-in user or else per client address, counted in
/// PostgreSQL so that N instances do not allow N times the limit. The sign-in throttle counts across instances too.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class LimitsTests(FaultsFixture faults) : IClassFixture<FaultsFixture>, IAsyncLifetime
{
    private const string Desk = "192.0.2.10";
    private TestData Data => faults.Data;

    public Task InitializeAsync() => faults.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Browser From(AppFactory app, string address)
    {
        var browser = new Browser(app);
        browser.Client.DefaultRequestHeaders.Add(TestPeerAddress.Header, address);
        return browser;
    }

    private async Task<(long Centre, long Room)> CentreAsync()
    {
        var centre = await Data.CentreAsync("De Boog");
        var room = await Data.RoomAsync(centre, "Grote zaal", capacity: 40);
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centre, day, new TimeOnly(9, 0), new TimeOnly(23, 0));
        return (centre, room);
    }

    /// <summary>The booking form, checked but not sent ("controleren"): a public form that staff use all day at the desk.</summary>
    private static Task<HttpResponseMessage> CheckBookingAsync(Browser browser, long room) =>
        browser.PostFormAsync($"/reserveren/nieuw?ruimte={room}", "/reserveren/nieuw",
            ("RoomId", room.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Date", "2027-03-02"), ("StartTime", "19:00"),
            ("EndTime", "21:00"), ("Repeat", "eenmalig"), ("Activity", "Buurtkoor"), ("Category", "bewonersinitiatief"), ("Participants", "15"),
            ("ContactName", "Henk"), ("ContactPhone", "030 123 4567"), ("actie", "controleren"));

    private static Task<HttpResponseMessage> SignInAsync(Browser browser, string email) =>
        browser.PostFormAsync("/inloggen", "/inloggen", ("SignIn.Email", email), ("SignIn.Password", "niet-het-wachtwoord"));

    [Fact]
    public async Task Signed_in_staff_are_limited_per_user_not_as_the_address_they_share_with_visitors()
    {
        var (centre, room) = await CentreAsync();
        await using var app = faults.Instance(new Dictionary<string, string?>
        {
            ["RateLimits:PublicFormsPerMinute"] = "3", ["RateLimits:SignedInFormsPerMinute"] = "8",
        }).Started();
        var first = From(app, Desk);
        var second = From(app, Desk);
        await first.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centre])));
        await second.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centre])));

        // Two people at one desk (one address) check six bookings each: more than visitors may, within their own limit.
        for (var i = 0; i < 6; i++)
        {
            foreach (var desk in new[] { first, second })
            {
                var response = await CheckBookingAsync(desk, room);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"check {i + 1}: {(int)response.StatusCode}");
            }
        }
        // Each has a limit of their own.
        Assert.Equal(HttpStatusCode.OK, (await CheckBookingAsync(first, room)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CheckBookingAsync(first, room)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await CheckBookingAsync(first, room)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CheckBookingAsync(second, room)).StatusCode);

        // A visitor from that address is limited per address, and told in Dutch how long to wait.
        var visitor = From(app, Desk);
        for (var i = 0; i < 3; i++) Assert.NotEqual(HttpStatusCode.TooManyRequests, (await CheckBookingAsync(visitor, room)).StatusCode);
        var refused = await CheckBookingAsync(visitor, room);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Te veel verzoeken", await refused.Content.ReadAsStringAsync());
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task The_sign_in_limit_holds_across_two_instances_and_a_new_minute_opens_it_again()
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:LoginPerMinute"] = "4" };
        await using var first = faults.Instance(settings).Started();
        await using var second = faults.Instance(settings).Started();
        Browser[] instances = [From(first, Desk), From(second, Desk)];

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) statuses.Add((await SignInAsync(instances[i % 2], $"niemand{i}@test.example")).StatusCode);

        Assert.Equal(4, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SignInAsync(From(second, "192.0.2.11"), "ander@test.example")).StatusCode);

        foreach (var instance in new[] { first, second }) instance.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SignInAsync(instances[1], "weer@test.example")).StatusCode);
    }

    [Fact]
    public async Task The_public_form_limit_holds_across_two_instances()
    {
        var (_, room) = await CentreAsync();
        var settings = new Dictionary<string, string?> { ["RateLimits:PublicFormsPerMinute"] = "3" };
        await using var first = faults.Instance(settings).Started();
        await using var second = faults.Instance(settings).Started();
        Browser[] instances = [From(first, Desk), From(second, Desk)];

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) statuses.Add((await CheckBookingAsync(instances[i % 2], room)).StatusCode);

        Assert.Equal(3, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task The_sign_in_throttle_counts_failures_on_both_instances_together()
    {
        var email = await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder"));
        await using var first = faults.Instance().Started();
        await using var second = faults.Instance().Started();
        Browser[] instances = [From(first, Desk), From(second, Desk)];

        var answers = new List<string>();
        for (var i = 0; i < 6; i++) answers.Add(WebUtility.HtmlDecode(await (await SignInAsync(instances[i % 2], email)).Content.ReadAsStringAsync()));

        Assert.Contains("U heeft het te vaak geprobeerd. Wacht 1 minuut", answers[4]);
        Assert.Contains("U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht 1 minuut", answers[5]);
    }
}
