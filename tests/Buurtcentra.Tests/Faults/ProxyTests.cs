using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Buurtcentra.Tests.Faults;

/// <summary>
/// Behind a TLS-terminating proxy: forwarded headers only from configured proxies, Secure cookies outside
/// Development, and no start in Production without App:PublicBaseUrl (links in mail never take the Host header).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class ProxyTests(FaultsFixture faults) : IClassFixture<FaultsFixture>, IAsyncLifetime
{
    private const string Proxy = "10.0.0.5";

    private static readonly Dictionary<string, string?> BehindProxy = new()
    {
        ["App:ForwardedProxies"] = $"{Proxy}, 10.9.0.0/16", ["RateLimits:LoginPerMinute"] = "2",
    };

    private static readonly Dictionary<string, string?> Production = new()
    {
        ["App:PublicBaseUrl"] = "https://buurtcentra.example", ["Meldingen:DigestEnabled"] = "false",
    };

    public Task InitializeAsync() => faults.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Browser Through(AppFactory app, string peer, string? forwardedFor = null, string? forwardedProto = null)
    {
        var browser = new Browser(app);
        browser.Client.DefaultRequestHeaders.Add(TestPeerAddress.Header, peer);
        if (forwardedFor is not null) browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) browser.Client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        return browser;
    }

    private static async Task<HttpStatusCode> SignInAsync(Browser browser) =>
        (await browser.PostFormAsync("/inloggen", "/inloggen", ("SignIn.Email", "niemand@test.example"), ("SignIn.Password", "fout"))).StatusCode;

    [Fact]
    public async Task Behind_a_configured_proxy_each_client_counts_by_its_own_address()
    {
        await using var app = faults.Instance(BehindProxy).Started();
        var first = Through(app, Proxy, "203.0.113.1");
        var second = Through(app, Proxy, "203.0.113.2");
        var chained = Through(app, "10.9.4.4", "203.0.113.3, 10.0.0.5");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            [await SignInAsync(first), await SignInAsync(first), await SignInAsync(first)]);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            [await SignInAsync(second), await SignInAsync(second), await SignInAsync(second)]);
        // Through two known proxies (a load balancer behind a CDN) the client is the first address that is no proxy.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            [await SignInAsync(chained), await SignInAsync(chained), await SignInAsync(chained)]);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_address_that_is_no_configured_proxy_are_ignored()
    {
        await using var app = faults.Instance(BehindProxy).Started();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add(await SignInAsync(Through(app, "192.0.2.99", $"203.0.113.{10 + i}")));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);

        // Without App:ForwardedProxies nobody's forwarded headers count.
        await using var direct = faults.Instance(new Dictionary<string, string?> { ["RateLimits:LoginPerMinute"] = "2" }).Started();
        statuses.Clear();
        for (var i = 0; i < 3; i++) statuses.Add(await SignInAsync(Through(direct, Proxy, $"203.0.113.{20 + i}")));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_request_the_proxy_received_over_https_is_https_to_the_app()
    {
        await using var app = faults.Instance(BehindProxy).Started();

        var viaProxy = await Through(app, Proxy, "203.0.113.1", "https").Client.GetAsync("/inloggen");
        Assert.Contains("secure", AntiforgeryCookie(viaProxy), StringComparison.OrdinalIgnoreCase);
        var spoofed = await Through(app, "192.0.2.99", "203.0.113.1", "https").Client.GetAsync("/inloggen");
        Assert.DoesNotContain("secure", AntiforgeryCookie(spoofed), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Outside_development_every_cookie_is_secure_even_when_the_app_itself_is_reached_over_http()
    {
        var email = await faults.Data.EmailOfAsync(await faults.Data.UserAsync("functioneel_beheerder"));
        await using var app = faults.Instance(Production, "Production").Started();
        // A client that keeps cookies by hand: an ordinary one would not send Secure cookies back over http.
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var jar = new Dictionary<string, string>();
        var setCookies = new List<string>();

        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, IEnumerable<KeyValuePair<string, string>>? form = null)
        {
            using var request = new HttpRequestMessage(method, url);
            if (form is not null) request.Content = new FormUrlEncodedContent(form);
            if (jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
            var response = await client.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                setCookies.Add(header);
                var pair = header.Split(';', 2)[0].Split('=', 2);
                jar[pair[0]] = pair[1];
            }
            return response;
        }
        async Task<string> TokenAsync(string url) =>
            WebUtility.HtmlDecode(TokenPattern().Match(await (await SendAsync(HttpMethod.Get, url)).Content.ReadAsStringAsync()).Groups[1].Value);

        var signIn = await SendAsync(HttpMethod.Post, "/inloggen",
            [new("SignIn.Email", email), new("SignIn.Password", TestData.Password), new("__RequestVerificationToken", await TokenAsync("/inloggen"))]);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var signOut = await SendAsync(HttpMethod.Post, "/uitloggen", [new("__RequestVerificationToken", await TokenAsync("/beheer/buurtcentra"))]);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        var names = setCookies.Select(c => c.Split('=', 2)[0]).ToHashSet();
        Assert.Contains("buurtcentra.af", names);
        Assert.Contains("buurtcentra.auth", names);
        Assert.Contains(".AspNetCore.Mvc.CookieTempDataProvider", names); // the flash message after signing out
        Assert.All(setCookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Production_refuses_to_start_without_a_public_base_url_and_says_what_to_set()
    {
        using var app = faults.Instance(new Dictionary<string, string?> { ["Meldingen:DigestEnabled"] = "false" }, "Production");
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("App__PublicBaseUrl is not set", Messages(error));
        Assert.Contains("https://", Messages(error));
    }

    [Theory]
    [InlineData("App:ForwardedProxies", "proxy.example", "App__ForwardedProxies: 'proxy.example' is not an IP address or network")]
    [InlineData("App:PublicBaseUrl", "buurtcentra.example", "App__PublicBaseUrl 'buurtcentra.example' is not an absolute http(s) address")]
    public void A_wrong_proxy_setting_refuses_to_start_and_says_what_is_wrong(string key, string value, string message)
    {
        using var app = faults.Instance(new Dictionary<string, string?> { [key] = value });
        Assert.Contains(message, Messages(Assert.ThrowsAny<Exception>(() => app.Services)));
    }

    [Fact]
    public async Task In_production_a_mailed_link_starts_with_the_public_base_url_whatever_the_host_header_says()
    {
        var email = await faults.Data.EmailOfAsync(await faults.Data.UserAsync("gebruiker"));
        await using var app = faults.Instance(Production, "Production").Started();
        var browser = new Browser(app, new Uri("https://localhost"));
        browser.Client.DefaultRequestHeaders.Host = "aanvaller.example";

        await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));

        var mail = Assert.Single(await faults.Smtp.WaitForAsync(m => m.Count > 0));
        Assert.Contains("https://buurtcentra.example/inloggen/link/", mail.TextBody);
        Assert.DoesNotContain("aanvaller", mail.TextBody);
    }

    private static string AntiforgeryCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("buurtcentra.af=", StringComparison.Ordinal));

    private static string Messages(Exception error)
    {
        var text = new List<string>();
        for (var e = error; e is not null; e = e.InnerException) text.Add(e.Message);
        if (error is AggregateException aggregate) text.AddRange(aggregate.InnerExceptions.Select(e => e.Message));
        return string.Join(" | ", text);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
