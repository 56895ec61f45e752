using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Tariffs;

/// <summary>
/// Vergoeding (the contribution policy and room rates) and facturatie (the monthly list of what to invoice) of one
/// centre. Only for people who may manage the centre (<see cref="CentreAccess.CanManageAsync"/>); everyone else,
/// Stadsbedrijven included, gets a 404.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class TariffsController : Controller
{
    /// <summary>Form fields are named Form.Policy[...] and Form.Rooms[0].Social: the page model holds the form in Form.</summary>
    private const string Prefix = "Form";

    [HttpGet("/beheer/buurtcentra/{centreId:long}/vergoeding")]
    public async Task<IActionResult> Vergoeding(long centreId, [FromServices] ContributionPolicyHandler handler) =>
        await handler.LoadAsync(centreId) is { } page ? View(page) : NotFound();

    [HttpPost("/beheer/buurtcentra/{centreId:long}/vergoeding")]
    public async Task<IActionResult> Vergoeding(long centreId, [FromForm(Name = Prefix)] ContributionPolicyForm form,
        [FromServices] IValidator<ContributionPolicyForm> validator, [FromServices] ContributionPolicyHandler handler)
    {
        // Access first: nothing about another centre, not even a validation message.
        if (await handler.LoadAsync(centreId) is not { } page) return NotFound();
        ContributionPolicyHandler.AlignRooms(form, page.Rooms);
        // The posted rows were lined up with the rooms again, so binder messages about the old rows no longer fit.
        foreach (var key in ModelState.Keys.Where(k => k.StartsWith($"{Prefix}.Rooms", StringComparison.Ordinal)).ToList())
        {
            ModelState.Remove(key);
        }

        var validation = await validator.ValidateAsync(form);
        if (ModelState.IsValid && validation.IsValid)
        {
            var result = await handler.HandleAsync(centreId, form);
            if (result is null) return NotFound();
            if (result.Value.Succeeded)
            {
                this.Flash($"De vergoeding en de tarieven van {page.Centre.Name} zijn opgeslagen.");
                return Redirect($"/beheer/buurtcentra/{centreId}/vergoeding");
            }
            ModelState.AddModelError(string.IsNullOrEmpty(result.Value.Field) ? "" : $"{Prefix}.{result.Value.Field}", result.Value.Error ?? "Er ging iets mis.");
        }
        else
        {
            validation.AddTo(ModelState, Prefix);
        }
        return View(page with { Form = form });
    }

    [HttpGet("/beheer/buurtcentra/{centreId:long}/facturatie")]
    public async Task<IActionResult> Facturatie(long centreId, string? maand, string? formaat, [FromServices] InvoiceQuery query)
    {
        if (await query.GetAsync(centreId, maand) is not { } page) return NotFound();
        if (string.Equals(formaat, "csv", StringComparison.OrdinalIgnoreCase))
        {
            if (page.MonthError is not null) return View(page);
            return File(InvoiceCsv.Write(page), "text/csv; charset=utf-8", InvoiceCsv.FileName(page));
        }
        return View(page);
    }
}
