using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.CentreManagement;

[Authorize(Policy = Policies.Staff)]
public sealed class CentreManagementController(CentreAccess access) : Controller
{
    /// <summary>Form fields are named Form.Name, Form.Days[0].Opens1, ...: the view model holds the form in Form.</summary>
    private const string Prefix = "Form";

    /// <summary>Puts a handler's error on the right field; true when there was one.</summary>
    private bool AddError(CommandResult result)
    {
        if (result.Succeeded) return false;
        ModelState.AddModelError(string.IsNullOrEmpty(result.Field) ? "" : $"{Prefix}.{result.Field}", result.Error ?? "Er ging iets mis.");
        return true;
    }

    [HttpGet("/beheer/buurtcentra")]
    public async Task<IActionResult> Index([FromServices] CentreListQuery query) =>
        View(new CentreListPage(await query.GetAsync(), User.IsInRole(Roles.FunctioneelBeheerder)));

    [HttpGet("/beheer/buurtcentra/nieuw")]
    [Authorize(Policy = Policies.FunctioneelBeheer)]
    public async Task<IActionResult> Create([FromServices] CentreLookupsQuery lookups) =>
        View(new CreateCentrePage(new CreateCentreForm(), await lookups.GetAsync()));

    [HttpPost("/beheer/buurtcentra/nieuw")]
    [Authorize(Policy = Policies.FunctioneelBeheer)]
    public async Task<IActionResult> Create([FromForm(Name = Prefix)] CreateCentreForm form, [FromServices] IValidator<CreateCentreForm> validator,
        [FromServices] CreateCentreHandler handler, [FromServices] CentreLookupsQuery lookups)
    {
        var validation = await validator.ValidateAsync(form);
        if (ModelState.IsValid && validation.IsValid)
        {
            var (result, id) = await handler.HandleAsync(form);
            if (!AddError(result))
            {
                this.Flash($"Buurtcentrum {form.Name!.Trim()} is toegevoegd.");
                return Redirect($"/beheer/buurtcentra/{id}");
            }
        }
        else
        {
            validation.AddTo(ModelState, Prefix);
        }
        return View(new CreateCentrePage(form, await lookups.GetAsync()));
    }

    [HttpGet("/beheer/buurtcentra/{centreId:long}")]
    public async Task<IActionResult> Overview(long centreId, [FromServices] CentreOverviewQuery query) =>
        await query.GetAsync(centreId) is { } page ? View(page) : NotFound();

    [HttpGet("/beheer/buurtcentra/{centreId:long}/bewerken")]
    public async Task<IActionResult> Edit(long centreId, [FromServices] EditCentreHandler handler) =>
        await handler.LoadAsync(centreId, User) is { } page ? View(page) : NotFound();

    [HttpPost("/beheer/buurtcentra/{centreId:long}/bewerken")]
    public async Task<IActionResult> Edit(long centreId, [FromForm(Name = Prefix)] EditCentreForm form, [FromServices] IValidator<EditCentreForm> validator,
        [FromServices] EditCentreHandler handler)
    {
        // Check access before looking at the form: nothing about another centre, not even a validation message.
        if (!await access.CanManageAsync(centreId) || await handler.LoadAsync(centreId, User) is not { } page) return NotFound();
        if (!page.FullEdit)
        {
            form.KeepRestrictedFields(page.Centre);
            foreach (var field in new[] { nameof(form.Name), nameof(form.Slug), nameof(form.WijkId), nameof(form.SmoId), nameof(form.Active) })
            {
                ModelState.Remove($"{Prefix}.{field}");
            }
        }

        var validation = await validator.ValidateAsync(form);
        if (ModelState.IsValid && validation.IsValid)
        {
            var result = await handler.HandleAsync(centreId, form, User);
            if (result is null) return NotFound();
            if (!AddError(result.Value))
            {
                this.Flash("De gegevens van het buurtcentrum zijn opgeslagen.");
                return Redirect($"/beheer/buurtcentra/{centreId}");
            }
        }
        else
        {
            validation.AddTo(ModelState, Prefix);
        }
        return View(page with { Form = form });
    }

    [HttpGet("/beheer/buurtcentra/{centreId:long}/openingstijden")]
    public async Task<IActionResult> OpeningHours(long centreId, [FromServices] OpeningHoursHandler handler) =>
        await handler.LoadAsync(centreId) is { } page ? View(page) : NotFound();

    [HttpPost("/beheer/buurtcentra/{centreId:long}/openingstijden")]
    public async Task<IActionResult> OpeningHours(long centreId, [FromForm(Name = Prefix)] OpeningHoursForm form, [FromServices] IValidator<OpeningHoursForm> validator,
        [FromServices] OpeningHoursHandler handler)
    {
        if (!await access.CanManageAsync(centreId) || await handler.LoadAsync(centreId) is not { } page) return NotFound();

        var validation = await validator.ValidateAsync(form);
        if (ModelState.IsValid && validation.IsValid)
        {
            var result = await handler.HandleAsync(centreId, form);
            if (result is null) return NotFound();
            if (!AddError(result.Value))
            {
                this.Flash("De openingstijden zijn opgeslagen.");
                return Redirect($"/beheer/buurtcentra/{centreId}");
            }
        }
        else
        {
            validation.AddTo(ModelState, Prefix);
        }
        // Keep what was typed, padded to a full week so the form can always be shown.
        while (form.Days.Count < 7) form.Days.Add(new DayHoursForm());
        return View(page with { Form = form });
    }
}
