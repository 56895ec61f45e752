using System.ComponentModel.DataAnnotations;
using Buurtcentra.Web.Features.Meldingen;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>The beheerder proposes another room or time for a request (for a single date also another date).</summary>
public sealed class ProposalForm : ISlotForm
{
    [Display(Name = "ruimte")] public long? RoomId { get; set; }
    /// <summary>Only for a request for one date: the date proposed. Empty: the date asked for.</summary>
    [Display(Name = "datum")] public DateOnly? Date { get; set; }
    [Display(Name = "begintijd")] public TimeOnly? StartTime { get; set; }
    [Display(Name = "eindtijd")] public TimeOnly? EndTime { get; set; }
    public string? Note { get; set; }

    public void Normalise() => Note = ReservationForm.Clean(Note);
}

public sealed class ProposalFormValidator : AbstractValidator<ProposalForm>
{
    public ProposalFormValidator() => Include(new SlotFormRules());
}

/// <summary>
/// "Ander voorstel": the requested dates get the proposed room and time and the request waits for the requester's
/// answer (status voorstel). Nothing is held yet; the proposed slot must be free now, and the database decides again
/// when the requester accepts.
/// </summary>
public sealed class ProposeAlternativeHandler(NpgsqlDataSource dataSource, TimeProvider time, ReservationMails mails)
{
    public async Task<CommandResult> HandleAsync(long reservationId, ProposalForm form, Booker actor, string baseUrl)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("select 1 from reservations where id = @reservationId for update", new { reservationId }, transaction);
        var r = await ReservationDetails.LoadAsync(connection, transaction, reservationId);
        if (r is null) return CommandResult.Fail("", "Deze aanvraag bestaat niet.");
        if (r.Status is not (ReservationStatus.Requested or ReservationStatus.Proposed))
        {
            return CommandResult.Fail("", "Een voorstel kan alleen bij een aanvraag die nog niet is beoordeeld.");
        }
        var pending = r.Occurrences.Where(o => o.Status == ReservationStatus.Requested).ToList();
        if (pending.Count == 0) return CommandResult.Fail("", "Deze aanvraag heeft geen data meer.");
        if (form.Date is not null && pending.Count > 1)
        {
            return CommandResult.Fail("Date", "Bij een herhaling blijven de data hetzelfde. Laat de datum leeg en stel een andere tijd of ruimte voor.");
        }

        var dates = form.Date is { } date ? [date] : pending.Select(o => o.SeriesDate).ToList();
        var plan = await ChangePlanner.PlanAsync(connection, transaction, r, form.RoomId!.Value, dates, form.StartTime!.Value, form.EndTime!.Value,
            AmsterdamTime.Today(time));
        if (!plan.IsValid)
        {
            var v = plan.Violations[0];
            return CommandResult.Fail(v.Field switch { "Participants" => "RoomId", var f => f }, v.Message);
        }
        var unchanged = form.RoomId == r.RoomId && pending.Zip(plan.Occurrences).All(p => p.First.StartsAt == p.Second.StartUtc && p.First.EndsAt == p.Second.EndUtc);
        if (unchanged)
        {
            return CommandResult.Fail("RoomId", "Dit is precies wat is aangevraagd. Kies een andere ruimte, tijd of datum, of keur de aanvraag goed.");
        }
        if (await ChangePlanner.ConflictMessageAsync(connection, transaction, r.Id, form.RoomId.Value, plan.Occurrences) is { } taken)
        {
            return CommandResult.Fail("StartTime", taken);
        }

        var asked = r.When + $" in {r.RoomName}";
        try
        {
            await Occurrences.UpdateAsync(connection, transaction, r.Id, form.RoomId.Value,
                pending.Zip(plan.Occurrences).Select(p => (p.First.SeriesDate, p.Second)).ToList(), markException: false, rekey: true, sequence: null, now);
        }
        catch (PostgresException e) when (e.IsOutOfUse())
        {
            // The room was taken out of use (a melding) after the check above; requests hold the room too (decision 0008).
            await transaction.RollbackAsync();
            await using var check = await dataSource.OpenConnectionAsync();
            return CommandResult.Fail("StartTime", await RoomOutOfUse.MessageAsync(check, null, form.RoomId.Value, plan.Occurrences.Slots())
                ?? RoomOutOfUse.Message([]));
        }
        await connection.ExecuteAsync("""
            update reservations set status = 'voorstel', room_id = @roomId, decision_reason = @note, updated_at = @now where id = @id
            """, new { id = r.Id, roomId = form.RoomId.Value, note = form.Note, now }, transaction);
        var after = (await ReservationDetails.LoadAsync(connection, transaction, r.Id))!;
        await ReviewReservationHandler.AddEventAsync(connection, transaction, r.Id, now, actor, "voorstel",
            $"Gevraagd: {asked}. Voorstel: {after.When} in {after.RoomName}.{(form.Note is null ? "" : $" {form.Note}")}");
        await mails.ProposedAsync(connection, transaction, after,
            await new ReservationLinks(baseUrl).ForRequesterAsync(connection, transaction, after, null, now), form.Note);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}

/// <summary>
/// The requester's answer to a proposal. Yes: the reservation is confirmed (if the slot is still free; the exclusion
/// constraint decides). No: the request goes back to the beheerder with the reason, to propose again or reject.
/// </summary>
public sealed class RespondToProposalHandler(NpgsqlDataSource dataSource, TimeProvider time, ReservationMails mails)
{
    public async Task<CommandResult> AcceptAsync(long reservationId, Booker actor, string baseUrl, string? accessToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var updated = await connection.ExecuteAsync("""
            update reservations set status = 'bevestigd', sequence = sequence + 1, updated_at = @now where id = @reservationId and status = 'voorstel'
            """, new { reservationId, now }, transaction);
        if (updated == 0) return CommandResult.Fail("", "Er staat geen voorstel open voor deze aanvraag. Ververs de pagina.");
        try
        {
            await connection.ExecuteAsync("""
                update occurrences set status = 'bevestigd', updated_at = @now where reservation_id = @reservationId and status = 'aangevraagd'
                """, new { reservationId, now }, transaction);
        }
        catch (PostgresException e) when (e.IsExclusionViolation())
        {
            await transaction.RollbackAsync();
            if (e.IsOutOfUse())
            {
                await using var check = await dataSource.OpenConnectionAsync();
                var outOfUse = await ReviewReservationHandler.OutOfUseMessageAsync(check, reservationId) ?? Meldingen.RoomOutOfUse.Message([]);
                return CommandResult.Fail("", $"Helaas: {outOfUse} Wijs het voorstel af; dan zoekt de beheerder iets anders met u.");
            }
            return CommandResult.Fail("", "Helaas: de voorgestelde ruimte is intussen door iemand anders gereserveerd. Wijs het voorstel af; dan zoekt de beheerder iets anders met u.");
        }
        await ReviewReservationHandler.AddEventAsync(connection, transaction, reservationId, now, actor, "voorstel_aanvaard", null);
        var r = (await ReservationDetails.LoadAsync(connection, transaction, reservationId))!;
        var links = new ReservationLinks(baseUrl);
        await mails.ConfirmedAsync(connection, transaction, r, await links.ForRequesterAsync(connection, transaction, r, accessToken, now), null);
        await mails.ProposalAnsweredAsync(connection, transaction, r, links.Review(r.Id), accepted: true, reason: null);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }

    public async Task<CommandResult> DeclineAsync(long reservationId, Booker actor, string? reason, string baseUrl)
    {
        if (reason is { Length: > ReservationForm.TextMax })
        {
            return CommandResult.Fail("Reason", $"Schrijf hoogstens {ReservationForm.TextMax} tekens. Nu zijn het er {reason.Length}.");
        }
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var updated = await connection.ExecuteAsync("""
            update reservations set status = 'aangevraagd', updated_at = @now where id = @reservationId and status = 'voorstel'
            """, new { reservationId, now }, transaction);
        if (updated == 0) return CommandResult.Fail("", "Er staat geen voorstel open voor deze aanvraag. Ververs de pagina.");
        await ReviewReservationHandler.AddEventAsync(connection, transaction, reservationId, now, actor, "voorstel_afgewezen", reason);
        var r = (await ReservationDetails.LoadAsync(connection, transaction, reservationId))!;
        await mails.ProposalAnsweredAsync(connection, transaction, r, new ReservationLinks(baseUrl).Review(r.Id), accepted: false, reason);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}
