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
        try
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                insert into organisations (name, kind, category, contact_email, phone, website, description, active, created_at, updated_at)
                values (@name, @kind, @category, @contactEmail, @phone, @website, @description, @active, @now, @now)
                returning id
                """, OrganisationMessages.Parameters(form, now));
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

    internal static object Parameters(OrganisationForm form, DateTimeOffset now) => new
    {
        name = form.Name!.Trim(),
        kind = form.Kind,
        category = form.Kind == OrganisationKinds.Gebruikersgroep ? form.Category : null,
        contactEmail = OrganisationForm.Clean(form.ContactEmail),
        phone = OrganisationForm.Clean(form.Phone),
        website = OrganisationForm.NormaliseWebsite(form.Website),
        description = OrganisationForm.Clean(form.Description),
        active = form.Active,
        now,
    };
}
