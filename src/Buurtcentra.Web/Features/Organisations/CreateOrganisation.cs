using System.Security.Claims;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Organisations;

public sealed class CreateOrganisationHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<(CommandResult Result, long? Id)> HandleAsync(OrganisationForm form, ClaimsPrincipal user)
    {
        if (!OrganisationKinds.MayManage(user, form.Kind))
        {
            return (CommandResult.Fail(nameof(form.Kind), OrganisationMessages.OnlyUserGroups), null);
        }
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                insert into organisations (name, kind, category, contact_email, phone, website, description, active, created_at, updated_at)
                values (@name, @kind, @category, @contactEmail, @phone, @website, @description, @active, @now, @now)
                returning id
                """, OrganisationMessages.Parameters(form, now), transaction);
            await OrganisationChanges.RecordAsync(connection, transaction, id, user, now, [], created: true);
            await transaction.CommitAsync();
            return (CommandResult.Ok(), id);
        }
        catch (PostgresException e) when (e.IsUniqueViolation("organisations_name_key"))
        {
            return (CommandResult.Fail(nameof(form.Name), OrganisationMessages.DuplicateName), null);
        }
    }
}

public static class OrganisationMessages
{
    public const string OnlyUserGroups =
        "U mag alleen gebruikersgroepen en initiatieven toevoegen of wijzigen. SMO's, Stadsbedrijven en de gemeente beheert functioneel beheer.";

    public const string DuplicateName = "Er is al een organisatie met deze naam. Kies een andere naam.";

    /// <summary>The form as it is stored: trimmed, blanks as null, the website with its scheme.</summary>
    internal static OrganisationForm AsStored(OrganisationForm form) => new()
    {
        Name = form.Name!.Trim(),
        Kind = form.Kind,
        Category = form.Kind == OrganisationKinds.Gebruikersgroep ? form.Category : null,
        ContactEmail = OrganisationForm.Clean(form.ContactEmail),
        Phone = OrganisationForm.Clean(form.Phone),
        Website = OrganisationForm.NormaliseWebsite(form.Website),
        Description = OrganisationForm.Clean(form.Description),
        Active = form.Active,
    };

    internal static object Parameters(OrganisationForm form, DateTimeOffset now)
    {
        var s = AsStored(form);
        return new { name = s.Name, kind = s.Kind, category = s.Category, contactEmail = s.ContactEmail, phone = s.Phone, website = s.Website,
            description = s.Description, active = s.Active, now };
    }
}
