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
    public IActionResult Status(int code)
    {
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not { } original) return Render(StatusCodes.Status404NotFound, "");
        return Render(code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound, original.OriginalPath);
    }

    private IActionResult Render(int code, string originalPath)
    {
        var (title, text) = ErrorTexts.For(code);
        if (originalPath.StartsWith("/api", StringComparison.Ordinal))
        {
            return Problem(title: title, detail: text, statusCode: code);
        }
        Response.StatusCode = code;
        return View("Error", new ErrorPage(code, title, text));
    }
}

public sealed record ErrorPage(int Code, string Title, string Text);
