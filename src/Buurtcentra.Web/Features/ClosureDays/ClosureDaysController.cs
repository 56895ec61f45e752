using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.ClosureDays;

[Authorize(Policy = Policies.Staff)]
public sealed class ClosureDaysController : Controller
{
    private const string Prefix = "Form";

    private bool IsFunctioneelBeheerder => User.IsInRole(Roles.FunctioneelBeheerder);

    [HttpGet("/beheer/sluitingsdagen")]
    public async Task<IActionResult> Index(string? periode, [FromServices] ClosureListQuery query) =>
        View(await query.GetAsync(past: periode == "voorbij", IsFunctioneelBeheerder));

    [HttpGet("/beheer/sluitingsdagen/nieuw")]
    public async Task<IActionResult> Create(long? buurtcentrum, [FromServices] AddClosureHandler handler)
    {
        var centres = await handler.CentreChoicesAsync(IsFunctioneelBeheerder);
        if (centres.Count == 0) return NotFound();
        var form = new AddClosureForm { CentreId = buurtcentrum?.ToString(System.Globalization.CultureInfo.InvariantCulture), Kind = "overig" };
        return View(new AddClosurePage(form, centres));
    }

    [HttpPost("/beheer/sluitingsdagen/nieuw")]
    public async Task<IActionResult> Create([FromForm(Name = Prefix)] AddClosureForm form, [FromServices] IValidator<AddClosureForm> validator,
        [FromServices] AddClosureHandler handler)
    {
        var centres = await handler.CentreChoicesAsync(IsFunctioneelBeheerder);
        if (centres.Count == 0) return NotFound();
        // A centre that is not in the person's own list is refused before anything else, also when the form has errors.
        if (!string.IsNullOrWhiteSpace(form.CentreId) && centres.All(c => c.Value != form.CentreId)) return NotFound();

        var validation = await validator.ValidateAsync(form);
        if (ModelState.IsValid && validation.IsValid)
        {
            var result = await handler.HandleAsync(form, IsFunctioneelBeheerder);
            if (result is null) return NotFound();
            this.Flash("De sluiting is toegevoegd.");
            return Redirect("/beheer/sluitingsdagen");
        }
        validation.AddTo(ModelState, Prefix);
        return View(new AddClosurePage(form, centres));
    }

    [HttpPost("/beheer/sluitingsdagen/{id:long}/verwijderen")]
    public async Task<IActionResult> Delete(long id, [FromServices] DeleteClosureHandler handler)
    {
        if (!await handler.HandleAsync(id, IsFunctioneelBeheerder)) return NotFound();
        this.Flash("De sluiting is verwijderd.");
        return Redirect("/beheer/sluitingsdagen");
    }
}
