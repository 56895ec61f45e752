using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Organisations;

/// <summary>
/// Organisations: functioneel beheer manages all kinds; sociaal beheerders and SMO-coördinatoren register
/// user groups and initiatives only.
/// </summary>
[Authorize(Policy = Policies.ManageUserGroups)]
public sealed class OrganisationsController(IValidator<OrganisationForm> validator) : Controller
{
    [HttpGet("/beheer/organisaties")]
    public async Task<IActionResult> Index([FromQuery] OrganisationFilter filter, [FromServices] ListOrganisationsQuery query) =>
        View(new OrganisationListPage(filter, await query.RunAsync(filter)));

    [HttpGet("/beheer/organisaties/nieuw")]
    public IActionResult Create() =>
        View(new OrganisationForm { Kind = User.IsInRole(Roles.FunctioneelBeheerder) ? null : OrganisationKinds.Gebruikersgroep });

    [HttpPost("/beheer/organisaties/nieuw")]
    public async Task<IActionResult> Create(OrganisationForm form, [FromServices] CreateOrganisationHandler handler)
    {
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid || !ModelState.IsValid)
        {
            validation.AddTo(ModelState);
            return View(form);
        }
        var (result, _) = await handler.HandleAsync(form, User);
        if (result.AddErrorTo(ModelState)) return View(form);
        this.Flash($"Organisatie {form.Name!.Trim()} is opgeslagen.");
        return Redirect("/beheer/organisaties");
    }

    [HttpGet("/beheer/organisaties/{id:long}/bewerken")]
    public async Task<IActionResult> Edit(long id, [FromServices] OrganisationForEditQuery query)
    {
        var page = await query.RunAsync(id, User);
        return page is null ? NotFound() : View(page);
    }

    [HttpPost("/beheer/organisaties/{id:long}/bewerken")]
    public async Task<IActionResult> Edit(long id, OrganisationForm form, [FromServices] EditOrganisationHandler handler,
        [FromServices] OrganisationForEditQuery query)
    {
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid || !ModelState.IsValid)
        {
            // Do not show the form (not even with errors) for an organisation this person may not edit.
            if (await query.RunAsync(id, User) is not { } stored) return NotFound();
            validation.AddTo(ModelState);
            return View(stored with { Form = form });
        }
        var result = await handler.HandleAsync(id, form, User);
        if (result is null) return NotFound();
        if (result.Value.AddErrorTo(ModelState)) return View((await query.RunAsync(id, User))! with { Form = form });
        this.Flash($"Organisatie {form.Name!.Trim()} is opgeslagen.");
        return Redirect("/beheer/organisaties");
    }
}
