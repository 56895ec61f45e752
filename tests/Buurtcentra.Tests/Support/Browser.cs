using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Buurtcentra.Tests.Support;

/// <summary>An HTTP client that behaves like a browser without JavaScript: cookies, anti-forgery tokens, forms.</summary>
public sealed partial class Browser
{
    public HttpClient Client { get; }

    public Browser(AppFactory app, Uri? baseAddress = null)
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true };
        if (baseAddress is not null) options.BaseAddress = baseAddress;
        Client = app.CreateClient(options);
    }

    public async Task<string> GetPageAsync(string url)
    {
        var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} gave {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        return body;
    }

    /// <summary>Posts a form the way the page would: the anti-forgery token is taken from <paramref name="pageUrl"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, string actionUrl, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = await TokenFromAsync(pageUrl);
        var all = fields.Append(new("__RequestVerificationToken", token));
        return await Client.PostAsync(actionUrl, new FormUrlEncodedContent(all));
    }

    public Task<HttpResponseMessage> PostFormAsync(string pageUrl, string actionUrl, params (string Name, string Value)[] fields) =>
        PostFormAsync(pageUrl, actionUrl, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public async Task<string> TokenFromAsync(string pageUrl)
    {
        var page = await Client.GetStringAsync(pageUrl);
        var match = TokenPattern().Match(page);
        Assert.True(match.Success, $"No anti-forgery token on {pageUrl}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public async Task SignInAsync(string email, string password = TestData.Password)
    {
        var response = await PostFormAsync("/inloggen", "/inloggen", ("SignIn.Email", email), ("SignIn.Password", password));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in for {email} failed with {(int)response.StatusCode}");
    }

    /// <summary>Signs a gebruiker in the way they do it: ask for a link, take it from the delivered mail, use it.</summary>
    public async Task SignInWithLinkAsync(AppFactory app, string email)
    {
        await PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));
        var mail = (await app.WaitForMailsAsync(1)).Last(m => m.Contains(email, StringComparison.OrdinalIgnoreCase));
        var path = LoginLinkPattern().Match(mail).Value;
        var response = await PostFormAsync(path, path);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in by link for {email} failed with {(int)response.StatusCode}");
    }

    [GeneratedRegex(@"/inloggen/link/[A-Za-z0-9_\-]+")]
    private static partial Regex LoginLinkPattern();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
