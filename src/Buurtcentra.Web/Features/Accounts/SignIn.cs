using System.Security.Claims;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Accounts;

public sealed class SignInForm
{
    public string? Email { get; set; }
    public string? Password { get; set; }
    public string? ReturnUrl { get; set; }
}

public sealed class SignInValidator : AbstractValidator<SignInForm>
{
    public SignInValidator()
    {
        RuleFor(f => f.Email).NotEmpty().WithMessage("Vul uw e-mailadres in.");
        RuleFor(f => f.Password).NotEmpty().WithMessage("Vul uw wachtwoord in.");
    }
}

public abstract record SignInResult
{
    public sealed record Success(ClaimsPrincipal Principal) : SignInResult;
    public sealed record Failed(string Message) : SignInResult;
}

/// <summary>Password sign-in for staff, with a lockout after repeated failures.</summary>
public sealed class SignInHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    private const string WrongCredentials = "Het e-mailadres of het wachtwoord klopt niet.";

    private sealed record Account(long Id, string Email, string DisplayName, string Role, long? OrganisationId,
        string? PasswordHash, int FailedLogins, DateTime? LockedUntil, bool Active, Guid SecurityStamp);

    public async Task<SignInResult> HandleAsync(SignInForm form)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        var account = await connection.QuerySingleOrDefaultAsync<Account>("""
            select id, email, display_name, role, organisation_id, password_hash, failed_logins, locked_until, active, security_stamp
            from users where lower(email) = lower(@email)
            """, new { email = form.Email!.Trim() });

        if (account is null || account.PasswordHash is null || !account.Active)
        {
            Passwords.Verify(Passwords.Dummy, form.Password!);
            return account?.Role == Roles.Gebruiker
                ? new SignInResult.Failed("U logt in met een inloglink. Vraag hieronder een link aan.")
                : new SignInResult.Failed(WrongCredentials);
        }

        if (account.LockedUntil is { } lockedUntil && lockedUntil > now.UtcDateTime)
        {
            return new SignInResult.Failed(
                $"Te veel mislukte pogingen. Uw account is geblokkeerd tot {Infrastructure.Time.AmsterdamTime.ToLocal(new DateTimeOffset(lockedUntil, TimeSpan.Zero)):HH:mm} uur. Probeer het daarna opnieuw.");
        }

        if (!Passwords.Verify(account.PasswordHash, form.Password!))
        {
            // Count atomically in the database so parallel attempts cannot slip past the limit.
            var failed = await connection.ExecuteScalarAsync<int>("""
                update users
                set failed_logins = case when locked_until is not null and locked_until <= @now then 1 else failed_logins + 1 end,
                    locked_until = case
                        when (case when locked_until is not null and locked_until <= @now then 1 else failed_logins + 1 end) >= @max
                        then @lockUntil else null end
                where id = @id
                returning failed_logins
                """, new { id = account.Id, now, max = MaxFailedAttempts, lockUntil = now + LockoutDuration });
            return failed >= MaxFailedAttempts
                ? new SignInResult.Failed($"Te veel mislukte pogingen. Uw account is {LockoutDuration.TotalMinutes:0} minuten geblokkeerd.")
                : new SignInResult.Failed(WrongCredentials);
        }

        await connection.ExecuteAsync(
            "update users set failed_logins = 0, locked_until = null, last_login_at = @now where id = @id",
            new { id = account.Id, now });
        return new SignInResult.Success(AuthSetup.CreatePrincipal(
            account.Id, account.DisplayName, account.Email, account.Role, account.OrganisationId, account.SecurityStamp));
    }
}
