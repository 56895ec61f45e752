using System.Globalization;
using Buurtcentra.Web.Infrastructure.Mail;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>Take the melding's room out of use from one local moment to another.</summary>
public sealed class OutOfUseForm
{
    public DateOnly? FromDate { get; set; }
    public TimeOnly? FromTime { get; set; }
    public DateOnly? UntilDate { get; set; }
    public TimeOnly? UntilTime { get; set; }
    public string? Reason { get; set; }

    public DateTimeOffset? FromUtc => FromDate is { } d ? AmsterdamTime.ToUtc(d, FromTime ?? TimeOnly.MinValue) : null;
    public DateTimeOffset? UntilUtc => UntilDate is { } d ? AmsterdamTime.ToUtc(d, UntilTime ?? new TimeOnly(23, 59)) : null;
}

public sealed class OutOfUseFormValidator : AbstractValidator<OutOfUseForm>
{
    public OutOfUseFormValidator(TimeProvider time)
    {
        RuleFor(f => f.FromDate).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul de eerste dag in.")
            .Must(d => d >= AmsterdamTime.Today(time).AddDays(-1)).WithMessage("De eerste dag mag niet in het verleden liggen.");
        RuleFor(f => f.UntilDate).NotNull().WithMessage("Vul de laatste dag in.");
        RuleFor(f => f.FromTime).Must((f, t) => f.FromDate is null || f.FromUtc is not null)
            .WithMessage("Die begintijd bestaat niet: de klok gaat dan een uur vooruit. Kies een andere tijd.");
        RuleFor(f => f.UntilTime).Must((f, t) => f.UntilDate is null || f.UntilUtc is not null)
            .WithMessage("Die eindtijd bestaat niet: de klok gaat dan een uur vooruit. Kies een andere tijd.");
        RuleFor(f => f.UntilDate)
            .Must((f, _) => f.FromUtc is null || f.UntilUtc is null || f.UntilUtc > f.FromUtc).WithMessage("Het einde moet na het begin liggen.")
            .Must((f, _) => f.FromUtc is null || f.UntilUtc is null || f.UntilUtc - f.FromUtc <= TimeSpan.FromDays(366))
            .WithMessage("Een ruimte gaat hoogstens een jaar buiten gebruik.");
        RuleFor(f => f.Reason).Cascade(CascadeMode.Stop)
            .Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("Vul de reden in. De groepen lezen die in hun mail.")
            .Must(r => r!.Trim().Length is >= 2 and <= 500).WithMessage("De reden moet 2 tot 500 tekens lang zijn.");
    }
}

public sealed record OutOfUsePeriod(long Id, string RoomName, DateTime StartsAt, DateTime EndsAt, string Reason)
{
    public string Text => OutOfUseText.Period(StartsAt, EndsAt);
}

/// <summary>A booking in an out-of-use period. Organisation and contact only for beheerders (not for Stadsbedrijven).</summary>
public sealed record AffectedBooking(long ReservationId, long OccurrenceId, string Activity, string Status, DateTime StartsAt, DateTime EndsAt,
    int Participants, string? OrganisationName, string ContactName)
{
    public string When => OutOfUseText.Period(StartsAt, EndsAt);
}

public sealed record FreeAlternative(string RoomName, string CentreName, bool SameCentre);

public sealed record OutOfUseSection(IReadOnlyList<OutOfUsePeriod> Periods, IReadOnlyList<AffectedBooking> Affected, OutOfUseForm Form)
{
    /// <summary>The form under the name its fields post as (OutOfUse.FromDate, ...), for the partial _OutOfUseFields.</summary>
    public OutOfUseForm OutOfUse => Form;
}

public static class OutOfUseText
{
    private static readonly CultureInfo Dutch = new("nl-NL");

    public static string Period(DateTime startUtc, DateTime endUtc)
    {
        var from = AmsterdamTime.ToLocal(MeldingDetails.Utc(startUtc));
        var until = AmsterdamTime.ToLocal(MeldingDetails.Utc(endUtc));
        return from.Date == until.Date
            ? $"{from.ToString("dddd d MMMM yyyy", Dutch)} {from:HH:mm}–{until:HH:mm}"
            : $"{from.ToString("dddd d MMMM yyyy HH:mm", Dutch)} tot {until.ToString("dddd d MMMM yyyy HH:mm", Dutch)}";
    }
}

/// <summary>
/// Takes a melding's room out of use (decision 0008): locks the room row, stores the period (from then on the database
/// refuses new bookings in it), and mails every affected booking's contact with free rooms at the same time, in the same
/// centre first, then the nearest centres. Existing bookings are not changed.
/// </summary>
public sealed class OutOfUseHandler(NpgsqlDataSource dataSource, TimeProvider time, Outbox outbox)
{
    public async Task<(CommandResult Result, int Mailed)> HandleAsync(long meldingId, OutOfUseForm form, MeldingViewer viewer, string baseUrl)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var m = await MeldingDetails.LoadAsync(connection, transaction, meldingId, forUpdate: true);
        if (m?.RoomId is not { } roomId) return (CommandResult.Fail("", "Deze melding hoort niet bij een ruimte."), 0);
        await connection.ExecuteAsync("select id from rooms where id = @roomId for update", new { roomId }, transaction);
        var reason = form.Reason!.Trim();
        var (from, until) = (form.FromUtc!.Value, form.UntilUtc!.Value);
        await connection.ExecuteAsync("""
            insert into room_out_of_use (room_id, melding_id, starts_at, ends_at, reason, created_by_user_id, created_at)
            values (@roomId, @meldingId, @from, @until, @reason, @userId, @now)
            """, new { roomId, meldingId, from, until, reason, userId = viewer.UserId, now }, transaction);
        await MeldingEvents.AddAsync(connection, transaction, meldingId, now, viewer, "buiten_gebruik",
            note: $"{m.RoomName} buiten gebruik: {OutOfUseText.Period(from.UtcDateTime, until.UtcDateTime)}. {reason}");

        var affected = await AffectedAsync(connection, transaction, roomId, from, until);
        var mailed = 0;
        foreach (var reservation in affected.GroupBy(a => a.ReservationId))
        {
            var contact = await connection.QuerySingleAsync<(string? Email, string Name, string Activity)>(
                "select contact_email, contact_name, activity from reservations where id = @id", new { id = reservation.Key }, transaction);
            if (contact.Email is null) continue;
            var lines = new List<string>();
            foreach (var occurrence in reservation.Take(5))
            {
                var free = await AlternativesAsync(connection, transaction, m.CentreId, roomId, occurrence);
                lines.Add(free.Count == 0
                    ? $"{occurrence.When}: wij vonden geen vrije ruimte op dat moment."
                    : $"{occurrence.When}: vrij zijn {string.Join("; ", free.Select(f => f.SameCentre ? $"{f.RoomName} (hier)" : $"{f.RoomName} in {f.CentreName}"))}.");
            }
            if (reservation.Count() > 5) lines.Add($"En nog {reservation.Count() - 5} andere data.");
            var paragraphs = new List<string>
            {
                $"De ruimte {m.RoomName} in {m.CentreName} is buiten gebruik: {OutOfUseText.Period(from.UtcDateTime, until.UtcDateTime)}.",
                $"De reden: {reason}",
                $"Uw activiteit {contact.Activity} kan daar dan niet doorgaan. Deze ruimtes zijn op die momenten vrij:",
                string.Join("\n", lines),
                "Wilt u naar een andere ruimte? Neem contact op met de beheerder van het buurtcentrum. Zij helpen u verder.",
            };
            var (text, html) = MailTemplate.Compose(contact.Name, paragraphs,
                [("Activiteit", contact.Activity), ("Ruimte", $"{m.RoomName}, {m.CentreName}"), ("Reservering", reservation.Key.ToString(CultureInfo.InvariantCulture))],
                ("Zelf een vrije ruimte zoeken", $"{baseUrl.TrimEnd('/')}/ruimte-zoeken"));
            await outbox.EnqueueAsync(connection, transaction, new OutboxMail("buiten_gebruik", contact.Email, contact.Name,
                $"Ruimte buiten gebruik: {contact.Activity}", text, html) { CentreId = m.CentreId, ReservationId = reservation.Key });
            mailed++;
        }
        await transaction.CommitAsync();
        return (CommandResult.Ok(), mailed);
    }

    public static async Task<IReadOnlyList<AffectedBooking>> AffectedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        long roomId, DateTimeOffset from, DateTimeOffset until) =>
        (await connection.QueryAsync<AffectedBooking>("""
            select r.id as reservation_id, o.id as occurrence_id, r.activity, o.status, o.starts_at, o.ends_at, r.participants,
                   g.name as organisation_name, r.contact_name
            from occurrences o join reservations r on r.id = o.reservation_id left join organisations g on g.id = r.organisation_id
            where o.room_id = @roomId and o.status in ('aangevraagd', 'bevestigd') and o.blocked_from < @until and o.blocked_until > @from
            order by o.starts_at
            """, new { roomId, from, until }, transaction)).ToList();

    /// <summary>Up to three free rooms big enough, open and not closed at that time: same centre first, then the nearest.</summary>
    public static async Task<IReadOnlyList<FreeAlternative>> AlternativesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        long centreId, long roomId, AffectedBooking booking) =>
        (await connection.QueryAsync<FreeAlternative>("""
            with here as (select coalesce(c.latitude, w.latitude) as lat, coalesce(c.longitude, w.longitude) as lon
                          from centres c join wijken w on w.id = c.wijk_id where c.id = @centreId),
                 slot as (select @from::timestamptz as f, @until::timestamptz as u,
                                 (@from::timestamptz at time zone 'Europe/Amsterdam') as lf, (@until::timestamptz at time zone 'Europe/Amsterdam') as lu)
            select r.name as room_name, c.name as centre_name, c.id = @centreId as same_centre
            from rooms r join centres c on c.id = r.centre_id join wijken w on w.id = c.wijk_id, here, slot
            where r.active and c.active and r.id <> @roomId and r.capacity >= @participants
              and not exists (select 1 from occurrences o where o.room_id = r.id and o.status = 'bevestigd'
                              and o.blocked_from < slot.u and o.blocked_from > slot.f - interval '32 hours' and o.blocked_until > slot.f)
              and not exists (select 1 from room_out_of_use x where x.room_id = r.id and x.cancelled_at is null and x.starts_at < slot.u and x.ends_at > slot.f)
              and exists (select 1 from opening_hours h where h.centre_id = c.id and h.weekday = extract(isodow from slot.lf)
                          and h.opens_at <= slot.lf::time and h.closes_at >= slot.lu::time and slot.lf::date = slot.lu::date)
              and not exists (select 1 from closure_days d where (d.centre_id is null or d.centre_id = c.id) and slot.lf::date between d.starts_on and d.ends_on)
            order by (c.id = @centreId) desc,
                     sqrt(power(coalesce(c.latitude, w.latitude) - here.lat, 2) + power((coalesce(c.longitude, w.longitude) - here.lon) * cos(radians(here.lat)), 2)) nulls last,
                     c.name, r.name
            limit 3
            """, new { centreId, roomId, participants = booking.Participants, from = MeldingDetails.Utc(booking.StartsAt), until = MeldingDetails.Utc(booking.EndsAt) },
            transaction)).ToList();

    /// <summary>The out-of-use periods of the melding and the bookings in them, for the melding page.</summary>
    public static async Task<OutOfUseSection> SectionAsync(NpgsqlDataSource dataSource, MeldingDetails m, OutOfUseForm? form)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var periods = (await connection.QueryAsync<OutOfUsePeriod>("""
            select u.id, r.name as room_name, u.starts_at, u.ends_at, u.reason
            from room_out_of_use u join rooms r on r.id = u.room_id
            where u.melding_id = @id and u.cancelled_at is null order by u.starts_at
            """, new { id = m.Id })).ToList();
        var affected = new List<AffectedBooking>();
        foreach (var p in periods)
        {
            affected.AddRange(await AffectedAsync(connection, null, m.RoomId!.Value, MeldingDetails.Utc(p.StartsAt), MeldingDetails.Utc(p.EndsAt)));
        }
        return new OutOfUseSection(periods, affected.DistinctBy(a => a.OccurrenceId).OrderBy(a => a.StartsAt).ToList(),
            form ?? new OutOfUseForm { Reason = $"Melding {m.Id}: {MeldingCodes.CategoryName(m.Category).ToLowerInvariant()}" });
    }
}
