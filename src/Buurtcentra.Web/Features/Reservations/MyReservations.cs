using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

public sealed record MyReservationRow(long Id, string Activity, string Status, string CentreName, string RoomName, DateTime? NextStart, int ActiveDates)
{
    public DateTime? LocalNextStart => NextStart is null ? null : AmsterdamTime.ToLocal(new DateTimeOffset(NextStart.Value, TimeSpan.Zero));
}

/// <summary>"Mijn reserveringen": what a gebruiker requested, and what was requested for their organisation.</summary>
public sealed class MyReservationsQuery(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<IReadOnlyList<MyReservationRow>> LoadAsync(long userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<MyReservationRow>("""
            select r.id, r.activity, r.status, c.name as centre_name, rm.name as room_name,
                   (select min(o.starts_at) from occurrences o where o.reservation_id = r.id and o.status in ('aangevraagd', 'bevestigd') and o.ends_at > @now) as next_start,
                   (select count(*)::int from occurrences o where o.reservation_id = r.id and o.status in ('aangevraagd', 'bevestigd')) as active_dates
            from reservations r
            join centres c on c.id = r.centre_id
            join rooms rm on rm.id = r.room_id
            where r.requester_user_id = @userId
               or r.organisation_id = (select organisation_id from users where id = @userId and role = 'gebruiker')
            order by next_start nulls last, r.id desc
            limit 500
            """, new { userId, now = time.GetUtcNow() });
        return rows.ToList();
    }

    /// <summary>Whether the gebruiker may see the reservation: their own, or their organisation's.</summary>
    public static async Task<bool> IsOwnAsync(NpgsqlConnection connection, long reservationId, long userId) =>
        await connection.ExecuteScalarAsync<bool>("""
            select exists (select 1 from reservations r where r.id = @reservationId and (r.requester_user_id = @userId
                or r.organisation_id = (select organisation_id from users where id = @userId and role = 'gebruiker')))
            """, new { reservationId, userId });
}

/// <summary>A resident without an account confirms their e-mail address; only then do the beheerders hear of the request.</summary>
public sealed class ConfirmEmailHandler(NpgsqlDataSource dataSource, TimeProvider time, ReservationMails mails)
{
    public static async Task<long?> FindByTokenAsync(NpgsqlConnection connection, string token) =>
        await connection.ExecuteScalarAsync<long?>("""
            select id from reservations where access_token_hash = @hash
            union all
            select reservation_id from reservation_access_links where token_hash = @hash
            limit 1
            """, new { hash = AccessTokens.Hash(token) });

    public async Task<CommandResult> HandleAsync(string token, string baseUrl)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await connection.ExecuteScalarAsync<long?>("""
            update reservations set status = 'aangevraagd', updated_at = @now
            where access_token_hash = @hash and status = 'e_mail_bevestigen'
            returning id
            """, new { hash = AccessTokens.Hash(token), now }, transaction);
        if (id is null) return CommandResult.Fail("", "Uw e-mailadres is al bevestigd.");
        var r = (await ReservationDetails.LoadAsync(connection, transaction, id.Value))!;
        await ReviewReservationHandler.AddEventAsync(connection, transaction, id.Value, now, new Booker(FormRole.Resident, null, r.ContactName), "e_mail_bevestigd", null);
        var links = new ReservationLinks(baseUrl);
        await mails.RequestReceivedAsync(connection, transaction, r, links.Private(token));
        await mails.NewRequestToBeheerdersAsync(connection, transaction, r, links.Review(r.Id));
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}
