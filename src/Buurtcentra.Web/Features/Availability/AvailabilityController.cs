using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Availability;

/// <summary>"Vrije ruimte zoeken": a public GET form with the results on the same page. No login needed.</summary>
public sealed class AvailabilityController : Controller
{
    [HttpGet("/ruimte-zoeken")]
    public async Task<IActionResult> Index(FindFreeRoomsForm form, [FromServices] IValidator<FindFreeRoomsForm> validator,
        [FromServices] FindFreeRoomsQuery query)
    {
        // The first visit shows the empty form; any query string is a search.
        if (Request.Query.Count == 0) return View(new FreeRoomsPage(form, null));
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            validation.AddTo(ModelState);
            return View(new FreeRoomsPage(form, null));
        }
        return View(new FreeRoomsPage(form, await query.RunAsync(form)));
    }
}

public sealed record FreeRoomsPage(FindFreeRoomsForm Form, FreeRoomsResult? Result);
