using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Mail;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace Buurtcentra.Web.Features.Accounts;

public sealed class RequestLoginLinkForm
{
    public string? Email { get; set; }
}

public sealed class RequestLoginLinkValidator : AbstractValidator<RequestLoginLinkForm>
{
    public RequestLoginLinkValidator()
    {
        RuleFor(f => f.Email).NotEmpty().WithMessage("Vul uw e-mailadres in.")
            .EmailAddress().WithMessage("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.");
    }
}

/// <summary>
/// Gebruikers sign in without a password: they get a link by mail that works once, for 30 minutes. Staff can use it
/// too, for instance while their password sign-in makes them wait (LoginThrottle): whoever reads the mailbox can sign in.
/// Only the token's SHA-256 is stored. The answer is the same whether or not the address is known.
/// </summary>
public sealed class RequestLoginLinkHandler(NpgsqlDataSource dataSource, TimeProvider time, Outbox outbox)
{
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(30);

    public async Task HandleAsync(RequestLoginLinkForm form, string baseUrl)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        var user = await connection.QuerySingleOrDefaultAsync<(long Id, string Email, string DisplayName)?>(
            "select id, email, display_name from users where lower(email) = lower(@email) and active",
            new { email = form.Email!.Trim() });
        if (user is null) return;

        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var link = $"{baseUrl.TrimEnd('/')}/inloggen/link/{token}";
        var name = user.Value.DisplayName;
        var (text, html) = MailTemplate.Compose(name,
            [
                "U heeft een inloglink gevraagd voor Buurtcentra Utrecht. Met de knop hieronder logt u in.",
                "De link werkt één keer en is 30 minuten geldig. Heeft u deze link niet gevraagd? Dan kunt u deze mail negeren.",
            ],
            [],
            ("Inloggen bij Buurtcentra Utrecht", link));

        // The link and its mail are committed together: no mail for a link that was never stored, and the other way round.
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("""
            insert into login_links (token_hash, user_id, created_at, expires_at) values (@hash, @userId, @now, @expires)
            """, new { hash = LoginLinkToken.Hash(token), userId = user.Value.Id, now, expires = now + Validity }, transaction);
        await outbox.EnqueueAsync(connection, transaction,
            new OutboxMail("inloglink", user.Value.Email, name, "Uw inloglink voor Buurtcentra Utrecht", text, html));
        await transaction.CommitAsync();
    }
}

public sealed class UseLoginLinkHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <returns>The signed-in principal, or null when the link is unknown, used or expired.</returns>
    public async Task<ClaimsPrincipal?> HandleAsync(string token)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        // Marking the link used and reading the user is one statement: a link can never be used twice.
        var user = await connection.QuerySingleOrDefaultAsync<(long Id, string DisplayName, string Email, string Role, long? OrganisationId, Guid SecurityStamp)?>("""
            with used as (
                update login_links set used_at = @now
                where token_hash = @hash and used_at is null and expires_at > @now
                returning user_id
            )
            update users u set last_login_at = @now
            from used where u.id = used.user_id and u.active
            returning u.id, u.display_name, u.email, u.role, u.organisation_id, u.security_stamp
            """, new { hash = LoginLinkToken.Hash(token), now });
        return user is null
            ? null
            : AuthSetup.CreatePrincipal(user.Value.Id, user.Value.DisplayName, user.Value.Email, user.Value.Role, user.Value.OrganisationId, user.Value.SecurityStamp);
    }
}

public static class LoginLinkToken
{
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
