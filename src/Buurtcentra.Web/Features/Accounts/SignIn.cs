using System.Security.Claims;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Mail;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
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

/// <summary>
/// Password sign-in for staff, throttled per typed e-mail address and client address (<see cref="LoginThrottle"/>),
/// never locked: a wrong password typed by someone else does not keep the owner out. When an account sees repeated
/// failures its owner gets a mail (at most once an hour) that points to the login link, which always works.
/// </summary>
public sealed class SignInHandler(NpgsqlDataSource dataSource, TimeProvider time, Outbox outbox)
{
    public static readonly TimeSpan WarningMailInterval = TimeSpan.FromHours(1);
    private const string WrongCredentials = "Het e-mailadres of het wachtwoord klopt niet.";
    private const string OrUseALink = "Of vraag hieronder een inloglink aan: daarmee logt u meteen in.";

    private sealed record Account(long Id, string Email, string DisplayName, string Role, long? OrganisationId,
        string? PasswordHash, bool Active, Guid SecurityStamp);

    /// <param name="clientAddress">Who the attempt counts against (<see cref="ClientAddress"/>).</param>
    /// <param name="baseUrl">The start of the link in the warning mail (App:PublicBaseUrl).</param>
    public async Task<SignInResult> HandleAsync(SignInForm form, string clientAddress, string baseUrl)
    {
        var now = time.GetUtcNow();
        var email = form.Email!.Trim();
        var emailHash = LoginThrottle.Hash(email);
        await using var connection = await dataSource.OpenConnectionAsync();

        var attempt = await LoginThrottle.BeginAsync(connection, emailHash, clientAddress, now);
        if (attempt.Refused)
        {
            return new SignInResult.Failed(
                $"U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht {LoginThrottle.WaitText(attempt.WaitUntil!.Value - now)} en probeer het dan opnieuw. {OrUseALink}");
        }

        var account = await connection.QuerySingleOrDefaultAsync<Account>("""
            select id, email, display_name, role, organisation_id, password_hash, active, security_stamp
            from users where lower(email) = lower(@email)
            """, new { email });
        var canUsePassword = account is { PasswordHash: not null, Active: true };
        if (canUsePassword && Passwords.Verify(account!.PasswordHash!, form.Password!))
        {
            await LoginThrottle.SucceededAsync(connection, emailHash, clientAddress);
            await connection.ExecuteAsync("update users set last_login_at = @now where id = @id", new { id = account.Id, now });
            return new SignInResult.Success(AuthSetup.CreatePrincipal(
                account.Id, account.DisplayName, account.Email, account.Role, account.OrganisationId, account.SecurityStamp));
        }
        // The same work whether or not the account exists, so the time taken does not tell.
        if (!canUsePassword) Passwords.Verify(Passwords.Dummy, form.Password!);

        if (canUsePassword && await LoginThrottle.RecentFailuresAsync(connection, emailHash, now) >= LoginThrottle.FreeFailures)
        {
            await WarnOwnerAsync(connection, account!, clientAddress, baseUrl, now);
        }
        if (account is { Role: Roles.Gebruiker, Active: true })
        {
            return new SignInResult.Failed("U logt in met een inloglink. Vraag hieronder een link aan.");
        }
        if (attempt.WaitUntil is { } waitUntil)
        {
            return new SignInResult.Failed(
                $"{WrongCredentials} U heeft het te vaak geprobeerd. Wacht {LoginThrottle.WaitText(waitUntil - now)} en probeer het dan opnieuw. {OrUseALink}");
        }
        return new SignInResult.Failed(attempt.Failures == LoginThrottle.FreeFailures - 1
            ? $"{WrongCredentials} Gaat het nog een keer mis, dan moet u even wachten voordat u het opnieuw kunt proberen."
            : WrongCredentials);
    }

    /// <summary>Tells the owner, once an hour at most (also with several instances: the update claims it), and points to the login link.</summary>
    private async Task WarnOwnerAsync(NpgsqlConnection connection, Account account, string clientAddress, string baseUrl, DateTimeOffset now)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var claimed = await connection.ExecuteAsync("""
            update users set failed_login_mail_at = @now
            where id = @id and (failed_login_mail_at is null or failed_login_mail_at <= @before)
            """, new { id = account.Id, now, before = now - WarningMailInterval }, transaction);
        if (claimed == 0) return;
        var (text, html) = MailTemplate.Compose(account.DisplayName,
            [
                "Iemand heeft een paar keer geprobeerd in te loggen op uw account bij Buurtcentra Utrecht, met een verkeerd wachtwoord.",
                "Was u dat zelf? Dan hoeft u niets te doen. Wacht even en probeer het opnieuw, of log in met een inloglink.",
                "Was u het niet? Uw account is niet geblokkeerd. Wie het probeert, moet na een paar pogingen steeds langer wachten. "
                + "U kunt zelf altijd inloggen met een inloglink. Vertrouwt u het niet? Vraag functioneel beheer dan om een nieuw wachtwoord.",
            ],
            [
                ("Account", account.Email),
                ("Laatste poging", AmsterdamTime.ToLocal(now).ToString("d MMMM yyyy 'om' HH:mm", Dutch)),
                ("Vanaf internetadres", clientAddress),
            ],
            ("Inloggen met een inloglink", $"{baseUrl.TrimEnd('/')}/inloggen#inloglink"));
        await outbox.EnqueueAsync(connection, transaction, new OutboxMail("mislukte_inlogpogingen", account.Email, account.DisplayName,
            "Mislukte inlogpogingen op uw account", text, html));
        await transaction.CommitAsync();
    }

    private static readonly System.Globalization.CultureInfo Dutch = System.Globalization.CultureInfo.GetCultureInfo("nl-NL");
}
