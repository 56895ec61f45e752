using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>A beheerder changes a confirmed reservation: one date, a date and all after it, or the whole series.</summary>
public sealed class ChangeForm : ISlotForm
{
    public const string One = "datum", FromDate = "vanaf", All = "alles";

    /// <summary>datum, vanaf or alles.</summary>
    public string Scope { get; set; } = One;
    /// <summary>The date of the series that is moved (datum) or from which the series changes (vanaf).</summary>
    [Display(Name = "datum")] public DateOnly? SeriesDate { get; set; }
    /// <summary>Only for one date: the date it moves to. Empty: the same date.</summary>
    [Display(Name = "nieuwe datum")] public DateOnly? NewDate { get; set; }
    [Display(Name = "ruimte")] public long? RoomId { get; set; }
    [Display(Name = "begintijd")] public TimeOnly? StartTime { get; set; }
    [Display(Name = "eindtijd")] public TimeOnly? EndTime { get; set; }
    public string? Note { get; set; }

    public void Normalise()
    {
        Scope = Scope is FromDate or All ? Scope : One;
        Note = ReservationForm.Clean(Note);
        if (Scope != One) NewDate = null;
    }
}

public sealed class ChangeFormValidator : AbstractValidator<ChangeForm>
{
    public ChangeFormValidator()
    {
        RuleFor(f => f.SeriesDate).NotNull().When(f => f.Scope != ChangeForm.All)
            .WithMessage(f => f.Scope == ChangeForm.One ? "Kies de datum die u wilt verplaatsen." : "Kies vanaf welke datum de wijziging geldt.");
        Include(new SlotFormRules());
    }
}

/// <summary>What a change and a proposal both ask: a room, a start and end time, and a note for the requester.</summary>
public interface ISlotForm
{
    long? RoomId { get; }
    TimeOnly? StartTime { get; }
    TimeOnly? EndTime { get; }
    string? Note { get; }
}

public sealed class SlotFormRules : AbstractValidator<ISlotForm>
{
    public SlotFormRules()
    {
        RuleFor(f => f.RoomId).NotNull().WithMessage("Kies een ruimte.");
        RuleFor(f => f.StartTime).NotNull().WithMessage("Vul een begintijd in, bijvoorbeeld 19:00.");
        RuleFor(f => f.EndTime).NotNull().WithMessage("Vul een eindtijd in, bijvoorbeeld 21:00.");
        RuleFor(f => f.EndTime).GreaterThan(f => f.StartTime).When(f => f.StartTime is not null && f.EndTime is not null)
            .WithMessage("De eindtijd moet na de begintijd liggen.");
        RuleFor(f => f.Note).MaximumLength(ReservationForm.TextMax)
            .WithMessage(f => $"Schrijf hoogstens {ReservationForm.TextMax} tekens. Nu zijn het er {f.Note!.Length}.");
    }
}

/// <summary>The outcome of a change, and which reservation now holds the changed dates (a new one after a split).</summary>
public sealed record ChangeOutcome(CommandResult Result, long? ReservationId)
{
    public static ChangeOutcome Done(long reservationId) => new(CommandResult.Ok(), reservationId);
    public static ChangeOutcome Fail(string field, string message) => new(CommandResult.Fail(field, message), null);
}

/// <summary>
/// Moves one date (it becomes an exception with its own time and room, RECURRENCE-ID in calendars), or changes the
/// time and room of the series. A change from a date on, or of a series that already began, splits the series:
/// the later dates, cancelled ones included, move to a new reservation with its own UID, so what already happened
/// keeps its time in the calendar and a cancelled date never comes back. The database refuses a double booking.
/// </summary>
public sealed class ChangeReservationHandler(NpgsqlDataSource dataSource, TimeProvider time, ReservationMails mails)
{
    public async Task<ChangeOutcome> HandleAsync(long reservationId, ChangeForm form, Booker actor, string baseUrl)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("select 1 from reservations where id = @reservationId for update", new { reservationId }, transaction);
        var r = await ReservationDetails.LoadAsync(connection, transaction, reservationId);
        if (r is null) return ChangeOutcome.Fail("", "Deze reservering bestaat niet.");
        if (r.Status != ReservationStatus.Confirmed)
        {
            return ChangeOutcome.Fail("", "Alleen een bevestigde reservering kunt u wijzigen. Bij een aanvraag doet u een ander voorstel.");
        }

        var upcoming = r.Occurrences.Where(o => o.Status == ReservationStatus.Confirmed && o.StartsAt > now.UtcDateTime).ToList();
        if (form.Scope == ChangeForm.One) return await MoveOneAsync(connection, transaction, r, upcoming, form, actor, baseUrl, now);

        var targets = upcoming.Where(o => !o.IsException && (form.Scope == ChangeForm.All || o.SeriesDate >= form.SeriesDate)).ToList();
        if (targets.Count == 0)
        {
            return ChangeOutcome.Fail(form.Scope == ChangeForm.All ? "" : "SeriesDate",
                "Er zijn geen data meer om te wijzigen: ze zijn voorbij, geannuleerd of apart verplaatst.");
        }
        var plan = await ChangePlanner.PlanAsync(connection, transaction, r, form.RoomId!.Value, targets.Select(t => t.SeriesDate).ToList(),
            form.StartTime!.Value, form.EndTime!.Value, AmsterdamTime.Today(time));
        if (!plan.IsValid) return Refused(plan.Violations[0], "SeriesDate");
        if (await ChangePlanner.ConflictMessageAsync(connection, transaction, r.Id, form.RoomId.Value, plan.Occurrences) is { } taken)
        {
            return ChangeOutcome.Fail("StartTime", taken);
        }

        // What happened before the change keeps its time: split when a regular date before it was confirmed.
        var splitDate = form.Scope == ChangeForm.All ? targets[0].SeriesDate : form.SeriesDate!.Value;
        var split = r.Occurrences.Any(o => o.SeriesDate < splitDate && o.Status == ReservationStatus.Confirmed && !o.IsException);
        var changedId = split ? await SplitAsync(connection, transaction, r, splitDate, form.RoomId.Value, now) : r.Id;
        var sequence = split ? 0 : r.Sequence + 1;
        try
        {
            await Occurrences.UpdateAsync(connection, transaction, changedId, form.RoomId.Value,
                plan.Occurrences.Select(p => (p.SeriesDate, p)).ToList(), markException: false, rekey: false, sequence, now);
        }
        catch (PostgresException e) when (e.IsExclusionViolation())
        {
            await transaction.RollbackAsync();
            return await TakenMeanwhileAsync(r.Id, form.RoomId.Value, plan.Occurrences);
        }
        await connection.ExecuteAsync("""
            update reservations set room_id = @roomId, sequence = @sequence, updated_at = @now where id = @changedId
            """, new { changedId, roomId = form.RoomId.Value, sequence, now }, transaction);

        var after = (await ReservationDetails.LoadAsync(connection, transaction, changedId))!;
        var what = $"vanaf {BookingRules.LongDate(targets[0].SeriesDate)} van {form.StartTime:HH\\:mm} tot {form.EndTime:HH\\:mm} in {after.RoomName}";
        await ReviewReservationHandler.AddEventAsync(connection, transaction, changedId, now, actor, "reeks_gewijzigd",
            Join(split ? $"Vervolg van reservering {r.Id}, {what}." : $"De herhaling is gewijzigd: {what}.", form.Note));
        var links = new ReservationLinks(baseUrl);
        if (split)
        {
            await ReviewReservationHandler.AddEventAsync(connection, transaction, r.Id, now, actor, "reeks_gewijzigd",
                Join($"Vanaf {BookingRules.LongDate(splitDate)} gaat de reeks verder als reservering {changedId}: {what}.", form.Note));
            var before = (await ReservationDetails.LoadAsync(connection, transaction, r.Id))!;
            await mails.ChangedAsync(connection, transaction, before, await links.ForRequesterAsync(connection, transaction, before, null, now),
                $"De data vanaf {BookingRules.LongDate(splitDate)} staan nu in een aparte afspraak. Die krijgt u in een tweede mail.", form.Note);
        }
        await mails.ChangedAsync(connection, transaction, after, await links.ForRequesterAsync(connection, transaction, after, null, now),
            $"{after.Activity} is {what}.", form.Note);
        await transaction.CommitAsync();
        return ChangeOutcome.Done(changedId);
    }

    private async Task<ChangeOutcome> MoveOneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r,
        IReadOnlyList<OccurrenceRow> upcoming, ChangeForm form, Booker actor, string baseUrl, DateTimeOffset now)
    {
        var occurrence = r.Occurrences.FirstOrDefault(o => o.SeriesDate == form.SeriesDate);
        if (occurrence is null) return ChangeOutcome.Fail("SeriesDate", "Deze datum hoort niet bij de reservering. Kies een datum uit de lijst.");
        if (!upcoming.Contains(occurrence))
        {
            return ChangeOutcome.Fail("SeriesDate", "Deze datum is al voorbij of geannuleerd. Kies een datum die nog komt.");
        }
        var newDate = form.NewDate ?? DateOnly.FromDateTime(occurrence.LocalStart);
        var plan = await ChangePlanner.PlanAsync(connection, transaction, r, form.RoomId!.Value, [newDate],
            form.StartTime!.Value, form.EndTime!.Value, AmsterdamTime.Today(time));
        if (!plan.IsValid) return Refused(plan.Violations[0], "NewDate");
        var slot = plan.Occurrences[0];
        if (slot.StartUtc == occurrence.StartsAt && slot.EndUtc == occurrence.EndsAt && form.RoomId == occurrence.RoomId)
        {
            return ChangeOutcome.Fail("NewDate", "Dit is dezelfde datum, tijd en ruimte als nu. Kies een andere datum, tijd of ruimte.");
        }
        if (await ChangePlanner.ConflictMessageAsync(connection, transaction, r.Id, form.RoomId.Value, [slot]) is { } taken)
        {
            return ChangeOutcome.Fail("StartTime", taken);
        }

        var sequence = r.Sequence + 1;
        try
        {
            await Occurrences.UpdateAsync(connection, transaction, r.Id, form.RoomId.Value, [(occurrence.SeriesDate, slot)],
                markException: true, rekey: false, sequence, now);
        }
        catch (PostgresException e) when (e.IsExclusionViolation())
        {
            await transaction.RollbackAsync();
            return await TakenMeanwhileAsync(r.Id, form.RoomId.Value, [slot]);
        }
        await connection.ExecuteAsync("update reservations set sequence = @sequence, updated_at = @now where id = @id",
            new { id = r.Id, sequence, now }, transaction);

        var after = (await ReservationDetails.LoadAsync(connection, transaction, r.Id))!;
        var moved = after.Occurrences.Single(o => o.SeriesDate == occurrence.SeriesDate);
        await ReviewReservationHandler.AddEventAsync(connection, transaction, r.Id, now, actor, "datum_verplaatst",
            Join($"{ChangePlanner.Describe(occurrence)} wordt {ChangePlanner.Describe(moved)}.", form.Note));
        await mails.ChangedAsync(connection, transaction, after,
            await new ReservationLinks(baseUrl).ForRequesterAsync(connection, transaction, after, null, now),
            $"{after.Activity} van {ChangePlanner.Describe(occurrence)} is verplaatst naar {ChangePlanner.Describe(moved)}. De andere data blijven zoals ze waren.",
            form.Note);
        await transaction.CommitAsync();
        return ChangeOutcome.Done(r.Id);
    }

    /// <summary>
    /// Moves the dates from <paramref name="splitDate"/> on (all of them, cancelled ones included, with their skipped
    /// dates) to a new reservation that continues this one, and ends the old rule before that date.
    /// </summary>
    private static async Task<long> SplitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r,
        DateOnly splitDate, long roomId, DateTimeOffset now)
    {
        // Where the rule starts, not the first booked date: a COUNT series whose first date was a closure day counts from there.
        var first = r.RuleFirstDate;
        // The rule's dates from the split date on go to the new reservation, also the left-out ones (their skipped rows move too).
        var (before, after) = r.Recurrence is { } rule ? rule.SplitAt(first, splitDate) : (null, null);
        var newId = await connection.ExecuteScalarAsync<long>("""
            insert into reservations (centre_id, room_id, organisation_id, requester_user_id, created_by_user_id, contact_name, contact_email,
                contact_phone, activity, category, participants, target_groups, needs_key, is_public, strengthens_centre, remarks,
                tariff, rate_cents, wederdienst, status, decision_reason, recurrence, sequence, created_at, updated_at, continued_from)
            select centre_id, @roomId, organisation_id, requester_user_id, created_by_user_id, contact_name, contact_email,
                contact_phone, activity, category, participants, target_groups, needs_key, is_public, strengthens_centre, remarks,
                tariff, rate_cents, wederdienst, status, decision_reason, @after::jsonb, 0, @now, @now, id
            from reservations where id = @id
            returning id
            """, new { id = r.Id, roomId, after = Json(after), now }, transaction);
        await connection.ExecuteAsync("""
            insert into reservation_facilities (reservation_id, facility_code) select @newId, facility_code from reservation_facilities where reservation_id = @id;
            insert into reservation_events (reservation_id, occurred_at, actor_user_id, actor_name, kind, note)
            select @newId, occurred_at, actor_user_id, actor_name, kind, note from reservation_events where reservation_id = @id order by id;
            update occurrences set reservation_id = @newId where reservation_id = @id and series_date >= @splitDate;
            update reservation_skipped_dates set reservation_id = @newId where reservation_id = @id and local_date >= @splitDate;
            update reservations set recurrence = @before::jsonb, sequence = sequence + 1, updated_at = @now where id = @id;
            """, new { id = r.Id, newId, splitDate, before = Json(before), now }, transaction);
        return newId;
    }

    private async Task<ChangeOutcome> TakenMeanwhileAsync(long reservationId, long roomId, IReadOnlyList<PlannedOccurrence> planned)
    {
        await using var check = await dataSource.OpenConnectionAsync();
        return ChangeOutcome.Fail("StartTime", await ChangePlanner.ConflictMessageAsync(check, null, reservationId, roomId, planned)
            ?? "De ruimte is op dat moment net door iemand anders gereserveerd. Kies een andere tijd of ruimte.");
    }

    /// <summary>The rules speak of the booking form's fields; on this form the date field depends on what is changed.</summary>
    private static ChangeOutcome Refused(RuleViolation violation, string dateField) => ChangeOutcome.Fail(violation.Field switch
    {
        "Date" => dateField,
        "Participants" => "RoomId",
        var field => field,
    }, violation.Message);

    private static string Join(string text, string? note) => note is null ? text : $"{text} {note}";

    private static string? Json(Recurrence? rule) => rule is null ? null : JsonSerializer.Serialize(rule, ReservationJson.Options);
}
