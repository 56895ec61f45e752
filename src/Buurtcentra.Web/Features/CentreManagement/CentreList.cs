using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.CentreManagement;

public sealed record CentreListRow(long Id, string Name, string WijkName, string SmoName, long RoomCount, bool Active);

public sealed record CentreListPage(IReadOnlyList<CentreListRow> Centres, bool CanCreate);

/// <summary>"Mijn buurtcentra": every centre the signed-in person may see in the management screens.</summary>
public sealed class CentreListQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<IReadOnlyList<CentreListRow>> GetAsync()
    {
        var all = access.SeesAllCentres;
        var ids = all ? [] : (await access.ManageableCentreIdsAsync()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<CentreListRow>("""
            select c.id, c.name, w.name as wijk_name, o.name as smo_name,
                   (select count(*) from rooms r where r.centre_id = c.id) as room_count, c.active
            from centres c
            join wijken w on w.id = c.wijk_id
            join organisations o on o.id = c.smo_id
            where @all or c.id = any(@ids)
            order by c.name
            """, new { all, ids });
        return rows.ToList();
    }
}
