using System.Security.Claims;

namespace Buurtcentra.Web.Infrastructure.Auth;

public static class ClaimTypesExt
{
    public const string OrganisationId = "buurtcentra:organisation";
    public const string SecurityStamp = "buurtcentra:stamp";
}

public static class ClaimsPrincipalExtensions
{
    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in"),
            System.Globalization.CultureInfo.InvariantCulture);

    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "";

    public static long? OrganisationId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypesExt.OrganisationId), out var id) ? id : null;
}
