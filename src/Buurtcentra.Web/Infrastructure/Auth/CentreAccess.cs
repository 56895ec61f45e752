using System.Security.Claims;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Auth;

/// <summary>
/// Which buurtcentra a signed-in person may manage or see in the management screens.
/// Every handler that touches centre data asks this service; the answer is computed per request from the
/// database, so a changed assignment takes effect at once.
/// </summary>
public sealed class CentreAccess(NpgsqlDataSource dataSource, IHttpContextAccessor httpContextAccessor)
{
    private IReadOnlySet<long>? manageable;

    private ClaimsPrincipal User => httpContextAccessor.HttpContext?.User ?? new ClaimsPrincipal();

    /// <summary>Functioneel beheer and Stadsbedrijven see every centre.</summary>
    public bool SeesAllCentres =>
        User.IsInRole(Roles.FunctioneelBeheerder) || User.IsInRole(Roles.Stadsbedrijven);

    /// <summary>Whether the person may change the centre's master data (details, rooms, hours, closures).</summary>
    public async Task<bool> CanManageAsync(long centreId) => (await ManageableCentreIdsAsync()).Contains(centreId);

    /// <summary>Whether the person may look at the centre in the management screens (Stadsbedrijven: read-only).</summary>
    public async Task<bool> CanViewAsync(long centreId) =>
        User.IsInRole(Roles.Stadsbedrijven) || await CanManageAsync(centreId);

    public async Task<IReadOnlySet<long>> ManageableCentreIdsAsync()
    {
        if (manageable is not null) return manageable;
        var user = User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return manageable = new HashSet<long>();
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        IEnumerable<long> ids = user.Role() switch
        {
            Roles.FunctioneelBeheerder => await connection.QueryAsync<long>("select id from centres"),
            Roles.SociaalBeheerder => await connection.QueryAsync<long>(
                "select centre_id from user_centres where user_id = @userId", new { userId = user.UserId() }),
            Roles.SmoCoordinator => await connection.QueryAsync<long>(
                "select id from centres where smo_id = @organisationId", new { organisationId = user.OrganisationId() }),
            _ => [],
        };
        return manageable = ids.ToHashSet();
    }
}
