using System.ComponentModel;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Buurtcentra.Web.Features.ApiTokens;

/// <summary>
/// GET /api/v1/me: who the API sees, for cookie and API-token logins alike. The first call to make with a new token.
/// An API controller (not a minimal-API group) so that it needs no line in Program.cs; it is in the OpenAPI document.
/// </summary>
[ApiController]
[Authorize]
[Tags("Account")]
public sealed class MeApiController : ControllerBase
{
    [HttpGet("/api/v1/me")]
    [ApiExplorerSettings(IgnoreApi = false)]
    [EndpointName("GetMe")]
    [EndpointSummary("Wie ben ik?")]
    [EndpointDescription("Naam, rol en organisatie van de ingelogde gebruiker, en de buurtcentra die deze persoon mag beheren. "
        + "Werkt met een API-sleutel (Authorization: Bearer bc_...) of met de inlogcookie.")]
    [ProducesResponseType<MeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public async Task<ActionResult<MeResponse>> Get([FromServices] MeQuery query) =>
        await query.GetAsync(User.UserId()) is { } me ? me : Unauthorized();
}

/// <summary>Response of GET /api/v1/me.</summary>
/// <param name="SeesAllCentres">Functioneel beheer and Stadsbedrijven see every centre in the management screens.</param>
/// <param name="Centres">The centres this person may manage (empty for Stadsbedrijven and gebruikers).</param>
public sealed record MeResponse(
    long Id, string Name, string Email, MeRoleDto Role, MeOrganisationDto? Organisation, bool SeesAllCentres,
    IReadOnlyList<MeCentreDto> Centres);

public sealed record MeRoleDto([property: Description("functioneel_beheerder, sociaal_beheerder, smo_coordinator, stadsbedrijven of gebruiker")] string Code, string Name);

public sealed record MeOrganisationDto(long Id, string Name);

public sealed record MeCentreDto(long Id, string Slug, string Name);

public sealed class MeQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    private sealed record UserRow(long Id, string DisplayName, string Email, string Role, long? OrganisationId, string? OrganisationName);

    public async Task<MeResponse?> GetAsync(long userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var user = await connection.QuerySingleOrDefaultAsync<UserRow>("""
            select u.id, u.display_name, u.email, u.role, u.organisation_id, o.name as organisation_name
            from users u left join organisations o on o.id = u.organisation_id
            where u.id = @userId and u.active
            """, new { userId });
        if (user is null) return null;
        var ids = (await access.ManageableCentreIdsAsync()).ToArray();
        var centres = await connection.QueryAsync<MeCentreDto>(
            "select id, slug, name from centres where id = any(@ids) order by name", new { ids });
        return new MeResponse(user.Id, user.DisplayName, user.Email, new MeRoleDto(user.Role, Roles.DisplayName(user.Role)),
            user.OrganisationId is { } orgId ? new MeOrganisationDto(orgId, user.OrganisationName ?? "") : null,
            access.SeesAllCentres, centres.ToList());
    }
}
