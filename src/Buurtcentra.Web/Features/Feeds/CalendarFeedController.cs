using Buurtcentra.Web.Infrastructure.Calendar;
using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Buurtcentra.Web.Features.Feeds;

/// <summary>
/// The calendar feeds that calendar apps fetch (GET and HEAD), and the "Zet in mijn agenda" file of one public
/// activity. text/calendar in UTF-8, never compressed (Outlook refuses some compressed feeds), ETag and Last-Modified
/// from a cheap version query, 304 when the client already has this version. An unknown, revoked or renewed token,
/// or one whose owner lost access, gets 404.
/// </summary>
[AllowAnonymous]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class CalendarFeedController(CalendarFeedQuery feeds, TimeProvider time) : ControllerBase
{
    public const string CentrePath = "/agenda/buurtcentra/{0}.ics";
    public const string WijkPath = "/agenda/wijken/{0}.ics";
    public const string TokenPath = "/agenda/{0}.ics";
    public const string ActivityPath = "/programma/activiteiten/{0}.ics";

    /// <summary>Public feeds may sit in a shared cache for a few minutes; private ones only with the client, checked every time.</summary>
    private const string PublicCaching = "public, max-age=300, no-transform";
    private const string PrivateCaching = "private, no-cache, no-transform";

    [AcceptVerbs("GET", "HEAD", Route = "/agenda/buurtcentra/{slug}.ics")]
    public async Task<IActionResult> Centre(string slug) =>
        await feeds.PublicCentreAsync(slug) is { } scope ? await FeedAsync(scope, PublicCaching) : NotFound();

    [AcceptVerbs("GET", "HEAD", Route = "/agenda/wijken/{slug}.ics")]
    public async Task<IActionResult> Wijk(string slug) =>
        await feeds.PublicWijkAsync(slug) is { } scope ? await FeedAsync(scope, PublicCaching) : NotFound();

    [AcceptVerbs("GET", "HEAD", Route = "/agenda/{token}.ics")]
    public async Task<IActionResult> Private(string token, [FromServices] FeedAccessQuery access)
    {
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        var feed = await access.ByTokenAsync(token);
        if (feed is null) return NotFound();
        await access.MarkFetchedAsync(feed, time.GetUtcNow());
        return await FeedAsync(feed.Scope with { LinkBase = Request.PublicBaseUrl() }, PrivateCaching);
    }

    [AcceptVerbs("GET", "HEAD", Route = "/programma/activiteiten/{occurrenceId:long}.ics")]
    public async Task<IActionResult> Activity(long occurrenceId)
    {
        if (await feeds.PublicActivityAsync(occurrenceId) is not { } activity) return NotFound();
        Headers(activity.Version, PublicCaching);
        if (NotModified(activity.Version)) return StatusCode(StatusCodes.Status304NotModified);
        Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = activity.FileName }.ToString();
        return Content(activity.Text, CalendarFeedWriter.ContentType);
    }

    private async Task<IActionResult> FeedAsync(FeedScope scope, string caching)
    {
        var window = feeds.Window();
        var version = await feeds.VersionAsync(scope, window);
        Headers(version, caching);
        if (NotModified(version)) return StatusCode(StatusCodes.Status304NotModified);
        return Content(await feeds.RenderAsync(scope, window), CalendarFeedWriter.ContentType);
    }

    private void Headers(FeedVersion version, string caching)
    {
        // Response compression, if it is ever switched on, must leave calendars alone.
        if (HttpContext.Features.Get<IHttpsCompressionFeature>() is { } compression) compression.Mode = HttpsCompressionMode.DoNotCompress;
        var headers = Response.Headers;
        headers.ETag = version.ETag;
        headers.LastModified = version.LastModified.ToString("R");
        headers.CacheControl = caching;
    }

    /// <summary>If-None-Match (weak comparison, RFC 9110 13.1.2) wins; If-Modified-Since counts only without it.</summary>
    private bool NotModified(FeedVersion version)
    {
        var request = Request.GetTypedHeaders();
        if (Request.Headers.IfNoneMatch.Count > 0)
        {
            var current = new EntityTagHeaderValue(version.ETag);
            return request.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
        }
        return request.IfModifiedSince is { } since && since >= version.LastModified;
    }
}
