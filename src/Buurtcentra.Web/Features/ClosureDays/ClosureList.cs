using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.ClosureDays;

public sealed record ClosureRow(long Id, long? CentreId, string? CentreName, DateOnly StartsOn, DateOnly EndsOn, string Kind, string Reason)
{
    public bool CanDelete { get; init; }
}

public sealed record ClosureListPage(IReadOnlyList<ClosureRow> Closures, bool Past, bool CanAdd);

/// <summary>
/// Closures the person may see: city-wide ones and those of the centres they may view. Upcoming = not yet over
/// (ends today or later, Utrecht time); past = ended before today, newest first.
/// </summary>
public sealed class ClosureListQuery(NpgsqlDataSource dataSource, CentreAccess access, TimeProvider time)
{
    public async Task<ClosureListPage> GetAsync(bool past, bool isFunctioneelBeheerder)
    {
        var all = access.SeesAllCentres;
        var manageable = await access.ManageableCentreIdsAsync();
        var visible = all ? [] : manageable.ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<ClosureRow>($"""
            select d.id, d.centre_id, c.name as centre_name, d.starts_on, d.ends_on, d.kind, d.reason
            from closure_days d
            left join centres c on c.id = d.centre_id
            where (d.centre_id is null or @all or d.centre_id = any(@visible))
              and {(past ? "d.ends_on < @today" : "d.ends_on >= @today")}
            order by {(past ? "d.starts_on desc, d.id desc" : "d.starts_on, d.id")}
            """, new { all, visible, today = AmsterdamTime.Today(time) });
        var list = rows.Select(r => r with
        {
            CanDelete = r.CentreId is { } centreId ? manageable.Contains(centreId) : isFunctioneelBeheerder,
        }).ToList();
        return new ClosureListPage(list, past, manageable.Count > 0 || isFunctioneelBeheerder);
    }
}
