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
        var path = HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? "";
        return Render(StatusCodes.Status500InternalServerError, path);
    }

    [Route("/fout/{code:int}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Status(int code)
    {
        var path = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath ?? "";
        return Render(code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound, path);
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
