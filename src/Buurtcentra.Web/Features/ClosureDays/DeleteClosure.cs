using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.ClosureDays;

/// <summary>
/// Deletes a closure when the person manages its centre; a city-wide closure only by functioneel beheer.
/// Returns false (the controller answers 404) when the closure does not exist or is not theirs.
/// </summary>
public sealed class DeleteClosureHandler(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<bool> HandleAsync(long closureId, bool isFunctioneelBeheerder)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var closure = await connection.QuerySingleOrDefaultAsync<(long Id, long? CentreId)?>(
            "select id, centre_id from closure_days where id = @closureId", new { closureId });
        if (closure is null) return false;
        var allowed = closure.Value.CentreId is { } centreId ? await access.CanManageAsync(centreId) : isFunctioneelBeheerder;
        if (!allowed) return false;
        // The centre is part of the condition, so the row deleted is exactly the one that was checked.
        var deleted = await connection.ExecuteAsync(
            "delete from closure_days where id = @closureId and centre_id is not distinct from @centreId",
            new { closureId, centreId = closure.Value.CentreId });
        return deleted == 1;
    }
}
