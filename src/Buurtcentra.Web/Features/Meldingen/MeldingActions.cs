using Microsoft.AspNetCore.DataProtection;
using System.Globalization;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>A status change from a screen or the API.</summary>
public sealed class StatusForm
{
    public const int ReasonMax = 2000, AssigneeMax = 120, NoteMax = 4000;

    public string? To { get; set; }
    public DateOnly? PlannedOn { get; set; }
    public string? Assignee { get; set; }
    public string? Reason { get; set; }
    /// <summary>Optional explanation that goes into the thread and the mail.</summary>
    public string? Note { get; set; }

    public void Normalise()
    {
        To = To?.Trim();
        Assignee = string.IsNullOrWhiteSpace(Assignee) ? null : Assignee.Trim();
        Reason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim();
        Note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
    }
}

/// <summary>Field lengths and dates; whether the change is allowed at all is the status machine's (in the handler).</summary>
public sealed class StatusFormValidator : AbstractValidator<StatusForm>
{
    public StatusFormValidator(TimeProvider time)
    {
        RuleFor(f => f.To).Must(MeldingStatus.IsKnown).WithMessage("Kies een nieuwe status uit de lijst.");
        RuleFor(f => f.Assignee).Length(2, StatusForm.AssigneeMax).When(f => f.Assignee is not null)
            .WithMessage($"Wie het werk doet: 2 tot {StatusForm.AssigneeMax} tekens.");
        RuleFor(f => f.Reason).Length(2, StatusForm.ReasonMax).When(f => f.Reason is not null)
            .WithMessage($"De reden moet 2 tot {StatusForm.ReasonMax} tekens lang zijn.");
        RuleFor(f => f.Note).MaximumLength(StatusForm.NoteMax).WithMessage($"De toelichting mag niet langer zijn dan {StatusForm.NoteMax} tekens.");
        RuleFor(f => f.PlannedOn)
            .Must(d => d is null || d.Value >= Infrastructure.Time.AmsterdamTime.Today(time).AddDays(-7))
            .WithMessage("De geplande datum mag niet meer dan een week geleden zijn.")
            .Must(d => d is null || d.Value <= Infrastructure.Time.AmsterdamTime.Today(time).AddYears(1))
            .WithMessage("De geplande datum mag hoogstens een jaar vooruit liggen.");
    }
}

/// <summary>
/// Moves a melding to a new status when the status machine allows it for this person. The row is locked, so two people
/// who act at once are handled one after the other (the second sees the new status). Reopening restarts the clock.
/// Solving, closing or rejecting it also ends what it still holds of its room (<see cref="MaintenanceRelease"/>);
/// <c>Released</c> then says what, for the person's confirmation (the thread and the mail say it too).
/// </summary>
public sealed class ChangeStatusHandler(NpgsqlDataSource dataSource, TimeProvider time, MeldingMails mails)
{
    public async Task<(CommandResult Result, string? Released)> HandleAsync(long meldingId, StatusForm form, MeldingViewer viewer, string baseUrl)
    {
        if (viewer.Actor is not { } actor) return (CommandResult.Fail("To", "U kunt de status van deze melding niet wijzigen."), null);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var m = await MeldingDetails.LoadAsync(connection, transaction, meldingId, forUpdate: true);
        if (m is null) return (CommandResult.Fail("", "Deze melding bestaat niet meer."), null);
        var change = new StatusChange(form.To ?? "", form.PlannedOn, form.Assignee, form.Reason);
        if (StatusMachine.Check(m.Status, change, actor) is { } problem) return (CommandResult.Fail(problem.Field, problem.Message), null);

        DateTimeOffset? newDue = null;
        if (change.To == MeldingStatus.Reopened)
        {
            newDue = ResponseClock.Deadline(now, await TargetTimesQuery.ForAsync(connection, transaction, m.Urgency));
        }
        await connection.ExecuteAsync("""
            update meldingen
            set status = @to,
                planned_on = case when @to = 'in_behandeling' then @plannedOn else planned_on end,
                assignee = case when @to = 'in_behandeling' then @assignee else assignee end,
                status_reason = case when @to in ('afgewezen', 'heropend') then @reason else status_reason end,
                solved_at = case when @to = 'opgelost' then coalesce(solved_at, @now) else solved_at end,
                closed_at = case when @to = 'gesloten' then @now else closed_at end,
                clock_started_at = case when @newDue is null then clock_started_at else @now end,
                due_at = coalesce(@newDue, due_at),
                updated_at = @now
            where id = @meldingId
            """, new { to = change.To, plannedOn = change.PlannedOn, assignee = change.Assignee, reason = change.Reason, now, newDue, meldingId },
            transaction);
        var note = change.To switch
        {
            MeldingStatus.InProgress => Join($"Gepland op {change.PlannedOn!.Value:dd-MM-yyyy}, door {change.Assignee}.", form.Note),
            MeldingStatus.Rejected or MeldingStatus.Reopened => Join($"Reden: {change.Reason}", form.Note),
            _ => form.Note,
        };
        await MeldingEvents.AddAsync(connection, transaction, meldingId, now, viewer, "status", m.Status, change.To, note);
        var released = MeldingStatus.IsOpen(change.To) ? null : await MaintenanceRelease.EndAsync(connection, transaction, meldingId, now);
        if (released is not null) await MeldingEvents.AddAsync(connection, transaction, meldingId, now, viewer, "bezoek", note: released);

        var updated = (await MeldingDetails.LoadAsync(connection, transaction, meldingId))!;
        var links = new MeldingLinks(baseUrl);
        string? reporterLink = updated.ReporterUserId is not null ? links.Own(meldingId)
            : updated.ReporterEmail is not null ? links.Private(await MeldingAccessQuery.NewLinkAsync(connection, transaction, meldingId, null, now))
            : null;
        await mails.StatusChangedAsync(connection, transaction, updated, links, reporterLink,
            released is null ? form.Note : form.Note is null ? released : $"{form.Note}\n{released}", viewer.UserId);
        await transaction.CommitAsync();
        return (CommandResult.Ok(), released);
    }

    private static string Join(string first, string? second) => second is null ? first : $"{first}\n{second}";
}

/// <summary>A comment in the melding's thread: by staff, the reporter or someone who also has the problem.</summary>
public sealed class AddCommentHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int Max = 4000;

    public async Task<CommandResult> HandleAsync(long meldingId, string? text, MeldingViewer viewer)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return CommandResult.Fail("comment", "Schrijf eerst uw reactie.");
        if (text.Length > Max) return CommandResult.Fail("comment", $"Uw reactie mag niet langer zijn dan {Max} tekens. Nu zijn het er {text.Length}.");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var exists = await connection.ExecuteScalarAsync<bool>("select exists (select 1 from meldingen where id = @meldingId)", new { meldingId }, transaction);
        if (!exists) return CommandResult.Fail("", "Deze melding bestaat niet meer.");
        var now = time.GetUtcNow();
        await MeldingEvents.AddAsync(connection, transaction, meldingId, now, viewer, "reactie", note: text);
        await connection.ExecuteAsync("update meldingen set updated_at = @now where id = @meldingId", new { meldingId, now }, transaction);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}

/// <summary>
/// "Ik heb dit ook": adds a +1 (with an optional comment) to an open melding instead of a duplicate. The person becomes
/// a follower and gets the status mails; someone without an account gets a private link to follow it.
/// Only for a melding the report form offered to this person: the form carries a signed offer (the centre, room and
/// category being reported and the meldingen shown), so an id alone opens nothing. One person counts once.
/// </summary>
public sealed class AlsoAffectedHandler(NpgsqlDataSource dataSource, TimeProvider time, MeldingMails mails,
    IDataProtectionProvider protection)
{
    public sealed record Outcome(bool Succeeded, string? Error, string? Token);

    /// <summary>How long the report form's offer stays good: long enough to read, type and decide.</summary>
    public static readonly TimeSpan OfferLifetime = TimeSpan.FromHours(2);

    public const string NotOffered = "Deze melding kunt u hier niet volgen. Vul het meldformulier in: dan ziet u of hetzelfde probleem al gemeld is.";

    private IDataProtector Protector => protection.CreateProtector("Meldingen.AlsoAffected.Offer.v1");

    /// <summary>The signed offer for the similar meldingen a report form shows (expiry by the app's clock, so tests can move it).</summary>
    public string Offer(long centreId, long? roomId, string category, IEnumerable<long> meldingIds) =>
        Protector.Protect(string.Join('|', centreId, roomId?.ToString(CultureInfo.InvariantCulture) ?? "", category,
            string.Join(',', meldingIds), time.GetUtcNow().Add(OfferLifetime).ToUnixTimeSeconds()));

    private (long CentreId, long? RoomId, string Category, HashSet<long> Ids)? ReadOffer(string? offer)
    {
        if (string.IsNullOrEmpty(offer) || offer.Length > 4000) return null;
        string text;
        try { text = Protector.Unprotect(offer); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
        var parts = text.Split('|');
        if (parts.Length != 5 || long.Parse(parts[4], CultureInfo.InvariantCulture) < time.GetUtcNow().ToUnixTimeSeconds()) return null;
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1].Length == 0 ? null : long.Parse(parts[1], CultureInfo.InvariantCulture),
            parts[2], parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToHashSet());
    }

    public async Task<Outcome> HandleAsync(long meldingId, string? offer, Reporter person, string? comment, string baseUrl)
    {
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment is { Length: > AddCommentHandler.Max }) return new(false, $"Uw aanvulling mag niet langer zijn dan {AddCommentHandler.Max} tekens.", null);
        if (ReadOffer(offer) is not { } offered || !offered.Ids.Contains(meldingId)) return new(false, NotOffered, null);
        if (person.Email is not { } email) return new(false, "Wij hebben een e-mailadres nodig om u te laten weten wat er met de melding gebeurt.", null);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var m = await MeldingDetails.LoadAsync(connection, transaction, meldingId, forUpdate: true);
        if (m is null || m.CentreId != offered.CentreId || m.RoomId != offered.RoomId || m.Category != offered.Category) return new(false, NotOffered, null);
        if (!m.IsOpen) return new(false, "Deze melding is al afgehandeld. Doe een nieuwe melding als het probleem er nog is.", null);

        var isReporter = (person.UserId is not null && person.UserId == m.ReporterUserId)
            || (person.Email is not null && string.Equals(person.Email, m.ReporterEmail, StringComparison.OrdinalIgnoreCase));
        if (isReporter) return new(false, "Dit is uw eigen melding. U kunt hem aanvullen met een reactie.", null);

        var followerId = await connection.ExecuteScalarAsync<long?>("""
            insert into melding_followers (melding_id, user_id, name, email, created_at)
            select @meldingId, @userId, @name, @email, @now
            where not exists (select 1 from melding_followers where melding_id = @meldingId and user_id = @userId)
            on conflict (melding_id, lower(email)) do nothing
            returning id
            """, new { meldingId, userId = person.UserId, name = person.Name, email, now }, transaction);
        if (followerId is null) return new(false, "U heeft al aangegeven dat u dit probleem ook heeft.", null);
        await MeldingEvents.AddAsync(connection, transaction, meldingId, now, person.ToViewer(), "ook_last", note: comment);
        await connection.ExecuteAsync("update meldingen set updated_at = @now where id = @meldingId", new { meldingId, now }, transaction);

        string? token = null;
        if (person.UserId is null)
        {
            token = await MeldingAccessQuery.NewLinkAsync(connection, transaction, meldingId, followerId, now);
            await mails.FollowingAsync(connection, transaction, m, email, person.Name, new MeldingLinks(baseUrl).Private(token));
        }
        await transaction.CommitAsync();
        return new(true, null, token);
    }
}
