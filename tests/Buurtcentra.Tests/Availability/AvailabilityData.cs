using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Tests.Availability;

/// <summary>Occupancy and room rules for the room-finder tests, straight into the database.</summary>
public sealed class AvailabilityData(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// One reservation with one occurrence of <paramref name="roomId"/> on a local date and time; the room is blocked
    /// from <paramref name="setup"/> minutes before to <paramref name="cleanup"/> minutes after.
    /// </summary>
    public async Task<long> BookAsync(long roomId, DateOnly date, TimeOnly from, TimeOnly to, int setup = 0, int cleanup = 0,
        string status = "bevestigd", string contactName = "Jan Boeker", string activity = "Klaverjassen")
    {
        var startsAt = AmsterdamTime.ToUtc(date, from)!.Value;
        var endsAt = AmsterdamTime.ToUtc(to <= from ? date.AddDays(1) : date, to)!.Value;
        await using var connection = await dataSource.OpenConnectionAsync();
        var reservationStatus = status == "bevestigd" ? "bevestigd" : "aangevraagd";
        var reservationId = await connection.ExecuteScalarAsync<long>("""
            insert into reservations (centre_id, room_id, contact_name, contact_email, activity, category, participants, tariff,
                                      status, created_at, updated_at)
            select r.centre_id, r.id, @contactName, 'boeker@test.example', @activity, 'bewonersinitiatief', 10, 'om_niet',
                   @reservationStatus, now(), now()
            from rooms r where r.id = @roomId
            returning id
            """, new { roomId, contactName, activity, reservationStatus });
        await connection.ExecuteAsync("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@reservationId, @roomId, @date, @startsAt, @endsAt, @blockedFrom, @blockedUntil, @status, now())
            """,
            new
            {
                reservationId, roomId, date,
                startsAt = startsAt.UtcDateTime, endsAt = endsAt.UtcDateTime,
                blockedFrom = startsAt.AddMinutes(-setup).UtcDateTime, blockedUntil = endsAt.AddMinutes(cleanup).UtcDateTime,
                status,
            });
        return reservationId;
    }

    public async Task RoomRulesAsync(long roomId, int minMinutes = 30, int maxMinutes = 480, int setupMinutes = 0, int cleanupMinutes = 0)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            update rooms set min_minutes = @minMinutes, max_minutes = @maxMinutes, setup_minutes = @setupMinutes, cleanup_minutes = @cleanupMinutes
            where id = @roomId
            """, new { roomId, minMinutes, maxMinutes, setupMinutes, cleanupMinutes });
    }

    /// <summary>The centre's booking window: requests at least <paramref name="leadTimeDays"/> ahead, at most <paramref name="horizonDays"/>.</summary>
    public async Task BookingWindowAsync(long centreId, int leadTimeDays, int horizonDays = 400)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("update centres set lead_time_days = @leadTimeDays, horizon_days = @horizonDays where id = @centreId",
            new { centreId, leadTimeDays, horizonDays });
    }

    public async Task CoordinatesAsync(long centreId, double latitude, double longitude)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("update centres set latitude = @latitude, longitude = @longitude where id = @centreId",
            new { centreId, latitude, longitude });
    }

    /// <summary>A closure day or period; <paramref name="centreId"/> null closes all centres.</summary>
    public async Task ClosureAsync(long? centreId, DateOnly from, DateOnly to, string reason = "Gesloten")
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
            values (@centreId, @from, @to, 'overig', @reason, now())
            """, new { centreId, from, to, reason });
    }

    public async Task DeactivateRoomAsync(long roomId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("update rooms set active = false where id = @roomId", new { roomId });
    }

    public async Task DeactivateCentreAsync(long centreId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("update centres set active = false where id = @centreId", new { centreId });
    }

    public async Task<string> SlugAsync(long centreId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("select slug from centres where id = @centreId", new { centreId }) ?? "";
    }
}
