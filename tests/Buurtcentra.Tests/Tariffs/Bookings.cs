using Dapper;
using Npgsql;

namespace Buurtcentra.Tests.Tariffs;

/// <summary>Reservations and occurrences straight into the database, for the invoicing tests (the booking screens are another feature).</summary>
internal sealed class Bookings(NpgsqlDataSource dataSource)
{
    public async Task<long> ReservationAsync(long centreId, long roomId, string activity, string tariff, int rateCents,
        long? organisationId = null, string contactName = "Anna de Vries", string? wederdienst = null, string status = "bevestigd")
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            insert into reservations (centre_id, room_id, organisation_id, contact_name, contact_email, activity, category, participants,
                                      tariff, rate_cents, wederdienst, status, created_at, updated_at)
            values (@centreId, @roomId, @organisationId, @contactName, 'contact@test.example', @activity, 'bewonersinitiatief', 10,
                    @tariff, @rateCents, @wederdienst, @status, now(), now())
            returning id
            """, new { centreId, roomId, organisationId, contactName, activity, tariff, rateCents, wederdienst, status });
    }

    /// <summary>One occurrence from local Utrecht wall-clock times (a 15-minute buffer either side).</summary>
    public async Task OccurrenceAsync(long reservationId, long roomId, DateTime localStart, DateTime localEnd, string status = "bevestigd")
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var start = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localStart, DateTimeKind.Unspecified), zone);
        var end = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localEnd, DateTimeKind.Unspecified), zone);
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@reservationId, @roomId, @seriesDate, @start, @end, @blockedFrom, @blockedUntil, @status, now())
            """, new
        {
            reservationId, roomId, seriesDate = DateOnly.FromDateTime(localStart), start, end,
            blockedFrom = start.AddMinutes(-15), blockedUntil = end.AddMinutes(15), status,
        });
    }
}
