using System.Security.Claims;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Organisations;

/// <param name="ReadOnly">The group uses only centres of other beheerders: shown, not editable (see <see cref="OrganisationChanges"/>).</param>
public sealed record EditOrganisationPage(long Id, OrganisationForm Form, bool ReadOnly = false)
{
    public IReadOnlyList<OrganisationChange> History { get; init; } = [];
}

/// <summary>Loads an organisation for its edit page; null when it does not exist or is of a kind the person may not manage.</summary>
public sealed class OrganisationForEditQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public const string OtherCentres =
        "Deze groep gebruikt alleen andere buurtcentra dan de uwe. Alleen de beheerders van die buurtcentra of functioneel beheer kunnen de gegevens wijzigen.";

    public async Task<EditOrganisationPage?> RunAsync(long id, ClaimsPrincipal user)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var form = await connection.QuerySingleOrDefaultAsync<OrganisationForm>(Load, new { id });
        if (form is null || !OrganisationKinds.MayManage(user, form.Kind)) return null;
        return new EditOrganisationPage(id, form, !await OrganisationChanges.MayEditAsync(connection, null, id, user, access))
        {
            History = await OrganisationChanges.HistoryAsync(connection, id),
        };
    }

    internal const string Load = """
        select name, kind, category, contact_email, phone, website, description, active
        from organisations where id = @id
        """;
}

public sealed class EditOrganisationHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    /// <returns>null when the organisation does not exist or the person may not edit it (answer 404).</returns>
    public async Task<CommandResult?> HandleAsync(long id, OrganisationForm form, ClaimsPrincipal user)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var current = await connection.QuerySingleOrDefaultAsync<OrganisationForm>(
            OrganisationForEditQuery.Load + " for update", new { id }, transaction);
        if (current is null || !OrganisationKinds.MayManage(user, current.Kind)) return null;
        var currentKind = current.Kind;
        if (!await OrganisationChanges.MayEditAsync(connection, transaction, id, user, access))
        {
            return CommandResult.Fail("", OrganisationForEditQuery.OtherCentres);
        }
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

        var stored = OrganisationMessages.AsStored(form);
        var changes = OrganisationChanges.Diff(current, stored);
        if (changes.Count == 0) return CommandResult.Ok();
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
            await OrganisationChanges.RecordAsync(connection, transaction, id, user, now, changes);
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (e.IsUniqueViolation("organisations_name_key"))
        {
            return CommandResult.Fail(nameof(form.Name), OrganisationMessages.DuplicateName);
        }
    }
}
