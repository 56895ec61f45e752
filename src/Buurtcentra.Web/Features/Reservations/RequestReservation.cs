using System.Security.Cryptography;
using System.Text.Json;
using Buurtcentra.Web.Features.Meldingen;
using Buurtcentra.Web.Features.Tariffs;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>Who asks: a resident without an account, a signed-in gebruiker, or a beheerder booking directly.</summary>
public sealed record Booker(FormRole Role, long? UserId, string ActorName)
{
    public static Booker Resident(string name) => new(FormRole.Resident, null, name);
}

/// <summary>The outcome of a request: saved (with what was skipped and the price) or refused with rules and conflicts.</summary>
public sealed record ReservationOutcome(
    long? ReservationId,
    string? Status,
    IReadOnlyList<RuleViolation> Violations,
    IReadOnlyList<Conflict> Conflicts,
    IReadOnlyList<SkippedDate> Skipped,
    string? AccessToken,
    bool IsConflict = false)
{
    /// <summary>The saved reservation as it was committed, so a caller need not read it again.</summary>
    public ReservationDetails? Details { get; init; }

    public bool Succeeded => ReservationId is not null;

    public static ReservationOutcome Refused(IReadOnlyList<RuleViolation> violations) => new(null, null, violations, [], [], null);

    /// <summary>The room is taken: the API answers 409 and names the conflicting slots.</summary>
    public static ReservationOutcome Taken(RuleViolation violation, IReadOnlyList<Conflict> conflicts) =>
        new(null, null, [violation], conflicts, [], null, IsConflict: true);
}

/// <summary>A reservation just saved (not yet committed): its id, the dates left out, and the bookings that were in the way of skipped dates.</summary>
public sealed record ReservationCreated(long ReservationId, IReadOnlyList<SkippedDate> Skipped, IReadOnlyList<Conflict> SkippedConflicts);

/// <summary>What the form shows before sending: which dates can be booked, which are skipped or taken, and the price.</summary>
public sealed record ReservationPreview(BookingPlan Plan, IReadOnlyList<Conflict> Conflicts, Tariff? Tariff, long TotalCents, IReadOnlyList<FittingRoom> FittingRooms)
{
    /// <summary>Dates on which the room is out of use (a melding, docs/meldingen.md): they cannot be booked.</summary>
    public IReadOnlyDictionary<DateOnly, string> OutOfUse { get; init; } = new Dictionary<DateOnly, string>();
}

/// <summary>A room of the centre on the form. OutOfUse: why it cannot be booked at the asked time (it then does not fit).</summary>
public sealed record FittingRoom(long Id, string Name, int Capacity, bool HasFacilities, bool Fits)
{
    public string? OutOfUse { get; init; }
}

/// <summary>
/// Files a request for a room, or books directly when a beheerder of the centre does it.
/// The rules are checked first (with messages that say what would fit); the exclusion constraint in the database
/// is the final word on double bookings, also between several app instances.
/// </summary>
public sealed class RequestReservationHandler(NpgsqlDataSource dataSource, TimeProvider time, ReservationMails mails)
{
    /// <summary>The reservation row; named because `make bench` runs the same inserts directly (its raw-SQL column).</summary>
    public const string InsertReservationSql = """
        insert into reservations (centre_id, room_id, organisation_id, requester_user_id, created_by_user_id, contact_name, contact_email,
            contact_phone, activity, category, participants, target_groups, needs_key, is_public, strengthens_centre, remarks,
            tariff, rate_cents, wederdienst, status, recurrence, access_token_hash, created_at, updated_at)
        values (@centreId, @roomId, @organisationId, @requesterUserId, @createdBy, @ContactName, @ContactEmail,
            @ContactPhone, @Activity, @Category, @Participants, @targetGroups, @NeedsKey, @IsPublic, @StrengthensCentre, @Remarks,
            @tariffCode, @rateCents, @Wederdienst, @status, @recurrence::jsonb, @tokenHash, @now, @now)
        returning id
        """;

    /// <summary>Its facilities, skipped dates and first history event, in one round trip.</summary>
    public const string InsertDetailsSql = """
        insert into reservation_facilities (reservation_id, facility_code) select @reservationId, unnest(@codes::text[]);
        insert into reservation_skipped_dates (reservation_id, local_date, reason)
        select @reservationId, d, r from unnest(@skippedDates::date[], @skippedReasons::text[]) as s(d, r);
        insert into reservation_events (reservation_id, occurred_at, actor_user_id, actor_name, kind, note)
        values (@reservationId, @now, @actorId, @actorName, @kind, null);
        """;

    public async Task<ReservationPreview?> PreviewAsync(ReservationForm form, Booker booker)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var dates = form.AllDates();
        var schedule = await RoomSchedule.LoadAsync(connection, null, form.RoomId!.Value, dates[0], dates[^1]);
        if (schedule is null) return null;
        var plan = WithoutExcludedDates(BookingRules.Plan(schedule.Room, schedule.OpeningHours, schedule.Closures, ToRequest(form, booker, dates), AmsterdamTime.Today(time)), form);
        var conflicts = await Occurrences.ConflictsAsync(connection, null, schedule.Room.RoomId, plan.Occurrences);
        var outOfUse = (await RoomOutOfUse.OverlappingAsync(connection, null, schedule.Room.RoomId, plan.Occurrences.Slots()))
            .GroupBy(x => x.SeriesDate).ToDictionary(g => g.Key, g => g.First().Block.Text);
        var contact = await ContactAsync(connection, null, form, booker);
        var tariff = await Tariff.ForAsync(connection, null, schedule.Room.RoomId, await BookerCategoryAsync(connection, null, contact.OrganisationId));
        var bookable = plan.Occurrences.Where(o => conflicts.All(c => c.SeriesDate != o.SeriesDate) && !outOfUse.ContainsKey(o.SeriesDate)).ToList();
        var total = bookable.Sum(o => tariff.AmountCents(o.EndUtc - o.StartUtc));
        var rooms = await FittingRoomsAsync(connection, schedule.Room.CentreId, form);
        return new ReservationPreview(plan, conflicts, tariff, total, rooms) { OutOfUse = outOfUse };
    }

    public static async Task<IReadOnlyList<FittingRoom>> FittingRoomsAsync(NpgsqlConnection connection, long centreId, ReservationForm form)
    {
        var rows = (await connection.QueryAsync<FittingRoom>("""
            select r.id, r.name, r.capacity,
                   (select count(*) from room_facilities rf where rf.room_id = r.id and rf.facility_code = any(@facilities)) = cardinality(@facilities) as has_facilities,
                   false as fits
            from rooms r where r.centre_id = @centreId and r.active
            order by r.capacity, r.name
            """, new { centreId, facilities = form.Facilities.ToArray() })).ToList();
        // A room out of use at the asked time (a melding) does not fit, whatever its size.
        var outOfUse = (await RoomOutOfUse.InRoomsAsync(connection, rows.Select(r => r.Id).ToList(), AskedSpans(form)))
            .ToLookup(b => b.RoomId);
        return rows.Select(r => r with
        {
            Fits = r.HasFacilities && r.Capacity >= (form.Participants ?? 1) && !outOfUse[r.Id].Any(),
            OutOfUse = outOfUse[r.Id].Any() ? $"Buiten gebruik: {string.Join("; ", outOfUse[r.Id].Select(b => b.Text))}" : null,
        }).ToList();
    }

    /// <summary>The asked activity times (without buffers), when the form has a date and a start and end time; else none.</summary>
    private static IReadOnlyList<(DateTime FromUtc, DateTime UntilUtc)> AskedSpans(ReservationForm form)
    {
        if (form.Date is null || form.StartTime is not { } start || form.EndTime is not { } end || end == start) return [];
        IReadOnlyList<DateOnly> dates;
        try
        {
            dates = form.AllDates();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // A repeat rule that is not valid yet: the form shows its own error; judge the first date only.
            dates = [form.Date.Value];
        }
        var spans = new List<(DateTime, DateTime)>();
        foreach (var date in dates.Take(Recurrence.MaxOccurrences))
        {
            var first = date == form.Date;
            var from = AmsterdamTime.ToUtc(date, start, first ? form.StartOffset : null);
            var until = AmsterdamTime.ToUtc(end > start ? date : date.AddDays(1), end, first ? form.EndOffset : null);
            if (from is not null && until is not null && until > from) spans.Add((from.Value.UtcDateTime, until.Value.UtcDateTime));
        }
        return spans;
    }

    /// <param name="beforeCommit">
    /// Runs inside the transaction that saves the reservation, just before the commit: a caller that records what it
    /// created (the voorkeursplanning's publications) does so all or nothing together with the reservation.
    /// </param>
    public async Task<ReservationOutcome> HandleAsync(ReservationForm form, Booker booker, string baseUrl,
        Func<NpgsqlConnection, NpgsqlTransaction, ReservationCreated, Task>? beforeCommit = null)
    {
        var now = time.GetUtcNow();
        var dates = form.AllDates();
        await using var connection = await dataSource.OpenConnectionAsync();
        var schedule = await RoomSchedule.LoadAsync(connection, null, form.RoomId!.Value, dates[0], dates[^1]);
        if (schedule is null) return ReservationOutcome.Refused([new("RoomId", "Deze ruimte bestaat niet. Kies een ruimte uit de lijst.")]);

        var plan = WithoutExcludedDates(BookingRules.Plan(schedule.Room, schedule.OpeningHours, schedule.Closures, ToRequest(form, booker, dates), AmsterdamTime.Today(time)), form);
        if (!plan.IsValid) return ReservationOutcome.Refused(plan.Violations);

        await using var transaction = await connection.BeginTransactionAsync();
        var occurrences = plan.Occurrences.ToList();
        var skipped = plan.Skipped.ToList();
        var conflicts = await Occurrences.ConflictsAsync(connection, transaction, schedule.Room.RoomId, occurrences);
        IReadOnlyList<Conflict> skippedConflicts = [];
        if (conflicts.Count > 0)
        {
            var busyDates = conflicts.Select(c => c.SeriesDate).ToHashSet();
            if (!form.SkipBusyDates || busyDates.Count == occurrences.Count)
            {
                return ReservationOutcome.Taken(ConflictMessages.Violation(conflicts, occurrences.Count > 1), conflicts);
            }
            occurrences.RemoveAll(o => busyDates.Contains(o.SeriesDate));
            skipped.AddRange(busyDates.Select(d => new SkippedDate(d, "de ruimte is dan al bezet")));
            skippedConflicts = conflicts;
        }
        // Out of use (a melding): refused like a taken slot, with the reason and period; skipped like one when asked.
        var outOfUse = await RoomOutOfUse.OverlappingAsync(connection, transaction, schedule.Room.RoomId, occurrences.Slots());
        if (outOfUse.Count > 0)
        {
            var outDates = outOfUse.Select(x => x.SeriesDate).ToHashSet();
            if (!form.SkipBusyDates || outDates.Count == occurrences.Count)
            {
                return ReservationOutcome.Taken(new RuleViolation("StartTime", RoomOutOfUse.Message(outOfUse.Select(x => x.Block))), []);
            }
            occurrences.RemoveAll(o => outDates.Contains(o.SeriesDate));
            skipped.AddRange(outDates.Select(d => new SkippedDate(d, "de ruimte is dan buiten gebruik")));
        }

        var contact = await ContactAsync(connection, transaction, form, booker);
        var tariff = await Tariff.ForAsync(connection, transaction, schedule.Room.RoomId,
            await BookerCategoryAsync(connection, transaction, contact.OrganisationId));
        var status = booker.Role switch
        {
            FormRole.Staff => ReservationStatus.Confirmed,
            FormRole.Gebruiker => ReservationStatus.Requested,
            _ => ReservationStatus.ConfirmEmail,
        };
        string? token = booker.Role == FormRole.Resident ? AccessTokens.New() : null;
        var recurrence = form.ToRecurrence();

        var reservationId = await connection.ExecuteScalarAsync<long>(InsertReservationSql, new
        {
            centreId = schedule.Room.CentreId, roomId = schedule.Room.RoomId, contact.OrganisationId,
            requesterUserId = booker.Role == FormRole.Gebruiker ? booker.UserId : null,
            createdBy = booker.UserId,
            contact.ContactName, contact.ContactEmail, form.ContactPhone, form.Activity, form.Category, form.Participants,
            targetGroups = form.TargetGroups.ToArray(), form.NeedsKey, form.IsPublic, form.StrengthensCentre, form.Remarks,
            tariffCode = tariff.Code, rateCents = tariff.RateCents,
            Wederdienst = tariff.Code == Tariff.OmNiet ? form.Wederdienst : null,
            status,
            recurrence = recurrence is null ? null : JsonSerializer.Serialize(recurrence, ReservationJson.Options),
            tokenHash = token is null ? null : AccessTokens.Hash(token),
            now,
        }, transaction);

        await connection.ExecuteAsync(InsertDetailsSql, new
        {
            reservationId, codes = form.Facilities.ToArray(),
            skippedDates = skipped.Select(s => s.Date).ToArray(), skippedReasons = skipped.Select(s => s.Reason).ToArray(),
            now, actorId = booker.UserId, actorName = booker.ActorName,
            kind = status == ReservationStatus.Confirmed ? "geboekt" : "aangevraagd",
        }, transaction);

        try
        {
            await Occurrences.InsertAsync(connection, transaction, reservationId, schedule.Room.RoomId, occurrences,
                status == ReservationStatus.Confirmed ? "bevestigd" : "aangevraagd", now);
        }
        catch (PostgresException e) when (e.IsOutOfUse())
        {
            // The room was taken out of use between our check and our insert (a melding): say so, not "taken".
            await transaction.RollbackAsync();
            await using var check = await dataSource.OpenConnectionAsync();
            return ReservationOutcome.Taken(new RuleViolation("StartTime",
                await RoomOutOfUse.MessageAsync(check, null, schedule.Room.RoomId, occurrences.Slots()) ?? RoomOutOfUse.Message([])), []);
        }
        catch (PostgresException e) when (e.IsExclusionViolation())
        {
            // Someone else booked the slot between our check and our insert: the database refused the second one.
            await transaction.RollbackAsync();
            var conflict = await Occurrences.FirstConflictAsync(dataSource, schedule.Room.RoomId, occurrences);
            IReadOnlyList<Conflict> found = conflict is null ? [] : [conflict];
            return ReservationOutcome.Taken(ConflictMessages.Violation(found, occurrences.Count > 1), found);
        }

        var details = (await ReservationDetails.LoadAsync(connection, transaction, reservationId))!;
        var links = new ReservationLinks(baseUrl);
        switch (booker.Role)
        {
            case FormRole.Staff:
                await mails.ConfirmedAsync(connection, transaction, details, await links.ForRequesterAsync(connection, transaction, details, null, now), form.ConfirmationNote);
                break;
            case FormRole.Gebruiker:
                await mails.RequestReceivedAsync(connection, transaction, details, await links.ForRequesterAsync(connection, transaction, details, null, now));
                await mails.NewRequestToBeheerdersAsync(connection, transaction, details, links.Review(reservationId));
                break;
            default:
                await mails.ConfirmEmailAsync(connection, transaction, details, links.Private(token!));
                break;
        }
        if (beforeCommit is not null)
        {
            await beforeCommit(connection, transaction, new ReservationCreated(reservationId, skipped.OrderBy(s => s.Date).ToList(), skippedConflicts));
        }
        await transaction.CommitAsync();
        return new ReservationOutcome(reservationId, status, [], [], skipped.OrderBy(s => s.Date).ToList(), token) { Details = details };
    }

    /// <summary>Leaves the form's excluded dates out of the plan and lists them as skipped (a series only; a single date stays).</summary>
    private static BookingPlan WithoutExcludedDates(BookingPlan plan, ReservationForm form)
    {
        if (form.ExcludedDates.Count == 0) return plan;
        var planned = plan.Occurrences.Select(o => o.SeriesDate).Concat(plan.Skipped.Select(s => s.Date)).ToHashSet();
        var excluded = form.ExcludedDates.Where(d => planned.Contains(d.Date)).GroupBy(d => d.Date).ToDictionary(g => g.Key, g => g.First().Reason);
        var occurrences = plan.Occurrences.Where(o => !excluded.ContainsKey(o.SeriesDate)).ToList();
        var skipped = plan.Skipped.Where(s => !excluded.ContainsKey(s.Date))
            .Concat(excluded.Select(e => new SkippedDate(e.Key, e.Value))).OrderBy(s => s.Date).ToList();
        var violations = plan.Violations.ToList();
        if (occurrences.Count == 0 && violations.Count == 0)
        {
            violations.Add(new RuleViolation("Date", "Op al deze data is de ruimte niet te gebruiken (gesloten of vrij gehouden). Kies andere data."));
        }
        return new BookingPlan(occurrences, skipped, violations);
    }

    private static BookingRequest ToRequest(ReservationForm form, Booker booker, IReadOnlyList<DateOnly> dates) =>
        new(dates, form.StartTime!.Value, form.EndTime!.Value, form.Participants ?? 1, booker.Role == FormRole.Staff,
            form.StartOffset, form.EndOffset, form.IgnoreHorizon);

    /// <summary>Who the reservation is for. The name is null only in a preview of a form not yet filled in.</summary>
    private sealed record Contact(long? OrganisationId, string? ContactName, string? ContactEmail);

    private static async Task<Contact> ContactAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ReservationForm form, Booker booker)
    {
        if (booker.Role == FormRole.Gebruiker)
        {
            var user = await connection.QuerySingleAsync<(string DisplayName, string Email, long? OrganisationId)>(
                "select display_name, email, organisation_id from users where id = @id", new { id = booker.UserId }, transaction);
            return new Contact(user.OrganisationId, form.ContactName ?? user.DisplayName, user.Email);
        }
        return new Contact(booker.Role == FormRole.Staff ? form.OrganisationId : null, form.ContactName, form.ContactEmail);
    }

    /// <summary>The organisation's category decides the tariff; a resident without organisation is "particulier".</summary>
    private static async Task<string> BookerCategoryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long? organisationId) =>
        organisationId is null ? Tariff.Particulier
            : await connection.ExecuteScalarAsync<string?>("select category from organisations where id = @organisationId",
                new { organisationId }, transaction) ?? Tariff.Particulier;
}

public static class AccessTokens
{
    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
}

/// <summary>The links in mails: the requester's own page (or a private link for someone without an account) and the beheerder's review page.</summary>
public sealed record ReservationLinks(string BaseUrl)
{
    private string Root => BaseUrl.TrimEnd('/');

    public string Private(string token) => $"{Root}/reserveren/aanvraag/{token}";

    /// <summary>
    /// Where the requester follows the reservation. A gebruiker has "Mijn reserveringen"; everyone else (a resident,
    /// someone booked for at the desk) gets a private link: the one they already have, or a fresh one stored as a hash.
    /// </summary>
    public async Task<string> ForRequesterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r,
        string? knownToken, DateTimeOffset now)
    {
        if (knownToken is not null) return Private(knownToken);
        if (r.RequesterUserId is not null) return $"{Root}/mijn/reserveringen/{r.Id}";
        if (r.ContactEmail is null) return $"{Root}/buurtcentra/{r.CentreSlug}";
        var token = AccessTokens.New();
        await connection.ExecuteAsync("""
            insert into reservation_access_links (token_hash, reservation_id, created_at) values (@hash, @id, @now)
            """, new { hash = AccessTokens.Hash(token), id = r.Id, now }, transaction);
        return Private(token);
    }

    public string Review(long id) => $"{Root}/beheer/reserveringen/{id}";
}

public static class ConflictMessages
{
    public static RuleViolation Violation(IReadOnlyList<Conflict> conflicts, bool isSeries)
    {
        if (conflicts.Count == 0)
        {
            return new RuleViolation("StartTime", "De ruimte is op dat moment net door iemand anders gereserveerd. Kies een andere tijd of ruimte.");
        }
        var listed = string.Join("; ", conflicts.Take(5).Select(Describe));
        var more = conflicts.Count > 5 ? $" en nog {conflicts.Count - 5} keer" : "";
        return new RuleViolation("StartTime", isSeries
            ? $"De ruimte is al bezet op: {listed}{more}. Kies een andere tijd of ruimte, of vink ‘Sla data over waarop de ruimte bezet is’ aan."
            : $"De ruimte is al bezet: {listed}. Kies een andere tijd of ruimte, of zoek een vrije ruimte.");
    }

    public static string Describe(Conflict c)
    {
        var start = AmsterdamTime.ToLocal(new DateTimeOffset(c.StartUtc, TimeSpan.Zero));
        var end = AmsterdamTime.ToLocal(new DateTimeOffset(c.EndUtc, TimeSpan.Zero));
        return $"{BookingRules.LongDate(DateOnly.FromDateTime(start))} van {start:HH:mm} tot {end:HH:mm} ({c.RoomName})";
    }
}
