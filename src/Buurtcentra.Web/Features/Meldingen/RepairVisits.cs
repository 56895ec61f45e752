using System.Globalization;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>"Bezoek plannen": when someone comes to repair, on one local day; optionally the room is blocked then.</summary>
public sealed class VisitForm
{
    public DateOnly? Date { get; set; }
    public TimeOnly? From { get; set; }
    public TimeOnly? Until { get; set; }
    public string? Assignee { get; set; }
    /// <summary>Take the room out of use during the visit (the database then refuses bookings, as for buiten gebruik).</summary>
    public bool BlockRoom { get; set; }

    public DateTimeOffset? FromUtc => Date is { } d && From is { } t ? AmsterdamTime.ToUtc(d, t) : null;
    public DateTimeOffset? UntilUtc => Date is { } d && Until is { } t ? AmsterdamTime.ToUtc(d, t) : null;

    public void Normalise() => Assignee = string.IsNullOrWhiteSpace(Assignee) ? null : Assignee.Trim();
}

public sealed class VisitFormValidator : AbstractValidator<VisitForm>
{
    public VisitFormValidator(TimeProvider time)
    {
        RuleFor(f => f.Date).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul de dag van het bezoek in.")
            .Must(d => d >= AmsterdamTime.Today(time)).WithMessage("De dag van het bezoek mag niet in het verleden liggen.")
            .Must(d => d <= AmsterdamTime.Today(time).AddYears(1)).WithMessage("Een bezoek plant u hoogstens een jaar vooruit.");
        RuleFor(f => f.From).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul de begintijd in.")
            .Must((f, _) => f.Date is null || f.FromUtc is not null)
            .WithMessage("Die begintijd bestaat niet: de klok gaat dan een uur vooruit. Kies een andere tijd.");
        RuleFor(f => f.Until).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul de eindtijd in.")
            .Must((f, _) => f.Date is null || f.UntilUtc is not null)
            .WithMessage("Die eindtijd bestaat niet: de klok gaat dan een uur vooruit. Kies een andere tijd.")
            .Must((f, t) => f.From is null || t > f.From).WithMessage("De eindtijd moet na de begintijd liggen (op dezelfde dag).");
        RuleFor(f => f.Assignee).Length(2, StatusForm.AssigneeMax).When(f => f.Assignee is not null)
            .WithMessage($"Wie er komt: 2 tot {StatusForm.AssigneeMax} tekens.");
    }
}

/// <summary>A planned repair visit as the melding page shows it (staff).</summary>
public sealed record RepairVisit(long Id, DateTime StartsAt, DateTime EndsAt, string? Assignee, bool BlocksRoom, DateTime? CancelledAt)
{
    public string When => RepairVisitText.When(StartsAt, EndsAt);
}

public sealed record VisitsSection(IReadOnlyList<RepairVisit> Visits, VisitForm Visit);

/// <summary>
/// Maintenance in a room's calendar (week grid, day view, private feeds): a planned visit ("Onderhoud: Kapot of
/// defect") or an out-of-use period of its own ("Buiten gebruik: reden"). No personal data: no description, no names.
/// </summary>
/// <param name="Kind">onderhoud or buiten_gebruik.</param>
public sealed record MaintenanceEntry(string Kind, long Id, long? MeldingId, long RoomId, DateTime StartsAt, DateTime EndsAt, string? Category,
    string? Reason, bool BlocksRoom, DateTime UpdatedAt, DateTime? CancelledAt)
{
    public bool IsVisit => Kind == "onderhoud";

    /// <summary>"Onderhoud: Kapot of defect" or "Buiten gebruik: Lekkage".</summary>
    public string Title => IsVisit ? $"Onderhoud: {MeldingCodes.CategoryName(Category ?? "")}" : $"Buiten gebruik: {Reason}";

    /// <summary>The staff page of the melding, when there is one.</summary>
    public string? Url => MeldingId is { } id ? $"/beheer/meldingen/{id}" : null;
}

public static class RepairVisitText
{
    private static readonly CultureInfo Dutch = new("nl-NL");

    /// <summary>"dinsdag 1 december 2026 09:00–11:00".</summary>
    public static string When(DateTime startUtc, DateTime endUtc)
    {
        var from = AmsterdamTime.ToLocal(MeldingDetails.Utc(startUtc));
        var until = AmsterdamTime.ToLocal(MeldingDetails.Utc(endUtc));
        return $"{from.ToString("dddd d MMMM yyyy", Dutch)} {from:HH:mm}–{until:HH:mm}";
    }
}

/// <summary>Reads visits and out-of-use periods for the melding page and for the calendars of rooms and centres.</summary>
public static class RepairVisits
{
    public static async Task<VisitsSection> SectionAsync(NpgsqlDataSource dataSource, MeldingDetails m, VisitForm? form)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var visits = (await connection.QueryAsync<RepairVisit>("""
            select id, starts_at, ends_at, assignee, out_of_use_id is not null as blocks_room, cancelled_at
            from melding_visits where melding_id = @id order by starts_at, id
            """, new { id = m.Id })).ToList();
        return new VisitsSection(visits, form ?? new VisitForm { Assignee = m.Assignee });
    }

    /// <summary>
    /// Planned visits (not cancelled) and out-of-use periods that are not a visit's, of the rooms of the centres (or of one
    /// room) overlapping [from, to). With <paramref name="cancelledSince"/>, also visits cancelled since then (for feeds,
    /// so calendar apps remove them).
    /// </summary>
    public static async Task<IReadOnlyList<MaintenanceEntry>> InWindowAsync(NpgsqlConnection connection, IReadOnlyList<long>? centreIds, long? roomId,
        DateTime fromUtc, DateTime toUtc, DateTime? cancelledSince = null) =>
        (await connection.QueryAsync<MaintenanceEntry>("""
            select 'onderhoud' as kind, v.id, v.melding_id, v.room_id, v.starts_at, v.ends_at, m.category, null::text as reason,
                   v.out_of_use_id is not null as blocks_room, v.updated_at, v.cancelled_at
            from melding_visits v
            join meldingen m on m.id = v.melding_id
            join rooms r on r.id = v.room_id
            where (r.centre_id = any(@centreIds) or r.id = @roomId)
              and v.starts_at < @to and v.ends_at > @from
              and (v.cancelled_at is null or (@withCancelled and v.updated_at >= @cancelledSince))
            union all
            select 'buiten_gebruik', u.id, u.melding_id, u.room_id, u.starts_at, u.ends_at, null, u.reason, true, u.created_at, u.cancelled_at
            from room_out_of_use u
            join rooms r on r.id = u.room_id
            where (r.centre_id = any(@centreIds) or r.id = @roomId)
              and u.cancelled_at is null and u.starts_at < @to and u.ends_at > @from
              and not exists (select 1 from melding_visits v where v.out_of_use_id = u.id)
            order by 5, 4, 2
            """, new
        {
            centreIds = (centreIds ?? []).ToArray(), roomId, from = fromUtc, to = toUtc,
            withCancelled = cancelledSince is not null, cancelledSince = cancelledSince ?? fromUtc,
        })).ToList();
}

/// <summary>
/// Plans a repair visit for a melding with a room. With "blokkeer de ruimte" the room is taken out of use for the visit
/// (a room_out_of_use row, decision 0008): only when no booking or request holds the room then, checked under the room's
/// row lock, so no booking can slip in between. The visit goes into the thread.
/// </summary>
public sealed class PlanVisitHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(long meldingId, VisitForm form, MeldingViewer viewer)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var m = await MeldingDetails.LoadAsync(connection, transaction, meldingId, forUpdate: true);
        if (m?.RoomId is not { } roomId) return CommandResult.Fail("", "Deze melding hoort niet bij een ruimte.");
        if (!m.IsOpen) return CommandResult.Fail("", "Deze melding is al afgehandeld. Een bezoek plannen kan alleen bij een open melding.");
        var (from, until) = (form.FromUtc!.Value, form.UntilUtc!.Value);
        if (from < now) return CommandResult.Fail("From", "Die tijd is al voorbij. Kies een tijd die nog komt.");

        long? outOfUseId = null;
        if (form.BlockRoom)
        {
            await connection.ExecuteAsync("select id from rooms where id = @roomId for update", new { roomId }, transaction);
            var held = (await connection.QueryAsync<(DateTime StartsAt, DateTime EndsAt)>("""
                select starts_at, ends_at from occurrences
                where room_id = @roomId and status in ('aangevraagd', 'bevestigd') and blocked_from < @until and blocked_until > @from
                order by starts_at
                """, new { roomId, from, until }, transaction)).ToList();
            if (held.Count > 0)
            {
                return CommandResult.Fail("BlockRoom",
                    $"De ruimte is dan gereserveerd of aangevraagd: {string.Join("; ", held.Take(3).Select(h => RepairVisitText.When(h.StartsAt, h.EndsAt)))}. "
                    + "Kies een andere tijd, of plan het bezoek zonder de ruimte te blokkeren.");
            }
            outOfUseId = await connection.ExecuteScalarAsync<long>("""
                insert into room_out_of_use (room_id, melding_id, starts_at, ends_at, reason, created_by_user_id, created_at)
                values (@roomId, @meldingId, @from, @until, @reason, @userId, @now)
                returning id
                """, new { roomId, meldingId, from, until, reason = $"Onderhoud (melding {meldingId})", userId = viewer.UserId, now }, transaction);
        }
        await connection.ExecuteAsync("""
            insert into melding_visits (melding_id, room_id, starts_at, ends_at, assignee, out_of_use_id, created_by_user_id, created_at, updated_at)
            values (@meldingId, @roomId, @from, @until, @assignee, @outOfUseId, @userId, @now, @now)
            """, new { meldingId, roomId, from, until, assignee = form.Assignee, outOfUseId, userId = viewer.UserId, now }, transaction);
        var note = $"Bezoek gepland: {RepairVisitText.When(from.UtcDateTime, until.UtcDateTime)} in {m.RoomName}"
            + (form.Assignee is null ? "." : $", door {form.Assignee}.")
            + (form.BlockRoom ? " De ruimte is dan buiten gebruik." : "");
        await MeldingEvents.AddAsync(connection, transaction, meldingId, now, viewer, "bezoek", note: note);
        await connection.ExecuteAsync("update meldingen set updated_at = @now where id = @meldingId", new { meldingId, now }, transaction);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}

/// <summary>Cancels a planned visit; a room it blocked is free again for that time.</summary>
public sealed class CancelVisitHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(long meldingId, long visitId, MeldingViewer viewer)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var visit = await connection.QuerySingleOrDefaultAsync<(DateTime StartsAt, DateTime EndsAt, long? OutOfUseId)?>("""
            update melding_visits set cancelled_at = @now, updated_at = @now
            where id = @visitId and melding_id = @meldingId and cancelled_at is null
            returning starts_at, ends_at, out_of_use_id
            """, new { visitId, meldingId, now }, transaction);
        if (visit is not { } v) return CommandResult.Fail("", "Dit bezoek bestaat niet of is al afgezegd.");
        if (v.OutOfUseId is { } outOfUseId)
        {
            await connection.ExecuteAsync("update room_out_of_use set cancelled_at = @now where id = @outOfUseId and cancelled_at is null",
                new { outOfUseId, now }, transaction);
        }
        await MeldingEvents.AddAsync(connection, transaction, meldingId, now, viewer, "bezoek",
            note: $"Bezoek afgezegd: {RepairVisitText.When(v.StartsAt, v.EndsAt)}.");
        await connection.ExecuteAsync("update meldingen set updated_at = @now where id = @meldingId", new { meldingId, now }, transaction);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}

/// <summary>
/// When a melding is solved, closed or rejected, what it still holds of its room ends with it: visits still to come are
/// cancelled, a visit under way ends now, and so do the melding's out-of-use periods (a visit's own and those set with
/// "buiten gebruik"), so the room can be booked again and the calendars drop the maintenance. What lies in the past stays
/// as it was. Returns a Dutch sentence for the thread, the mail and the confirmation, or null when nothing was held.
/// </summary>
public static class MaintenanceRelease
{
    private sealed record Ended(string What, DateTime StartsAt, DateTime EndsAt, string RoomName);

    public static async Task<string?> EndAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long meldingId, DateTimeOffset now)
    {
        var ended = (await connection.QueryAsync<Ended>("""
            with cancelled_visits as (
                update melding_visits set cancelled_at = @now, updated_at = @now
                where melding_id = @meldingId and cancelled_at is null and starts_at >= @now
                returning 'bezoek_afgezegd' as what, starts_at, ends_at, room_id, out_of_use_id
            ), cut_visits as (
                update melding_visits set ends_at = @now, updated_at = @now
                where melding_id = @meldingId and cancelled_at is null and starts_at < @now and ends_at > @now
                returning 'bezoek_beeindigd' as what, starts_at, ends_at, room_id, out_of_use_id
            ), cancelled_periods as (
                update room_out_of_use set cancelled_at = @now
                where melding_id = @meldingId and cancelled_at is null and starts_at >= @now
                returning 'buiten_gebruik_vervallen' as what, starts_at, ends_at, room_id, id
            ), cut_periods as (
                update room_out_of_use set ends_at = @now
                where melding_id = @meldingId and cancelled_at is null and starts_at < @now and ends_at > @now
                returning 'buiten_gebruik_beeindigd' as what, starts_at, ends_at, room_id, id
            ), visit_periods as (
                select out_of_use_id as id from cancelled_visits where out_of_use_id is not null
                union select out_of_use_id from cut_visits where out_of_use_id is not null
            )
            select x.what, x.starts_at, x.ends_at, r.name as room_name
            from (select what, starts_at, ends_at, room_id from cancelled_visits
                  union all select what, starts_at, ends_at, room_id from cut_visits
                  union all select what, starts_at, ends_at, room_id from cancelled_periods where id not in (select id from visit_periods)
                  union all select what, starts_at, ends_at, room_id from cut_periods where id not in (select id from visit_periods)) x
            join rooms r on r.id = x.room_id
            order by x.starts_at
            """, new { meldingId, now }, transaction)).ToList();
        if (ended.Count == 0) return null;

        var lines = ended.Select(e => e.What switch
        {
            "bezoek_afgezegd" => $"Het geplande bezoek van {RepairVisitText.When(e.StartsAt, e.EndsAt)} is afgezegd.",
            "bezoek_beeindigd" => $"Het bezoek van {RepairVisitText.When(e.StartsAt, e.EndsAt)} is nu beëindigd.",
            "buiten_gebruik_vervallen" => $"{e.RoomName} gaat toch niet buiten gebruik ({OutOfUseText.Period(e.StartsAt, e.EndsAt)}).",
            _ => $"Het buiten gebruik van {e.RoomName} is nu beëindigd ({OutOfUseText.Period(e.StartsAt, e.EndsAt)}).",
        }).ToList();
        var rooms = ended.Select(e => e.RoomName).Distinct().ToList();
        lines.Add($"{string.Join(" en ", rooms)} {(rooms.Count == 1 ? "is" : "zijn")} weer te reserveren.");
        return string.Join(" ", lines);
    }
}
