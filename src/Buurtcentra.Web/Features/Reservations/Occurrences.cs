using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>A confirmed booking that is in the way of a requested date.</summary>
public sealed record Conflict(DateOnly SeriesDate, DateTime StartUtc, DateTime EndUtc, long ReservationId, string RoomName);

/// <summary>Writing and checking occurrence rows; shared by the use cases that create or move them.</summary>
public static class Occurrences
{
    /// <summary>
    /// The longest span an occurrence can block (24 h plus two buffers of at most 4 h). Bounding window queries by it
    /// lets PostgreSQL use the btree index on blocked_from instead of scanning years of history.
    /// </summary>
    public const string MaxBlockedSpan = "interval '32 hours'";

    /// <summary>Confirmed occurrences of the room that overlap one of the planned ones (set-up and clean-up included).</summary>
    public static async Task<IReadOnlyList<Conflict>> ConflictsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        long roomId, IReadOnlyList<PlannedOccurrence> planned, long? ignoreReservationId = null)
    {
        if (planned.Count == 0) return [];
        var rows = await connection.QueryAsync<Conflict>($"""
            select p.series_date, o.starts_at as start_utc, o.ends_at as end_utc, o.reservation_id, r.name as room_name
            from unnest(@dates::date[], @froms::timestamptz[], @untils::timestamptz[]) as p(series_date, blocked_from, blocked_until)
            join occurrences o on o.room_id = @roomId and o.status = 'bevestigd'
                and o.blocked_from < p.blocked_until and o.blocked_from > p.blocked_from - {MaxBlockedSpan}
                and o.blocked_until > p.blocked_from
            join rooms r on r.id = o.room_id
            where o.reservation_id <> coalesce(@ignoreReservationId, 0)
            order by p.series_date, o.starts_at
            """, new
        {
            roomId, ignoreReservationId,
            dates = planned.Select(p => p.SeriesDate).ToArray(),
            froms = planned.Select(p => p.BlockedFromUtc).ToArray(),
            untils = planned.Select(p => p.BlockedUntilUtc).ToArray(),
        }, transaction);
        return rows.ToList();
    }

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long reservationId, long roomId,
        IReadOnlyList<PlannedOccurrence> planned, string status, DateTimeOffset now)
    {
        await connection.ExecuteAsync("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            select @reservationId, @roomId, p.series_date, p.starts_at, p.ends_at, p.blocked_from, p.blocked_until, @status, @now
            from unnest(@dates::date[], @starts::timestamptz[], @ends::timestamptz[], @froms::timestamptz[], @untils::timestamptz[])
                 as p(series_date, starts_at, ends_at, blocked_from, blocked_until)
            """, new
        {
            reservationId, roomId, status, now,
            dates = planned.Select(p => p.SeriesDate).ToArray(),
            starts = planned.Select(p => p.StartUtc).ToArray(),
            ends = planned.Select(p => p.EndUtc).ToArray(),
            froms = planned.Select(p => p.BlockedFromUtc).ToArray(),
            untils = planned.Select(p => p.BlockedUntilUtc).ToArray(),
        }, transaction);
    }

    /// <summary>
    /// Gives existing occurrences (found by their series date) a new slot and room. The series date stays, so a
    /// calendar still knows which date of the series it was (RECURRENCE-ID), unless <paramref name="rekey"/>: a
    /// request not yet approved has no calendar entry, so a proposal for another date simply becomes its date.
    /// </summary>
    public static async Task UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long reservationId, long roomId,
        IReadOnlyList<(DateOnly SeriesDate, PlannedOccurrence Slot)> changes, bool markException, bool rekey, int? sequence, DateTimeOffset now)
    {
        await connection.ExecuteAsync("""
            update occurrences o
            set room_id = @roomId, starts_at = c.starts_at, ends_at = c.ends_at, blocked_from = c.blocked_from, blocked_until = c.blocked_until,
                series_date = case when @rekey then c.new_date else o.series_date end,
                is_exception = o.is_exception or @markException, sequence = coalesce(@sequence, o.sequence), updated_at = @now
            from unnest(@keys::date[], @dates::date[], @starts::timestamptz[], @ends::timestamptz[], @froms::timestamptz[], @untils::timestamptz[])
                 as c(series_date, new_date, starts_at, ends_at, blocked_from, blocked_until)
            where o.reservation_id = @reservationId and o.series_date = c.series_date
            """, new
        {
            reservationId, roomId, markException, rekey, sequence, now,
            keys = changes.Select(c => c.SeriesDate).ToArray(),
            dates = changes.Select(c => c.Slot.SeriesDate).ToArray(),
            starts = changes.Select(c => c.Slot.StartUtc).ToArray(),
            ends = changes.Select(c => c.Slot.EndUtc).ToArray(),
            froms = changes.Select(c => c.Slot.BlockedFromUtc).ToArray(),
            untils = changes.Select(c => c.Slot.BlockedUntilUtc).ToArray(),
        }, transaction);
    }

    /// <summary>The blocked spans of planned occurrences, as the out-of-use check (Meldingen.RoomOutOfUse) reads them.</summary>
    public static IReadOnlyList<(DateOnly SeriesDate, DateTime BlockedFromUtc, DateTime BlockedUntilUtc)> Slots(this IEnumerable<PlannedOccurrence> planned) =>
        planned.Select(p => (p.SeriesDate, p.BlockedFromUtc, p.BlockedUntilUtc)).ToList();

    /// <summary>Which confirmed booking made the database refuse: read after an exclusion violation, for the message.</summary>
    public static async Task<Conflict?> FirstConflictAsync(NpgsqlDataSource dataSource, long roomId, IReadOnlyList<PlannedOccurrence> planned)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await ConflictsAsync(connection, null, roomId, planned)).FirstOrDefault();
    }
}
