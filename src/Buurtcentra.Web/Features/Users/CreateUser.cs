using Buurtcentra.Web.Features.Accounts;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Users;

public sealed class CreateUserForm : UserForm;

public sealed class CreateUserValidator : UserFormValidator<CreateUserForm>
{
    public CreateUserValidator()
    {
        RuleFor(f => f.Password).NotEmpty().When(f => f.IsStaff).WithMessage(UserMessages.PasswordRequired);
    }
}

public sealed class CreateUserHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(CreateUserForm form)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await UserChecks.CheckAsync(connection, transaction, form) is { } problem)
        {
            return CommandResult.Fail(problem.Field, problem.Message);
        }
        try
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                insert into users (email, display_name, role, organisation_id, password_hash, active, created_at, updated_at)
                values (@email, @displayName, @role, @organisationId, @passwordHash, @active, @now, @now)
                returning id
                """, new
            {
                email = form.Email!.Trim(),
                displayName = form.DisplayName!.Trim(),
                role = form.Role,
                organisationId = form.OrganisationId,
                // Gebruikers never get a password: they sign in with a mailed link.
                passwordHash = form.IsStaff ? Passwords.Hash(form.Password!) : null,
                active = form.Active,
                now,
            }, transaction);
            await connection.ExecuteAsync(
                "insert into user_centres (user_id, centre_id) select @id, unnest(@centres)",
                new { id, centres = form.EffectiveCentres }, transaction);
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (e.IsUniqueViolation("users_email_key"))
        {
            return CommandResult.Fail(nameof(form.Email), UserMessages.DuplicateEmail);
        }
    }
}
