using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>
/// Running behind a TLS-terminating proxy (docs/operations.md):
/// <list type="bullet">
/// <item>X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies in App:ForwardedProxies (addresses or
/// CIDR networks). Then the client's own address counts for the limits, and the request is https. Without that setting
/// the headers are ignored: anyone could send them.</item>
/// <item>Every cookie (sign-in, anti-forgery, flash messages, anything else) is Secure outside Development and the
/// automated tests' Testing environment, which run on plain HTTP on loopback.</item>
/// <item>In Production the app does not start without App:PublicBaseUrl, so links in mail never take the Host header.</item>
/// </list>
/// </summary>
public static class ProxySetup
{
    public const string ProxiesKey = "App:ForwardedProxies";
    public const string PublicBaseUrlKey = "App:PublicBaseUrl";

    public static IServiceCollection AddProxySupport(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        CheckPublicBaseUrl(configuration, environment);
        var proxies = ForwardedProxies(configuration);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in proxies) options.KnownIPNetworks.Add(network);
            // A chain of known proxies (load balancer behind a CDN) is walked back to the first address that is not one.
            options.ForwardLimit = null;
        });
        services.AddSingleton(new ForwardedProxyList(proxies));

        // The cookie policy makes every cookie the app writes Secure (anti-forgery, flash messages, anything added later).
        // The anti-forgery options themselves stay "same as request": set to Always they refuse every form sent over
        // plain HTTP with an error, for example when a proxy is not configured in App:ForwardedProxies.
        var secure = SecureCookies(environment);
        services.Configure<CookiePolicyOptions>(options => options.Secure = secure);
        services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o => o.Cookie.SecurePolicy = secure);
        return services;
    }

    /// <summary>First in the pipeline: the client's address and scheme are settled before anything reads them.</summary>
    public static IApplicationBuilder UseProxySupport(this IApplicationBuilder app)
    {
        // With no known proxies the middleware would believe everyone: leave it out instead.
        if (app.ApplicationServices.GetRequiredService<ForwardedProxyList>().Networks.Count > 0) app.UseForwardedHeaders();
        app.UseCookiePolicy();
        return app;
    }

    public static CookieSecurePolicy SecureCookies(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing") ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    private static void CheckPublicBaseUrl(IConfiguration configuration, IHostEnvironment environment)
    {
        var value = configuration[PublicBaseUrlKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            if (environment.IsProduction())
            {
                throw new InvalidOperationException(
                    "App__PublicBaseUrl is not set. In Production the links in mails (login links, reservations, meldingen) are built from it, "
                    + "never from the Host header of a request. Set it to the address people use, for example "
                    + "App__PublicBaseUrl=https://buurtcentra.utrecht.nl (see docs/operations.md).");
            }
            return;
        }
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvalidOperationException(
                $"App__PublicBaseUrl '{value}' is not an absolute http(s) address without query, for example https://buurtcentra.utrecht.nl (see docs/operations.md).");
        }
    }

    /// <summary>App:ForwardedProxies as one string ("10.0.0.5, 10.1.0.0/16") or as a list (App__ForwardedProxies__0, ...).</summary>
    internal static IReadOnlyList<System.Net.IPNetwork> ForwardedProxies(IConfiguration configuration)
    {
        var section = configuration.GetSection(ProxiesKey);
        var entries = (section.Value ?? "").Split([',', ';', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(section.GetChildren().Select(c => c.Value?.Trim() ?? "").Where(v => v.Length > 0));
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in entries)
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (!entry.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(entry, out var address))
            {
                if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException(
                    $"App__ForwardedProxies: '{entry}' is not an IP address or network, for example 10.0.0.5 or 10.0.0.0/24 (see docs/operations.md).");
            }
        }
        return networks;
    }

    private sealed record ForwardedProxyList(IReadOnlyList<System.Net.IPNetwork> Networks);
}
