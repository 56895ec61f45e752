using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Errors;

/// <summary>
/// Dutch error pages for people (re-executed by <see cref="ErrorHandling"/>); the JSON API gets its problem documents
/// from <see cref="ErrorHandling"/> directly, without a second pass through the pipeline.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorsController : Controller
{
    [Route("/fout")]
    [IgnoreAntiforgeryToken]
    public IActionResult Error()
    {
        // Asked for directly, without an error behind it: there is no such page.
        if (HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not { } error) return Render(StatusCodes.Status404NotFound, "");
        return Render(StatusCodes.Status500InternalServerError, error.Path);
    }

    [Route("/fout/{code:int}")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Status()
    {
        // No parameters: model binding would read the original request's form, which may be what failed (a NUL in it).
        var code = int.TryParse(RouteData.Values["code"]?.ToString(), out var parsed) ? parsed : StatusCodes.Status404NotFound;
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not { } original) return Render(StatusCodes.Status404NotFound, "");
        if (code == StatusCodes.Status400BadRequest && await HasUnreadableFormAsync())
        {
            // The framework refuses a form with a NUL character as a whole (before anti-forgery and binding can look at it).
            return Render(code, original.OriginalPath, "Het formulier bevat een teken dat niet is toegestaan (een stuurteken, zoals NUL). "
                + "Ga terug: wat u typte staat er nog. Haal het teken weg en verstuur het formulier opnieuw.");
        }
        return Render(code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound, original.OriginalPath);
    }

    private async Task<bool> HasUnreadableFormAsync()
    {
        if (!Request.HasFormContentType) return false;
        try
        {
            await Request.ReadFormAsync();
            return false;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    private IActionResult Render(int code, string originalPath, string? detail = null)
    {
        var (title, text) = ErrorTexts.For(code);
        text = detail ?? text;
        if (originalPath.StartsWith("/api", StringComparison.Ordinal))
        {
            return Problem(title: title, detail: text, statusCode: code);
        }
        Response.StatusCode = code;
        return View("Error", new ErrorPage(code, title, text));
    }
}

public sealed record ErrorPage(int Code, string Title, string Text);
