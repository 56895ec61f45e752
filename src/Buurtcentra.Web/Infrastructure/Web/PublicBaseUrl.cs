namespace Buurtcentra.Web.Infrastructure.Web;

public static class PublicBaseUrlExtensions
{
    /// <summary>
    /// The address links in mails start with: App:PublicBaseUrl when set (behind a proxy the request's own host is
    /// not what residents can reach), otherwise the scheme and host of the request. In Production the app does not
    /// start without App:PublicBaseUrl (ProxySetup), so there the Host header is never used.
    /// </summary>
    public static string PublicBaseUrl(this HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<IConfiguration>()["App:PublicBaseUrl"]
        ?? $"{request.Scheme}://{request.Host}";
}
