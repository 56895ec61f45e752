using System.Security.Claims;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Auth;

/// <summary>
/// Authentication names. The default scheme is a policy scheme: a request with "Authorization: Bearer ..." is
/// authenticated by its personal API token, every other request by the login cookie.
/// See docs/decisions/0004-api-authentication.md.
/// </summary>
public static class AuthSchemes
{
    public const string CookieOrBearer = "CookieOrBearer";
    public const string Bearer = "Bearer";
    public const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>True when the request carries an Authorization header with the Bearer scheme (any case).</summary>
    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// CSRF guard for the JSON API: a cookie-authenticated POST to /api/* must send JSON. A form or a "simple"
    /// cross-site request (form-urlencoded, multipart, text/plain) cannot, so the cookie is not used for it.
    /// PUT, PATCH and DELETE are never simple requests: a browser asks CORS first, and the app allows no CORS.
    /// </summary>
    public static bool IsCookieApiPostWithoutJson(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/api") || !HttpMethods.IsPost(request.Method)) return false;
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim() ?? "";
        var isJson = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        return !isJson;
    }
}

public static class ClaimTypesApi
{
    /// <summary>The id of the API token a request was authenticated with (absent for cookie logins).</summary>
    public const string ApiTokenId = "buurtcentra:api-token";
}

/// <summary>
/// Authenticates "Authorization: Bearer bc_..." against api_tokens (SHA-256 lookup). The principal gets the same
/// claims as a cookie login, built from the users row on every request, so a deactivated account or a revoked
/// token is refused at once (401) and a changed role takes effect at once.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    NpgsqlDataSource dataSource, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>last_used_at is written at most once per this interval per token.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const string PresentedItem = "buurtcentra:bearer-presented";

    private sealed record TokenUser(long TokenId, DateTime? LastUsedAt, long UserId, string DisplayName, string Email, string Role,
        long? OrganisationId, Guid SecurityStamp);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        Context.Items[PresentedItem] = true;
        var token = header["Bearer ".Length..].Trim();
        if (!ApiTokenSecret.LooksLikeToken(token)) return AuthenticateResult.Fail("Malformed API token");

        await using var connection = await dataSource.OpenConnectionAsync(Context.RequestAborted);
        var found = await connection.QuerySingleOrDefaultAsync<TokenUser>("""
            select t.id as token_id, t.last_used_at, u.id as user_id, u.display_name, u.email, u.role, u.organisation_id, u.security_stamp
            from api_tokens t
            join users u on u.id = t.user_id
            where t.token_hash = @hash and t.revoked_at is null and u.active
            """, new { hash = ApiTokenSecret.Hash(token) });
        if (found is null) return AuthenticateResult.Fail("Unknown or revoked API token, or inactive account");

        var now = clock.GetUtcNow();
        if (found.LastUsedAt is not { } lastUsed || lastUsed < (now - LastUsedResolution).UtcDateTime)
        {
            // The condition repeats the check, so parallel requests write once.
            await connection.ExecuteAsync("""
                update api_tokens set last_used_at = @now
                where id = @id and (last_used_at is null or last_used_at < @threshold)
                """, new { id = found.TokenId, now, threshold = now - LastUsedResolution });
        }

        var principal = AuthSetup.CreatePrincipal(found.UserId, found.DisplayName, found.Email, found.Role, found.OrganisationId,
            found.SecurityStamp, Scheme.Name);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ClaimTypesApi.ApiTokenId,
            found.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = Context.Items.ContainsKey(PresentedItem) ? "Bearer error=\"invalid_token\"" : "Bearer";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Niet ingelogd",
            "De API-sleutel is onbekend of ingetrokken, of het account is niet meer actief. Maak een nieuwe sleutel aan via API-sleutels.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Geen toegang", "U heeft geen toegang tot deze gegevens.");
}

/// <summary>401 and 403 answers of the JSON API as ProblemDetails (application/problem+json).</summary>
public static class ApiProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetService<IProblemDetailsService>();
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (problems is null || !await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }
}
