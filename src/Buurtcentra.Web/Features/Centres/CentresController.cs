using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Centres;

/// <summary>The public side: start page, centre finder and centre page. No login needed.</summary>
public sealed class CentresController : Controller
{
    [HttpGet("/")]
    public IActionResult Home() => View("Home", new FindCentresForm());

    [HttpGet("/buurtcentra")]
    public async Task<IActionResult> Index(FindCentresForm form, [FromServices] IValidator<FindCentresForm> validator,
        [FromServices] FindCentresQuery query)
    {
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            validation.AddTo(ModelState);
            return View(new CentreListPage(form, null));
        }
        return View(new CentreListPage(form, await query.RunAsync(form)));
    }

    [HttpGet("/buurtcentra/{slug}")]
    public async Task<IActionResult> Details(string slug, [FromServices] CentreDetailsQuery query)
    {
        var details = await query.RunAsync(slug);
        return details is null ? NotFound() : View(details);
    }
}

public sealed record CentreListPage(FindCentresForm Form, FindCentresResult? Result);
