using Buurtcentra.Web.Features.Meldingen;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// The beheerder's decisions on a request: approve, reject with a reason. Approval turns the pending dates into
/// confirmed ones; the exclusion constraint guarantees that two requests for one slot can never both be approved.
/// </summary>
public sealed class ReviewReservationHandler(NpgsqlDataSource dataSource, TimeProvider time, ReservationMails mails)
{
    public async Task<CommandResult> ApproveAsync(long reservationId, Booker actor, string? note, string baseUrl)
    {
        if (note is { Length: > 2000 }) return CommandResult.Fail("Note", $"Schrijf hoogstens 2000 tekens. Nu zijn het er {note.Length}.");
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var updated = await connection.ExecuteAsync("""
            update reservations set status = 'bevestigd', decision_reason = @note, updated_at = @now
            where id = @reservationId and status in ('aangevraagd', 'voorstel')
            """, new { reservationId, note, now }, transaction);
        if (updated == 0) return CommandResult.Fail("", "Deze aanvraag is al beoordeeld of ingetrokken. Ververs de pagina.");
        try
        {
            await connection.ExecuteAsync("""
                update occurrences set status = 'bevestigd', updated_at = @now
                where reservation_id = @reservationId and status = 'aangevraagd'
                """, new { reservationId, now }, transaction);
        }
        catch (PostgresException e) when (e.IsExclusionViolation())
        {
            await transaction.RollbackAsync();
            await using var check = await dataSource.OpenConnectionAsync();
            if (e.IsOutOfUse() && await OutOfUseMessageAsync(check, reservationId) is { } outOfUse)
            {
                return CommandResult.Fail("", $"Goedkeuren kan niet. {outOfUse} Doe een ander voorstel of wijs de aanvraag af.");
            }
            var conflicts = await ConflictsIncludingBuffersAsync(check, reservationId);
            return CommandResult.Fail("", conflicts.Count == 0
                ? "De ruimte is intussen door een andere reservering bezet. Doe een ander voorstel of wijs de aanvraag af."
                : $"Goedkeuren kan niet: de ruimte is al bezet op {string.Join("; ", conflicts.Take(5).Select(ConflictMessages.Describe))}. Doe een ander voorstel of wijs de aanvraag af.");
        }
        await AddEventAsync(connection, transaction, reservationId, now, actor, "bevestigd", note);
        var r = (await ReservationDetails.LoadAsync(connection, transaction, reservationId))!;
        await mails.ConfirmedAsync(connection, transaction, r, await new ReservationLinks(baseUrl).ForRequesterAsync(connection, transaction, r, null, now), note);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }

    public async Task<CommandResult> RejectAsync(long reservationId, Booker actor, string? reason, string baseUrl)
    {
        if (string.IsNullOrWhiteSpace(reason)) return CommandResult.Fail("Reason", "Schrijf waarom de aanvraag niet kan. De aanvrager krijgt deze reden in de mail.");
        reason = reason.Trim();
        if (reason.Length > 2000) return CommandResult.Fail("Reason", $"Schrijf hoogstens 2000 tekens. Nu zijn het er {reason.Length}.");
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var updated = await connection.ExecuteAsync("""
            update reservations set status = 'afgewezen', decision_reason = @reason, updated_at = @now
            where id = @reservationId and status in ('aangevraagd', 'voorstel', 'e_mail_bevestigen');
            update occurrences set status = 'afgewezen', updated_at = @now where reservation_id = @reservationId and status = 'aangevraagd';
            """, new { reservationId, reason, now }, transaction);
        if (updated == 0) return CommandResult.Fail("", "Deze aanvraag is al beoordeeld of ingetrokken. Ververs de pagina.");
        await AddEventAsync(connection, transaction, reservationId, now, actor, "afgewezen", reason);
        var r = (await ReservationDetails.LoadAsync(connection, transaction, reservationId))!;
        await mails.RejectedAsync(connection, transaction, r, await new ReservationLinks(baseUrl).ForRequesterAsync(connection, transaction, r, null, now), reason);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }

    /// <summary>
    /// The out-of-use periods (a melding) in the way of a reservation's pending dates, as one sentence ("Deze ruimte is dan
    /// buiten gebruik (…)."), or null. Read after the database refused to confirm them.
    /// </summary>
    public static async Task<string?> OutOfUseMessageAsync(NpgsqlConnection connection, long reservationId)
    {
        var pending = (await connection.QueryAsync<(long RoomId, DateOnly SeriesDate, DateTime BlockedFrom, DateTime BlockedUntil)>("""
            select room_id, series_date, blocked_from, blocked_until from occurrences
            where reservation_id = @reservationId and status = 'aangevraagd' order by series_date
            """, new { reservationId })).ToList();
        var blocks = new List<Meldingen.OutOfUseBlock>();
        foreach (var room in pending.GroupBy(p => p.RoomId))
        {
            var found = await Meldingen.RoomOutOfUse.OverlappingAsync(connection, null, room.Key,
                room.Select(p => (p.SeriesDate, p.BlockedFrom, p.BlockedUntil)).ToList());
            blocks.AddRange(found.Select(f => f.Block));
        }
        return blocks.Count == 0 ? null : Meldingen.RoomOutOfUse.Message(blocks);
    }

    /// <summary>Confirmed bookings in the way of a reservation's pending dates, buffers included.</summary>
    public static async Task<IReadOnlyList<Conflict>> ConflictsIncludingBuffersAsync(NpgsqlConnection connection, long reservationId)
    {
        var rows = await connection.QueryAsync<Conflict>($"""
            select p.series_date, o.starts_at as start_utc, o.ends_at as end_utc, o.reservation_id, rm.name as room_name
            from occurrences p
            join occurrences o on o.room_id = p.room_id and o.status = 'bevestigd' and o.reservation_id <> p.reservation_id
                and o.blocked_from < p.blocked_until and o.blocked_from > p.blocked_from - {Occurrences.MaxBlockedSpan}
                and o.blocked_until > p.blocked_from
            join rooms rm on rm.id = o.room_id
            where p.reservation_id = @reservationId and p.status = 'aangevraagd'
            order by p.series_date
            """, new { reservationId });
        return rows.ToList();
    }

    public static Task AddEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long reservationId, DateTimeOffset now,
        Booker actor, string kind, string? note) =>
        connection.ExecuteAsync("""
            insert into reservation_events (reservation_id, occurred_at, actor_user_id, actor_name, kind, note)
            values (@reservationId, @now, @actorId, @actorName, @kind, @note)
            """, new { reservationId, now, actorId = actor.UserId, actorName = actor.ActorName, kind, note }, transaction);
}

/// <summary>
/// Cancelling: the whole reservation, one date, or a date and all after it. Cancelled dates stay as rows with
/// status 'geannuleerd', so an edit of the series never brings them back, and invitations list them as EXDATE.
/// </summary>
public sealed class CancelReservationHandler(NpgsqlDataSource dataSource, TimeProvider time, ReservationMails mails)
{
    public enum Scope { All, One, FromDate }

    /// <summary>The scope as the forms post it: "datum" (one date), "vanaf" (from a date), anything else is everything.</summary>
    public static Scope ParseScope(string? scope) => scope switch
    {
        "datum" => Scope.One,
        "vanaf" => Scope.FromDate,
        _ => Scope.All,
    };

    public async Task<CommandResult> HandleAsync(long reservationId, Scope scope, DateOnly? seriesDate, Booker actor, bool byRequester,
        string? reason, string baseUrl, string? accessToken = null)
    {
        if (reason is { Length: > 2000 }) return CommandResult.Fail("Reason", $"Schrijf hoogstens 2000 tekens. Nu zijn het er {reason.Length}.");
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var before = await ReservationDetails.LoadAsync(connection, transaction, reservationId);
        if (before is null) return CommandResult.Fail("", "Deze reservering bestaat niet.");
        if (before.Status is ReservationStatus.Cancelled or ReservationStatus.Rejected)
        {
            return CommandResult.Fail("", "Deze reservering is al geannuleerd of afgewezen.");
        }
        if (scope != Scope.All && seriesDate is null) return CommandResult.Fail("SeriesDate", "Kies de datum die u wilt annuleren.");
        if (scope != Scope.All && before.Occurrences.All(o => o.SeriesDate != seriesDate))
        {
            return CommandResult.Fail("SeriesDate", "Deze datum hoort niet bij de reservering.");
        }

        var cancelled = await connection.ExecuteAsync("""
            update occurrences set status = 'geannuleerd', is_exception = is_exception or @single, updated_at = @now,
                   sequence = (select sequence + 1 from reservations where id = @reservationId)
            where reservation_id = @reservationId and status in ('aangevraagd', 'bevestigd') and ends_at > @now
              and (@all or (@single and series_date = @seriesDate) or (not @single and series_date >= @seriesDate))
            """, new { reservationId, now, seriesDate, all = scope == Scope.All, single = scope == Scope.One }, transaction);
        if (cancelled == 0) return CommandResult.Fail("", "Er is niets meer te annuleren: deze data zijn al voorbij of al geannuleerd.");

        var anyLeft = await connection.ExecuteScalarAsync<bool>("""
            select exists (select 1 from occurrences where reservation_id = @reservationId and status in ('aangevraagd', 'bevestigd'))
            """, new { reservationId }, transaction);
        var wholeGone = scope == Scope.All || !anyLeft;
        await connection.ExecuteAsync("""
            update reservations set sequence = sequence + 1, updated_at = @now,
                   status = case when @wholeGone then 'geannuleerd' else status end,
                   decision_reason = case when @wholeGone then coalesce(@reason, decision_reason) else decision_reason end
            where id = @reservationId
            """, new { reservationId, now, wholeGone, reason }, transaction);
        var kind = wholeGone ? "geannuleerd" : scope == Scope.One ? "datum_geannuleerd" : "vanaf_geannuleerd";
        var note = scope == Scope.All || seriesDate is null ? reason
            : $"{(scope == Scope.One ? "" : "Vanaf ")}{BookingRules.LongDate(seriesDate.Value)}{(reason is null ? "" : $": {reason}")}";
        await ReviewReservationHandler.AddEventAsync(connection, transaction, reservationId, now, actor, kind, note);

        var after = (await ReservationDetails.LoadAsync(connection, transaction, reservationId))!;
        var what = wholeGone
            ? $"De reservering voor {after.Activity} in {after.CentreName} is geannuleerd.{(reason is null ? "" : $" Reden: {reason}")}"
            : scope == Scope.One
                ? $"{after.Activity} gaat niet door op {BookingRules.LongDate(seriesDate!.Value)}. De andere data blijven staan."
                : $"{after.Activity} gaat niet meer door vanaf {BookingRules.LongDate(seriesDate!.Value)}. De data daarvoor blijven staan.";
        await mails.CancelledAsync(connection, transaction, after, await new ReservationLinks(baseUrl).ForRequesterAsync(connection, transaction, after, accessToken, now), what,
            wasConfirmed: before.Status == ReservationStatus.Confirmed, cancelledByRequester: byRequester);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}
