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

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "buurtcentra.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/inloggen";
                options.LogoutPath = "/uitloggen";
                options.AccessDeniedPath = "/geen-toegang";
                options.ExpireTimeSpan = TimeSpan.FromHours(10);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ValidateStillActive;
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

    public static ClaimsPrincipal CreatePrincipal(long userId, string displayName, string email, string role, long? organisationId, Guid securityStamp)
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
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
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
            context.Response.StatusCode = apiStatus;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
