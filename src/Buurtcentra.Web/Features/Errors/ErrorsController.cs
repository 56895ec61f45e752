using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Errors;

/// <summary>Dutch error pages for people, ProblemDetails for the JSON API.</summary>
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
        return Render(code, path);
    }

    private IActionResult Render(int code, string originalPath)
    {
        var (title, text) = code switch
        {
            404 => ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina."),
            403 => ("Geen toegang", "U heeft geen toegang tot deze pagina."),
            400 => ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw."),
            429 => ("Te veel verzoeken", "U heeft te vaak achter elkaar een verzoek gedaan. Wacht een minuut en probeer het opnieuw."),
            >= 500 => ("Er ging iets mis", "Er ging bij ons iets mis. Uw gegevens zijn niet opgeslagen. Probeer het later opnieuw."),
            _ => ("Er ging iets mis", "Het verzoek kon niet worden verwerkt."),
        };
        if (originalPath.StartsWith("/api", StringComparison.Ordinal))
        {
            return Problem(title: title, detail: text, statusCode: code);
        }
        Response.StatusCode = code;
        return View("Error", new ErrorPage(code, title, text));
    }
}

public sealed record ErrorPage(int Code, string Title, string Text);
