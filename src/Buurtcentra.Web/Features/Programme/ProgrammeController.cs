using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Programme;

/// <summary>
/// The public programme (wijkagenda): activities everyone may join, this week and next week, per centre and per wijk.
/// No login needed; no names, e-mail addresses or phone numbers (AVG).
/// </summary>
public sealed class ProgrammeController : Controller
{
    [HttpGet("/buurtcentra/{slug}/programma")]
    public async Task<IActionResult> Centre(string slug, [FromQuery] string? week, [FromServices] ProgrammeQuery query) =>
        await query.ForCentreAsync(slug, week) is { } page ? View("Centre", page) : NotFound();

    [HttpGet("/wijken/{slug}/programma")]
    public async Task<IActionResult> Wijk(string slug, [FromQuery] string? week, [FromServices] ProgrammeQuery query) =>
        await query.ForWijkAsync(slug, week) is { } page ? View("Wijk", page) : NotFound();

    [HttpGet("/wijken")]
    public async Task<IActionResult> Wijken([FromServices] WijkenQuery query) => View("Wijken", await query.GetAsync());
}

/// <summary>A calendar feed as a web address (to copy into an app) and as webcal:// (opens the calendar app).</summary>
public sealed record FeedUrls(string Https, string Webcal)
{
    public static FeedUrls For(HttpRequest request, string path)
    {
        var https = request.PublicBaseUrl().TrimEnd('/') + path;
        var schemeEnd = https.IndexOf("://", StringComparison.Ordinal);
        return new FeedUrls(https, "webcal" + https[schemeEnd..]);
    }
}
