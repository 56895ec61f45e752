using Buurtcentra.Web.Infrastructure.Database;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>An active out-of-use period of a room (buiten gebruik, or a repair visit that blocks it), as booking screens tell it.</summary>
public sealed record OutOfUseBlock(long RoomId, DateTime StartsAt, DateTime EndsAt, string Reason)
{
    /// <summary>"Lekkage, dinsdag 1 december 2026 00:00 tot zaterdag 5 december 2026 23:59".</summary>
    public string Text => $"{Reason}, {OutOfUseText.Period(StartsAt, EndsAt)}";
}

/// <summary>
/// What the booking screens (Reservations, the room finder) need to know about out-of-use periods (decision 0008):
/// which periods are in the way of the asked slots, the Dutch sentence for it, and whether a refusal by the database
/// came from the out-of-use trigger rather than from a double booking.
/// </summary>
public static class RoomOutOfUse
{
    /// <summary>The constraint name the trigger <c>occurrences_refuse_out_of_use</c> raises its exclusion violation with.</summary>
    public const string ConstraintName = "occurrences_room_out_of_use";

    /// <summary>True when the database refused an occurrence because its room is out of use (not because it is taken).</summary>
    public static bool IsOutOfUse(this PostgresException e) => e.IsExclusionViolation(ConstraintName);

    /// <summary>
    /// Per asked slot (series date and blocked span: the occurrence's set-up and clean-up included, as the trigger checks
    /// it), the active out-of-use periods of the room that overlap it.
    /// </summary>
    public static async Task<IReadOnlyList<(DateOnly SeriesDate, OutOfUseBlock Block)>> OverlappingAsync(NpgsqlConnection connection,
        NpgsqlTransaction? transaction, long roomId, IReadOnlyList<(DateOnly SeriesDate, DateTime BlockedFromUtc, DateTime BlockedUntilUtc)> slots)
    {
        if (slots.Count == 0) return [];
        var rows = await connection.QueryAsync<(DateOnly SeriesDate, long RoomId, DateTime StartsAt, DateTime EndsAt, string Reason)>("""
            select p.series_date, u.room_id, u.starts_at, u.ends_at, u.reason
            from unnest(@dates::date[], @froms::timestamptz[], @untils::timestamptz[]) as p(series_date, blocked_from, blocked_until)
            join room_out_of_use u on u.room_id = @roomId and u.cancelled_at is null
                and u.starts_at < p.blocked_until and u.ends_at > p.blocked_from
            order by p.series_date, u.starts_at
            """, new
        {
            roomId,
            dates = slots.Select(s => s.SeriesDate).ToArray(),
            froms = slots.Select(s => Utc(s.BlockedFromUtc)).ToArray(),
            untils = slots.Select(s => Utc(s.BlockedUntilUtc)).ToArray(),
        }, transaction);
        return rows.Select(r => (r.SeriesDate, new OutOfUseBlock(r.RoomId, r.StartsAt, r.EndsAt, r.Reason))).ToList();
    }

    /// <summary>
    /// The active out-of-use periods of these rooms that overlap one of the activity spans (UTC instants), each room's
    /// set-up before and clean-up after included, as the trigger checks the blocked span.
    /// </summary>
    public static async Task<IReadOnlyList<OutOfUseBlock>> InRoomsAsync(NpgsqlConnection connection, IReadOnlyList<long> roomIds,
        IReadOnlyList<(DateTime FromUtc, DateTime UntilUtc)> spans)
    {
        if (roomIds.Count == 0 || spans.Count == 0) return [];
        var rows = await connection.QueryAsync<OutOfUseBlock>("""
            select distinct u.room_id, u.starts_at, u.ends_at, u.reason
            from room_out_of_use u
            join rooms r on r.id = u.room_id
            join unnest(@froms::timestamptz[], @untils::timestamptz[]) as s(f, t)
                on u.starts_at < s.t + r.cleanup_minutes * interval '1 minute' and u.ends_at > s.f - r.setup_minutes * interval '1 minute'
            where u.room_id = any(@roomIds) and u.cancelled_at is null
            order by u.room_id, u.starts_at
            """, new
        {
            roomIds = roomIds.ToArray(),
            froms = spans.Select(s => Utc(s.FromUtc)).ToArray(),
            untils = spans.Select(s => Utc(s.UntilUtc)).ToArray(),
        });
        return rows.ToList();
    }

    /// <summary>"Deze ruimte is dan buiten gebruik (reden, periode). Kies een andere tijd of ruimte."</summary>
    public static string Message(IEnumerable<OutOfUseBlock> blocks)
    {
        var texts = blocks.DistinctBy(b => (b.RoomId, b.StartsAt, b.EndsAt)).Select(b => b.Text).ToList();
        var listed = texts.Count == 0 ? "" : $" ({string.Join("; ", texts.Take(3))}{(texts.Count > 3 ? $" en nog {texts.Count - 3} keer" : "")})";
        return $"Deze ruimte is dan buiten gebruik{listed}. Kies een andere tijd of ruimte.";
    }

    /// <summary>The periods of the room in the asked slots, as <see cref="Message"/> says it, or null when there are none.</summary>
    public static async Task<string?> MessageAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long roomId,
        IReadOnlyList<(DateOnly SeriesDate, DateTime BlockedFromUtc, DateTime BlockedUntilUtc)> slots)
    {
        var found = await OverlappingAsync(connection, transaction, roomId, slots);
        return found.Count == 0 ? null : Message(found.Select(f => f.Block));
    }

    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
