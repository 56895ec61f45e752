using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.ClosureDays;

public sealed class AddClosureForm
{
    /// <summary>A centre id, or <see cref="AllCentres"/> for a closure of every buurtcentrum.</summary>
    public string? CentreId { get; set; }
    public string? Kind { get; set; }
    [Display(Name = "eerste dag")] public DateOnly? StartsOn { get; set; }
    [Display(Name = "laatste dag")] public DateOnly? EndsOn { get; set; }
    public string? Reason { get; set; }

    public const string AllCentres = "alle";
}

public sealed class AddClosureValidator : AbstractValidator<AddClosureForm>
{
    public const int MaxDaysBetween = 366; // CHECK (ends_on - starts_on <= 366)

    public AddClosureValidator(TimeProvider time)
    {
        RuleFor(f => f.CentreId).Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Kies voor welk buurtcentrum de sluiting geldt.");
        RuleFor(f => f.Kind).Must(ClosureKinds.IsKnown).WithMessage("Kies de soort sluiting.");
        RuleFor(f => f.StartsOn).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul de eerste dag van de sluiting in.")
            .Must(d => d >= AmsterdamTime.Today(time).AddYears(-1)).WithMessage("De eerste dag mag niet meer dan een jaar geleden zijn.");
        RuleFor(f => f.EndsOn).Cascade(CascadeMode.Stop)
            .Must((f, d) => d is null || f.StartsOn is null || d >= f.StartsOn)
            .WithMessage("De laatste dag mag niet vóór de eerste dag liggen.")
            .Must((f, d) => d is null || f.StartsOn is null || d.Value.DayNumber - f.StartsOn.Value.DayNumber <= MaxDaysBetween)
            .WithMessage("Een sluiting duurt maximaal een jaar. Kies een eerdere laatste dag.");
        RuleFor(f => f.Reason).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Vul de reden van de sluiting in.")
            .Must(v => v!.Trim().Length is >= 2 and <= 200).WithMessage("De reden moet tussen 2 en 200 tekens lang zijn.");
    }
}

public sealed record AddClosurePage(AddClosureForm Form, IReadOnlyList<SelectListItem> Centres);

/// <summary>
/// Adds a closure for one centre the person manages, or for all centres (functioneel beheer only).
/// Returns null when the chosen centre is not theirs to manage: nothing is stored.
/// </summary>
public sealed class AddClosureHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    public async Task<IReadOnlyList<SelectListItem>> CentreChoicesAsync(bool isFunctioneelBeheerder)
    {
        var ids = (await access.ManageableCentreIdsAsync()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        var centres = await connection.QueryAsync<(long Id, string Name)>(
            "select id, name from centres where id = any(@ids) order by name", new { ids });
        var items = new List<SelectListItem>();
        if (isFunctioneelBeheerder) items.Add(new SelectListItem("Alle buurtcentra", AddClosureForm.AllCentres));
        items.AddRange(centres.Select(c => new SelectListItem(c.Name, c.Id.ToString(CultureInfo.InvariantCulture))));
        return items;
    }

    public async Task<CommandResult?> HandleAsync(AddClosureForm form, bool isFunctioneelBeheerder)
    {
        long? centreId;
        if (form.CentreId == AddClosureForm.AllCentres)
        {
            if (!isFunctioneelBeheerder) return null;
            centreId = null;
        }
        else if (long.TryParse(form.CentreId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && await access.CanManageAsync(id))
        {
            centreId = id;
        }
        else
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
            values (@centreId, @startsOn, @endsOn, @kind, @reason, @now)
            """, new
        {
            centreId,
            startsOn = form.StartsOn!.Value,
            endsOn = form.EndsOn ?? form.StartsOn!.Value,
            kind = form.Kind,
            reason = form.Reason!.Trim(),
            now = time.GetUtcNow(),
        });
        return CommandResult.Ok();
    }
}
