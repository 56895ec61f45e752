using System.Security.Claims;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Organisations;

public sealed record EditOrganisationPage(long Id, OrganisationForm Form);

/// <summary>Loads an organisation for its edit form; null when it does not exist or the person may not edit it.</summary>
public sealed class OrganisationForEditQuery(NpgsqlDataSource dataSource)
{
    public async Task<OrganisationForm?> RunAsync(long id, ClaimsPrincipal user)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var form = await connection.QuerySingleOrDefaultAsync<OrganisationForm>("""
            select name, kind, category, contact_email, phone, website, description, active
            from organisations where id = @id
            """, new { id });
        return form is not null && OrganisationKinds.MayManage(user, form.Kind) ? form : null;
    }
}

public sealed class EditOrganisationHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <returns>null when the organisation does not exist or the person may not edit it (answer 404).</returns>
    public async Task<CommandResult?> HandleAsync(long id, OrganisationForm form, ClaimsPrincipal user)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var currentKind = await connection.QuerySingleOrDefaultAsync<string>(
            "select kind from organisations where id = @id for update", new { id }, transaction);
        if (currentKind is null || !OrganisationKinds.MayManage(user, currentKind)) return null;
        if (!OrganisationKinds.MayManage(user, form.Kind))
        {
            return CommandResult.Fail(nameof(form.Kind), OrganisationMessages.OnlyUserGroups);
        }

        if (form.Kind != currentKind)
        {
            // Centres and accounts depend on the kind: an SMO runs centres, coordinators belong to an SMO,
            // gebruikers to a user group. Changing the kind must not break those links.
            var usage = await connection.QuerySingleAsync<(int Centres, int Coordinators, int Gebruikers)>("""
                select (select count(*)::int from centres where smo_id = @id),
                       (select count(*)::int from users where organisation_id = @id and role = @coordinator),
                       (select count(*)::int from users where organisation_id = @id and role = @gebruiker)
                """, new { id, coordinator = Roles.SmoCoordinator, gebruiker = Roles.Gebruiker }, transaction);
            if (currentKind == OrganisationKinds.Smo && usage.Centres > 0)
                return CommandResult.Fail(nameof(form.Kind), $"Deze SMO beheert {usage.Centres} buurtcentra. Daarom kunt u de soort niet veranderen.");
            if (currentKind == OrganisationKinds.Smo && usage.Coordinators > 0)
                return CommandResult.Fail(nameof(form.Kind), "Bij deze SMO horen SMO-coördinatoren. Daarom kunt u de soort niet veranderen.");
            if (currentKind == OrganisationKinds.Gebruikersgroep && usage.Gebruikers > 0)
                return CommandResult.Fail(nameof(form.Kind), "Bij deze gebruikersgroep horen gebruikers. Daarom kunt u de soort niet veranderen.");
        }

        var parameters = new DynamicParameters(OrganisationMessages.Parameters(form, now));
        parameters.Add("id", id);
        try
        {
            await connection.ExecuteAsync("""
                update organisations
                set name = @name, kind = @kind, category = @category, contact_email = @contactEmail, phone = @phone,
                    website = @website, description = @description, active = @active, updated_at = @now
                where id = @id
                """, parameters, transaction);
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (e.IsUniqueViolation("organisations_name_key"))
        {
            return CommandResult.Fail(nameof(form.Name), OrganisationMessages.DuplicateName);
        }
    }
}
