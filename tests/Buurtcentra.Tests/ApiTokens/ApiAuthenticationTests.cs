using System.Security.Cryptography;
using System.Text;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Database;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Buurtcentra.Tests.ApiTokens;

/// <summary>The authentication stack itself: which scheme answers, and the CSRF rule for cookie POSTs to the API.</summary>
public sealed class ApiAuthenticationTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    /// <summary>A request with a real login cookie for the user, authenticated by the app's default (policy) scheme.</summary>
    private async Task<AuthenticateResult> AuthenticateWithCookieAsync(long userId, string method, string path, string? contentType)
    {
        var stamp = await Data.ScalarAsync<Guid>("select security_stamp from users where id = @userId", new { userId });
        using var scope = App.Services.CreateScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AuthSchemes.Cookie);
        var principal = AuthSetup.CreatePrincipal(userId, "Test", "test@test.example", Roles.SociaalBeheerder, null, stamp);
        var cookie = options.TicketDataFormat.Protect(new AuthenticationTicket(principal, AuthSchemes.Cookie));

        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.ContentType = contentType;
        context.Request.Headers.Cookie = $"{options.Cookie.Name}={cookie}";
        return await context.AuthenticateAsync();
    }

    [Theory]
    [InlineData("POST", "/api/v1/reservations", "application/x-www-form-urlencoded", false)]
    [InlineData("POST", "/api/v1/reservations", "multipart/form-data; boundary=x", false)]
    [InlineData("POST", "/api/v1/reservations", "text/plain", false)]
    [InlineData("POST", "/api/v1/reservations", null, false)]
    [InlineData("POST", "/api/v1/reservations", "application/json", true)]
    [InlineData("POST", "/api/v1/reservations", "application/json; charset=utf-8", true)]
    [InlineData("POST", "/api/v1/reservations", "application/merge-patch+json", true)]
    [InlineData("GET", "/api/v1/me", null, true)]
    [InlineData("POST", "/beheer/buurtcentra/1/bewerken", "application/x-www-form-urlencoded", true)]
    public async Task A_login_cookie_counts_for_an_api_post_only_with_a_json_body(string method, string path, string? contentType, bool accepted)
    {
        var userId = await Data.UserAsync("sociaal_beheerder");

        var result = await AuthenticateWithCookieAsync(userId, method, path, contentType);

        Assert.Equal(accepted, result.Succeeded);
        if (accepted) Assert.Equal(userId, result.Principal!.UserId());
    }

    [Fact]
    public void Generated_tokens_have_the_prefix_256_random_bits_in_base64url_and_differ()
    {
        var tokens = Enumerable.Range(0, 50).Select(_ => ApiTokenSecret.Generate()).ToList();

        Assert.All(tokens, t => Assert.Matches("^bc_[A-Za-z0-9_-]{43}$", t));
        Assert.Equal(50, tokens.Distinct().Count());
        Assert.True(ApiTokenSecret.LooksLikeToken(tokens[0]));
        Assert.False(ApiTokenSecret.LooksLikeToken("ghp_" + tokens[0][3..]));
        Assert.False(ApiTokenSecret.LooksLikeToken("bc_" + new string('a', 300)));
    }

    [Fact]
    public async Task Me_is_described_in_the_openapi_document()
    {
        using var client = App.CreateClient();
        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/v1/me\"", document);
        Assert.Contains("Wie ben ik?", document);
        Assert.Contains("\"/api/v1/centres\"", document);
        Assert.DoesNotContain("/account/api-sleutels", document);
    }

    [Fact]
    public async Task The_demo_token_in_make_run_and_the_readme_matches_the_hash_in_the_demo_data()
    {
        var assembly = typeof(DemoData).Assembly;
        await using var stream = assembly.GetManifestResourceStream("demo/0002_api_token.sql")!;
        var sql = await new StreamReader(stream).ReadToEndAsync();
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Buurtcentra.sln"))) root = root.Parent!;

        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DemoData.ApiToken))), sql);
        Assert.Contains("beheerder.hoograven@vooruit.example", sql);
        Assert.DoesNotContain(DemoData.ApiToken, sql);
        Assert.Contains(DemoData.ApiToken, await File.ReadAllTextAsync(Path.Combine(root.FullName, "Makefile")));
        Assert.Contains($"curl -H \"Authorization: Bearer {DemoData.ApiToken}\" http://127.0.0.1:5080/api/v1/centres",
            await File.ReadAllTextAsync(Path.Combine(root.FullName, "README.md")));
    }
}
