using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.ApiTokens;

public sealed partial class ApiTokenTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string Page = "/account/api-sleutels";

    private async Task<(long UserId, Browser Browser)> SignedInAsync(string role = "sociaal_beheerder", long[]? centreIds = null)
    {
        var userId = await Data.UserAsync(role, centreIds: centreIds);
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));
        return (userId, browser);
    }

    /// <summary>Makes a token the way a person does: the form on the API-sleutels page; returns the token shown once.</summary>
    private static async Task<string> CreateTokenAsync(Browser browser, string name)
    {
        var response = await browser.PostFormAsync(Page, Page, ("Form.Name", name));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Creating a token gave {(int)response.StatusCode}");
        var match = TokenPattern().Match(body);
        Assert.True(match.Success, "The result page shows the new token");
        return match.Value;
    }

    private HttpRequestMessage Api(string url, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<HttpResponseMessage> GetWithTokenAsync(string url, string? token)
    {
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return await client.SendAsync(Api(url, token));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, json.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_new_token_is_shown_once_and_only_its_sha256_is_stored()
    {
        var (userId, browser) = await SignedInAsync();

        var response = await browser.PostFormAsync(Page, Page, ("Form.Name", "  Planning-script  "));
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var token = TokenPattern().Match(body).Value;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        Assert.Matches("^bc_[A-Za-z0-9_-]{43}$", token);
        Assert.Contains("U ziet hem maar één keer", body);

        var stored = await Data.ScalarAsync<byte[]>("select token_hash from api_tokens where user_id = @userId and name = 'Planning-script'", new { userId });
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)), stored);
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from api_tokens t where t::text like '%' || @token || '%'", new { token }));

        // The list shows the name, never the token.
        var list = WebUtility.HtmlDecode(await browser.GetPageAsync(Page));
        Assert.Contains("Planning-script", list);
        Assert.DoesNotContain(token, list);
        Assert.Contains("Nog niet gebruikt", list);
    }

    [Fact]
    public async Task The_token_authenticates_an_api_request_as_its_owner_with_the_same_role_and_centres()
    {
        var mine = await Data.CentreAsync("Buurtcentrum Mijn Eigen");
        await Data.CentreAsync("Buurtcentrum Van Een Ander");
        var (userId, browser) = await SignedInAsync(centreIds: [mine]);
        var token = await CreateTokenAsync(browser, "Script");

        var response = await GetWithTokenAsync("/api/v1/me", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(userId, me.GetProperty("id").GetInt64());
        Assert.StartsWith("Test sociaal_beheerder", me.GetProperty("name").GetString());
        Assert.Equal("sociaal_beheerder", me.GetProperty("role").GetProperty("code").GetString());
        Assert.Equal("Sociaal beheerder", me.GetProperty("role").GetProperty("name").GetString());
        Assert.False(me.GetProperty("seesAllCentres").GetBoolean());
        var centre = Assert.Single(me.GetProperty("centres").EnumerateArray());
        Assert.Equal(mine, centre.GetProperty("id").GetInt64());
        Assert.Equal("Buurtcentrum Mijn Eigen", centre.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_cookie_login_reads_the_same_endpoint_but_an_anonymous_call_gets_401_problem_details_not_a_redirect()
    {
        var (userId, browser) = await SignedInAsync();

        var withCookie = await browser.Client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(userId, withCookie.GetProperty("id").GetInt64());

        var anonymous = await GetWithTokenAsync("/api/v1/me", null);
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "Niet ingelogd");
        Assert.Null(anonymous.Headers.Location);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("bc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("geen-sleutel")]
    [InlineData("bc_")]
    public async Task An_unknown_or_malformed_token_gets_401(string token)
    {
        var (_, browser) = await SignedInAsync();
        await CreateTokenAsync(browser, "Echte sleutel");

        var response = await GetWithTokenAsync("/api/v1/me", token);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Niet ingelogd");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_bearer_header_wins_over_the_cookie_so_a_bad_token_is_refused_even_when_signed_in()
    {
        var (_, browser) = await SignedInAsync();
        var request = Api("/api/v1/me", "bc_onbekend");

        var response = await browser.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_gets_401_from_the_next_request_on()
    {
        var (userId, browser) = await SignedInAsync();
        var token = await CreateTokenAsync(browser, "Oude koppeling");
        Assert.Equal(HttpStatusCode.OK, (await GetWithTokenAsync("/api/v1/me", token)).StatusCode);
        var tokenId = await Data.ScalarAsync<long>("select id from api_tokens where user_id = @userId", new { userId });

        var revoke = await browser.PostFormAsync(Page, $"{Page}/{tokenId}/intrekken");

        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        await AssertProblemAsync(await GetWithTokenAsync("/api/v1/me", token), HttpStatusCode.Unauthorized, "Niet ingelogd");
        var list = WebUtility.HtmlDecode(await browser.GetPageAsync(Page));
        Assert.Contains("Ingetrokken op", list);
        Assert.DoesNotContain($"{Page}/{tokenId}/intrekken", list);
    }

    [Fact]
    public async Task A_deactivated_account_gets_401_with_its_token()
    {
        var (userId, browser) = await SignedInAsync();
        var token = await CreateTokenAsync(browser, "Script");

        await Data.ScalarAsync<int>("update users set active = false where id = @userId returning 1", new { userId });

        await AssertProblemAsync(await GetWithTokenAsync("/api/v1/me", token), HttpStatusCode.Unauthorized, "Niet ingelogd");
    }

    [Fact]
    public async Task Nobody_sees_or_revokes_another_persons_token()
    {
        var (ownerId, owner) = await SignedInAsync();
        var token = await CreateTokenAsync(owner, "Geheime koppeling van A");
        var tokenId = await Data.ScalarAsync<long>("select id from api_tokens where user_id = @ownerId", new { ownerId });
        var (_, other) = await SignedInAsync("functioneel_beheerder");

        var list = WebUtility.HtmlDecode(await other.GetPageAsync(Page));
        var revoke = await other.PostFormAsync(Page, $"{Page}/{tokenId}/intrekken");

        Assert.DoesNotContain("Geheime koppeling van A", list);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Null(await Data.ScalarAsync<DateTime?>("select revoked_at from api_tokens where id = @tokenId", new { tokenId }));
        Assert.Equal(HttpStatusCode.OK, (await GetWithTokenAsync("/api/v1/me", token)).StatusCode);
    }

    [Fact]
    public async Task A_gebruiker_signed_in_by_link_makes_a_token_too()
    {
        var group = await Data.OrganisationAsync("Klaverjasclub", "gebruikersgroep");
        var userId = await Data.UserAsync("gebruiker", organisationId: group);
        var browser = new Browser(App);
        await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", await Data.EmailOfAsync(userId)));
        var path = Regex.Match(Assert.Single(await App.WaitForMailsAsync(1)), @"/inloggen/link/[A-Za-z0-9_\-]+").Value;
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync(path, path)).StatusCode);

        var token = await CreateTokenAsync(browser, "Agenda van de club");
        var me = await (await GetWithTokenAsync("/api/v1/me", token)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("gebruiker", me.GetProperty("role").GetProperty("code").GetString());
        Assert.Equal("Klaverjasclub", me.GetProperty("organisation").GetProperty("name").GetString());
        Assert.Empty(me.GetProperty("centres").EnumerateArray());
    }

    [Fact]
    public async Task The_token_pages_need_the_login_cookie_so_a_token_cannot_make_more_tokens()
    {
        var (_, browser) = await SignedInAsync();
        var token = await CreateTokenAsync(browser, "Script");

        var anonymous = await GetWithTokenAsync(Page, null);
        var withToken = await GetWithTokenAsync(Page, token);

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/inloggen", anonymous.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, withToken.StatusCode);
        Assert.Contains("/inloggen", withToken.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("", "Vul een naam in voor de API-sleutel")]
    [InlineData("x", "De naam moet 2 tot 80 tekens lang zijn.")]
    public async Task An_invalid_name_gives_a_dutch_message_and_makes_no_token(string name, string message)
    {
        var (userId, browser) = await SignedInAsync();

        var response = await browser.PostFormAsync(Page, Page, ("Form.Name", name));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, body);
        Assert.DoesNotMatch(TokenPattern(), body);
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from api_tokens where user_id = @userId", new { userId }));
    }

    [Fact]
    public async Task Last_used_is_written_at_most_once_a_minute()
    {
        var (userId, browser) = await SignedInAsync();
        var token = await CreateTokenAsync(browser, "Script");
        Task<DateTime?> LastUsedAsync() => Data.ScalarAsync<DateTime?>("select last_used_at from api_tokens where user_id = @userId", new { userId });

        await GetWithTokenAsync("/api/v1/me", token);
        var first = await LastUsedAsync();
        App.Time.Advance(TimeSpan.FromSeconds(40));
        await GetWithTokenAsync("/api/v1/me", token);
        var afterForty = await LastUsedAsync();
        App.Time.Advance(TimeSpan.FromSeconds(30));
        await GetWithTokenAsync("/api/v1/me", token);
        var afterSeventy = await LastUsedAsync();

        Assert.Equal(App.Time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(70), first);
        Assert.Equal(first, afterForty);
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime, afterSeventy);
        var list = WebUtility.HtmlDecode(await browser.GetPageAsync(Page));
        Assert.DoesNotContain("Nog niet gebruikt", list);
        Assert.Contains(Buurtcentra.Web.Features.ApiTokens.ApiTokenText.When(afterSeventy!.Value), list);
    }

    [GeneratedRegex("bc_[A-Za-z0-9_-]{43}")]
    private static partial Regex TokenPattern();
}
