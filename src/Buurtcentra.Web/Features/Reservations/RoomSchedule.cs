using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>A room's rules, its centre's opening hours and the closures in a date range: what <see cref="BookingRules"/> needs.</summary>
public sealed record RoomSchedule(RoomRules Room, IReadOnlyList<OpeningPeriod> OpeningHours, IReadOnlyList<Closure> Closures)
{
    /// <returns>Null when the room does not exist.</returns>
    public static async Task<RoomSchedule?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long roomId, DateOnly from, DateOnly to)
    {
        using var grid = await connection.QueryMultipleAsync("""
            select r.id as room_id, r.name as room_name, c.id as centre_id, c.name as centre_name, r.capacity,
                   r.min_minutes, r.max_minutes, r.setup_minutes, r.cleanup_minutes, c.lead_time_days, c.horizon_days,
                   r.active and c.active as active
            from rooms r join centres c on c.id = r.centre_id
            where r.id = @roomId;

            select oh.weekday::int as weekday, oh.opens_at as opens, oh.closes_at as closes
            from opening_hours oh join rooms r on r.centre_id = oh.centre_id
            where r.id = @roomId;

            select cd.starts_on, cd.ends_on, cd.reason
            from closure_days cd
            where (cd.centre_id is null or cd.centre_id = (select centre_id from rooms where id = @roomId))
              and cd.starts_on <= @to and cd.ends_on >= @from
            order by cd.starts_on;
            """, new { roomId, from, to }, transaction);
        var room = await grid.ReadSingleOrDefaultAsync<RoomRules>();
        if (room is null) return null;
        var hours = (await grid.ReadAsync<OpeningPeriod>()).ToList();
        var closures = (await grid.ReadAsync<Closure>()).ToList();
        return new RoomSchedule(room, hours, closures);
    }
}
