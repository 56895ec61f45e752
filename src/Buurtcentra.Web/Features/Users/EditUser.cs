using System.Security.Claims;
using Buurtcentra.Web.Features.Accounts;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Users;

public sealed class EditUserForm : UserForm;

/// <summary>On edit the password is optional: empty keeps the current one.</summary>
public sealed class EditUserValidator : UserFormValidator<EditUserForm>;

public sealed record EditUserPage(long Id, EditUserForm Form, bool HasPassword, UserFormOptions Options);

public sealed class EditUserQuery(NpgsqlDataSource dataSource)
{
    public async Task<(EditUserForm Form, bool HasPassword)?> RunAsync(long id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(string DisplayName, string Email, string Role, long? OrganisationId, bool Active, bool HasPassword)?>("""
            select display_name, email, role, organisation_id, active, password_hash is not null
            from users where id = @id
            """, new { id });
        if (row is not { } user) return null;
        var centres = await connection.QueryAsync<long>("select centre_id from user_centres where user_id = @id", new { id });
        return (new EditUserForm
        {
            DisplayName = user.DisplayName,
            Email = user.Email,
            Role = user.Role,
            OrganisationId = user.OrganisationId,
            Active = user.Active,
            Centres = centres.ToList(),
        }, user.HasPassword);
    }

    /// <summary>The fresh sign-in of a person who just edited their own account (their security stamp may have changed).</summary>
    public async Task<ClaimsPrincipal?> PrincipalAsync(long id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var user = await connection.QuerySingleOrDefaultAsync<(long Id, string DisplayName, string Email, string Role, long? OrganisationId, Guid SecurityStamp)?>(
            "select id, display_name, email, role, organisation_id, security_stamp from users where id = @id and active", new { id });
        return user is { } u ? AuthSetup.CreatePrincipal(u.Id, u.DisplayName, u.Email, u.Role, u.OrganisationId, u.SecurityStamp) : null;
    }
}

public sealed class EditUserHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    private sealed record Current(string Role, bool Active, long? OrganisationId, bool HasPassword);

    /// <returns>null when the account does not exist (answer 404).</returns>
    public async Task<CommandResult?> HandleAsync(long id, EditUserForm form, long signedInUserId)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var current = await connection.QuerySingleOrDefaultAsync<Current>(
            "select role, active, organisation_id, password_hash is not null as has_password from users where id = @id for update",
            new { id }, transaction);
        if (current is null) return null;

        // A functioneel beheerder cannot lock themselves out, so the system never loses its last administrator by accident.
        if (id == signedInUserId && form.Role != Roles.FunctioneelBeheerder)
            return CommandResult.Fail(nameof(form.Role), "U kunt uw eigen rol niet veranderen. Vraag dit aan een andere functioneel beheerder.");
        if (id == signedInUserId && !form.Active)
            return CommandResult.Fail(nameof(form.Active), "U kunt uw eigen account niet uitzetten. Vraag dit aan een andere functioneel beheerder.");

        var newPassword = form.IsStaff && !string.IsNullOrEmpty(form.Password);
        if (form.IsStaff && !current.HasPassword && !newPassword)
            return CommandResult.Fail(nameof(form.Password), "Deze persoon heeft nog geen wachtwoord. Vul een wachtwoord in.");

        if (await UserChecks.CheckAsync(connection, transaction, form) is { } problem)
            return CommandResult.Fail(problem.Field, problem.Message);

        var oldCentres = (await connection.QueryAsync<long>(
            "select centre_id from user_centres where user_id = @id", new { id }, transaction)).ToHashSet();
        var newCentres = form.EffectiveCentres;
        // Sessions end when what the person may do changes. The organisation is in the sign-in cookie too
        // (an SMO-coördinator's centres follow from it), so a change there also ends the session.
        var accessChanged = form.Role != current.Role
                            || form.Active != current.Active
                            || form.OrganisationId != current.OrganisationId
                            || newPassword
                            || !oldCentres.SetEquals(newCentres);
        try
        {
            await connection.ExecuteAsync("""
                update users
                set display_name = @displayName, email = @email, role = @role, organisation_id = @organisationId, active = @active,
                    password_hash = case when @clearPassword then null when @passwordHash::text is not null then @passwordHash else password_hash end,
                    security_stamp = case when @accessChanged then gen_random_uuid() else security_stamp end,
                    updated_at = @now
                where id = @id
                """, new
            {
                id,
                displayName = form.DisplayName!.Trim(),
                email = form.Email!.Trim(),
                role = form.Role,
                organisationId = form.OrganisationId,
                active = form.Active,
                clearPassword = form.Role == Roles.Gebruiker,
                passwordHash = newPassword ? Passwords.Hash(form.Password!) : null,
                accessChanged,
                now,
            }, transaction);
            await connection.ExecuteAsync("delete from user_centres where user_id = @id", new { id }, transaction);
            await connection.ExecuteAsync(
                "insert into user_centres (user_id, centre_id) select @id, unnest(@centres)",
                new { id, centres = newCentres }, transaction);
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (e.IsUniqueViolation("users_email_key"))
        {
            return CommandResult.Fail(nameof(form.Email), UserMessages.DuplicateEmail);
        }
    }
}
