using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.CentreManagement;

public sealed record CentreDetails(long Id, string Name, string Slug, string Street, string Postcode, string City,
    int WijkId, string WijkName, long SmoId, string SmoName, string? Email, string? Phone, string? Description, bool Active);

public sealed record OpeningPeriod(int Weekday, TimeOnly OpensAt, TimeOnly ClosesAt);

public sealed record CentreRoomRow(long Id, string Name, string RoomTypeName, int Capacity, bool Active);

public sealed record CentreClosureRow(long Id, DateOnly StartsOn, DateOnly EndsOn, string Kind, string Reason, bool CityWide);

public sealed record CentreOverviewPage(CentreDetails Centre, IReadOnlyList<OpeningPeriod> OpeningHours,
    IReadOnlyList<CentreRoomRow> Rooms, IReadOnlyList<CentreClosureRow> Closures, bool CanManage);

/// <summary>One centre as management sees it; null when the person may not see it.</summary>
public sealed class CentreOverviewQuery(NpgsqlDataSource dataSource, CentreAccess access, TimeProvider time)
{
    public async Task<CentreOverviewPage?> GetAsync(long centreId)
    {
        if (!await access.CanViewAsync(centreId)) return null;
        await using var connection = await dataSource.OpenConnectionAsync();
        var centre = await CentreDetailsQuery.LoadAsync(connection, centreId);
        if (centre is null) return null;

        var hours = await LoadOpeningHoursAsync(connection, centreId);
        var rooms = await connection.QueryAsync<CentreRoomRow>("""
            select r.id, r.name, t.name as room_type_name, r.capacity, r.active
            from rooms r join room_types t on t.code = r.room_type
            where r.centre_id = @centreId
            order by r.name
            """, new { centreId });
        var closures = await connection.QueryAsync<CentreClosureRow>("""
            select id, starts_on, ends_on, kind, reason, centre_id is null as city_wide
            from closure_days
            where (centre_id = @centreId or centre_id is null) and ends_on >= @today
            order by starts_on, id
            """, new { centreId, today = AmsterdamTime.Today(time) });
        return new CentreOverviewPage(centre, hours, rooms.ToList(), closures.ToList(), await access.CanManageAsync(centreId));
    }

    internal static async Task<IReadOnlyList<OpeningPeriod>> LoadOpeningHoursAsync(NpgsqlConnection connection, long centreId) =>
        (await connection.QueryAsync<OpeningPeriod>(
            "select weekday::int as weekday, opens_at, closes_at from opening_hours where centre_id = @centreId order by weekday, opens_at",
            new { centreId })).ToList();
}

/// <summary>Reads one centre's details (no access check: callers check first).</summary>
public static class CentreDetailsQuery
{
    public static Task<CentreDetails?> LoadAsync(NpgsqlConnection connection, long centreId) =>
        connection.QuerySingleOrDefaultAsync<CentreDetails>("""
            select c.id, c.name, c.slug, c.street, c.postcode, c.city, c.wijk_id::int as wijk_id, w.name as wijk_name,
                   c.smo_id, o.name as smo_name, c.email, c.phone, c.description, c.active
            from centres c
            join wijken w on w.id = c.wijk_id
            join organisations o on o.id = c.smo_id
            where c.id = @centreId
            """, new { centreId });
}
