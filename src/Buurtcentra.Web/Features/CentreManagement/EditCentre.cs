using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.CentreManagement;

public sealed class EditCentreForm : CentreFieldsForm
{
    public bool Active { get; set; } = true;

    // Booking rules (centres.lead_time_days, horizon_days). Every manager may change them; left empty, the standard applies.
    public const int LeadTimeMin = 0, LeadTimeMax = 90, HorizonMin = 7, HorizonMax = 800, StandardLeadTimeDays = 3, StandardHorizonDays = 400;
    [Display(Name = "aanvraagtermijn")] public int? LeadTimeDays { get; set; }
    [Display(Name = "hoe ver vooruit")] public int? HorizonDays { get; set; }

    public static EditCentreForm From(CentreDetails c) => new()
    {
        Name = c.Name, Slug = c.Slug, Street = c.Street, Postcode = c.Postcode, City = c.City, WijkId = c.WijkId,
        SmoId = c.SmoId, Email = c.Email, Phone = c.Phone, Description = c.Description, Active = c.Active,
    };

    /// <summary>
    /// For everyone but functioneel beheer: name, slug, wijk, SMO and active are not theirs to change, so whatever
    /// was posted for them is replaced by the stored values.
    /// </summary>
    public void KeepRestrictedFields(CentreDetails current)
    {
        Name = current.Name;
        Slug = current.Slug;
        WijkId = current.WijkId;
        SmoId = current.SmoId;
        Active = current.Active;
    }
}

public sealed class EditCentreValidator : CentreFieldsValidator<EditCentreForm>
{
    public EditCentreValidator()
    {
        RuleFor(f => f.LeadTimeDays)
            .InclusiveBetween(EditCentreForm.LeadTimeMin, EditCentreForm.LeadTimeMax)
            .WithMessage($"De aanvraagtermijn moet tussen {EditCentreForm.LeadTimeMin} en {EditCentreForm.LeadTimeMax} dagen liggen.");
        RuleFor(f => f.HorizonDays).Cascade(CascadeMode.Stop)
            .InclusiveBetween(EditCentreForm.HorizonMin, EditCentreForm.HorizonMax)
            .WithMessage($"Hoe ver vooruit gereserveerd kan worden, moet tussen {EditCentreForm.HorizonMin} en {EditCentreForm.HorizonMax} dagen liggen.")
            .Must((f, horizon) => (horizon ?? EditCentreForm.StandardHorizonDays) > (f.LeadTimeDays ?? EditCentreForm.StandardLeadTimeDays))
            .WithMessage("Hoe ver vooruit gereserveerd kan worden, moet meer dagen zijn dan de aanvraagtermijn. Anders kan niemand een aanvraag doen.");
    }
}

public sealed record EditCentrePage(CentreDetails Centre, EditCentreForm Form, CentreChoices Choices, bool FullEdit);

/// <summary>
/// Saves a centre's details. Sociaal beheerders and SMO-coördinatoren change the contact details and description;
/// only functioneel beheer changes name, webadres, wijk, SMO and whether the centre is active.
/// Returns null when the person may not manage the centre.
/// </summary>
public sealed class EditCentreHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access, CentreLookupsQuery lookups)
{
    public static bool MayEditEverything(ClaimsPrincipal user) => user.IsInRole(Roles.FunctioneelBeheerder);

    public async Task<EditCentrePage?> LoadAsync(long centreId, ClaimsPrincipal user)
    {
        if (!await access.CanManageAsync(centreId)) return null;
        await using var connection = await dataSource.OpenConnectionAsync();
        var centre = await CentreDetailsQuery.LoadAsync(connection, centreId);
        if (centre is null) return null;
        var form = EditCentreForm.From(centre);
        (form.LeadTimeDays, form.HorizonDays) = await connection.QuerySingleAsync<(int, int)>(
            "select lead_time_days, horizon_days from centres where id = @centreId", new { centreId });
        return new EditCentrePage(centre, form, await lookups.GetAsync(centre.SmoId), MayEditEverything(user));
    }

    public async Task<CommandResult?> HandleAsync(long centreId, EditCentreForm form, ClaimsPrincipal user)
    {
        if (!await access.CanManageAsync(centreId)) return null;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var currentSmoId = await connection.QuerySingleOrDefaultAsync<long?>(
            "select smo_id from centres where id = @centreId for update", new { centreId }, transaction);
        if (currentSmoId is null) return null;

        var common = new
        {
            centreId,
            street = form.Street!.Trim(),
            postcode = CentreText.NormalisePostcode(form.Postcode),
            city = form.City!.Trim(),
            email = CentreText.OrNull(form.Email),
            phone = CentreText.OrNull(form.Phone),
            description = CentreText.OrNull(form.Description),
            leadTimeDays = form.LeadTimeDays ?? EditCentreForm.StandardLeadTimeDays,
            horizonDays = form.HorizonDays ?? EditCentreForm.StandardHorizonDays,
            now,
        };

        if (!MayEditEverything(user))
        {
            // Only the columns a sociaal beheerder or SMO-coördinator may change; the rest is never touched.
            await connection.ExecuteAsync("""
                update centres set street = @street, postcode = @postcode, city = @city, email = @email, phone = @phone,
                       description = @description, lead_time_days = @leadTimeDays, horizon_days = @horizonDays, updated_at = @now
                where id = @centreId
                """, common, transaction);
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }

        if (await CentreLookupsQuery.CheckReferencesAsync(connection, form.WijkId!.Value, form.SmoId!.Value, currentSmoId, transaction)
            is { } problem)
        {
            return CommandResult.Fail(problem.Field, problem.Error);
        }
        var slug = CentreText.OrNull(form.Slug) ?? CentreText.Slugify(form.Name);
        try
        {
            await connection.ExecuteAsync("""
                update centres set name = @name, slug = @slug, wijk_id = @wijkId, smo_id = @smoId, active = @active,
                       street = @street, postcode = @postcode, city = @city, email = @email, phone = @phone,
                       description = @description, lead_time_days = @leadTimeDays, horizon_days = @horizonDays, updated_at = @now
                where id = @centreId
                """, new
            {
                common.centreId, common.street, common.postcode, common.city, common.email, common.phone, common.description, common.now,
                common.leadTimeDays, common.horizonDays,
                name = form.Name!.Trim(), slug, wijkId = form.WijkId, smoId = form.SmoId, active = form.Active,
            }, transaction);
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (e.IsUniqueViolation())
        {
            return CreateCentreHandler.UniqueError(e, slug, string.IsNullOrWhiteSpace(form.Slug));
        }
    }
}
