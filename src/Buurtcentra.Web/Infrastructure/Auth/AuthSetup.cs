using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddBuurtcentraAuth(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Buurtcentra");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(options =>
                options.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>())));

        services.AddAuthentication(AuthSchemes.CookieOrBearer)
            .AddPolicyScheme(AuthSchemes.CookieOrBearer, "Inlogcookie of API-sleutel", options =>
                options.ForwardDefaultSelector = context => AuthSchemes.HasBearer(context.Request) ? AuthSchemes.Bearer : AuthSchemes.Cookie)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(AuthSchemes.Bearer, "API-sleutel", _ => { })
            .AddCookie(options =>
            {
                options.Cookie.Name = "buurtcentra.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Always outside Development: ProxySetup
                options.LoginPath = "/inloggen";
                options.LogoutPath = "/uitloggen";
                options.AccessDeniedPath = "/geen-toegang";
                options.ExpireTimeSpan = TimeSpan.FromHours(10);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ValidateCookieAsync;
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.FunctioneelBeheer, p => p.RequireRole(Roles.FunctioneelBeheerder))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.ManageUserGroups, p => p.RequireRole(Roles.FunctioneelBeheerder, Roles.SociaalBeheerder, Roles.SmoCoordinator));

        services.AddHttpContextAccessor();
        services.AddScoped<CentreAccess>();
        return services;
    }

    public static ClaimsPrincipal CreatePrincipal(long userId, string displayName, string email, string role, long? organisationId, Guid securityStamp,
        string authenticationType = CookieAuthenticationDefaults.AuthenticationScheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, displayName),
            new(ClaimTypes.Email, email),
            new(ClaimTypes.Role, role),
            new(ClaimTypesExt.SecurityStamp, securityStamp.ToString()),
        };
        if (organisationId is not null)
        {
            claims.Add(new Claim(ClaimTypesExt.OrganisationId, organisationId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }

    private const string CsrfRefusedItem = "buurtcentra:cookie-api-post-without-json";

    private static Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        // The cookie does not count for a cross-site-capable POST to the API; the request goes on as anonymous.
        if (AuthSchemes.IsCookieApiPostWithoutJson(context.Request))
        {
            context.HttpContext.Items[CsrfRefusedItem] = true;
            context.RejectPrincipal();
            return Task.CompletedTask;
        }
        return ValidateStillActive(context);
    }

    /// <summary>A deactivated account, or one whose role or password changed, is signed out on its next request.</summary>
    private static async Task ValidateStillActive(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is null) return;
        var dataSource = context.HttpContext.RequestServices.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        var current = await connection.QuerySingleOrDefaultAsync<(bool Active, Guid SecurityStamp)?>(
            "select active, security_stamp from users where id = @id", new { id = principal.UserId() });
        if (current is not { Active: true } || current.Value.SecurityStamp.ToString() != principal.FindFirstValue(ClaimTypesExt.SecurityStamp))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int apiStatus)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            if (apiStatus == StatusCodes.Status403Forbidden)
            {
                return ApiProblems.WriteAsync(context.HttpContext, apiStatus, "Geen toegang", "U heeft geen toegang tot deze gegevens.");
            }
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiProblems.WriteAsync(context.HttpContext, apiStatus, "Niet ingelogd",
                context.HttpContext.Items.ContainsKey(CsrfRefusedItem)
                    ? "Met een inlogcookie moet een POST naar de API JSON sturen (Content-Type: application/json). Of gebruik een API-sleutel: Authorization: Bearer <sleutel>."
                    : "Log in, of stuur een API-sleutel mee: Authorization: Bearer <sleutel>.");
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
