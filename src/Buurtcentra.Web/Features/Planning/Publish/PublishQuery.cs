using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Features.Planning.Wishes;
using Buurtcentra.Web.Features.Reservations;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Publish;

/// <summary>
/// What publishing an allocation will do (or did): its dates, the dates left out for a closure, and the other bookings
/// in the way (those dates are left out too).
/// </summary>
public sealed record PublishLine(WishRow Wish, AllocationRow Allocation, string CentreName, string Place,
    IReadOnlyList<DateOnly> Dates, IReadOnlyList<SkippedDate> Skipped, IReadOnlyList<PublishClash> Conflicts, IReadOnlyList<string> Problems,
    PublishedSeries? Published);

/// <summary>The series publishing made for a wish (ReservationId null: nothing could be booked, see the conflicts), and where.</summary>
public sealed record PublishedSeries(long AllocationId, long? ReservationId, GrantedPlace? Place)
{
    public bool SamePlace(AllocationRow allocation) => Place == allocation.Place;
}

/// <summary>
/// Another booking in the way of a date of the series: the date, and what is there (activity, group, room, time).
/// The time and room are unknown only when that booking no longer has an occurrence on the day.
/// </summary>
public sealed record PublishClash(DateOnly Date, long ReservationId, string? Activity, string? Group, string? RoomName, DateTime? StartUtc, DateTime? EndUtc)
{
    public static PublishClash From(Conflict conflict, IReadOnlyDictionary<long, (string Activity, string? Group)> bookings)
    {
        bookings.TryGetValue(conflict.ReservationId, out var booking);
        return new PublishClash(conflict.SeriesDate, conflict.ReservationId, booking.Activity, booking.Group, conflict.RoomName, conflict.StartUtc, conflict.EndUtc);
    }

    /// <summary>"‘Verjaardag’ van Buurman, Zaal 1, 19:30–20:30": what is in the way, without the date.</summary>
    public string What()
    {
        var what = Activity is null ? $"reservering {ReservationId}" : $"‘{Activity}’";
        var who = Group is null ? "" : $" van {Group}";
        var where = RoomName is null ? "" : $", {RoomName}";
        var when = StartUtc is { } start && EndUtc is { } end
            ? $", {AmsterdamTime.ToLocal(new DateTimeOffset(start, TimeSpan.Zero)):HH:mm}–{AmsterdamTime.ToLocal(new DateTimeOffset(end, TimeSpan.Zero)):HH:mm}"
            : "";
        return $"{what}{who}{where}{when}";
    }

    /// <summary>"dinsdag 9 maart 2027: ‘Verjaardag’ van Buurman, Zaal 1, 19:30–20:30".</summary>
    public string Describe() => $"{BookingRules.LongDate(Date)}: {What()}";
}

/// <summary>A date left out of a published series because an existing booking was there; the beheerder resolves it.</summary>
public sealed record PublishConflictRow(long Id, long AllocationId, long WishId, string Activity, string GroupName, long CentreId, DateOnly LocalDate,
    long? ConflictingReservationId, string? ConflictingActivity, string? ConflictingGroup, string? ConflictingRoom, DateTime? ConflictingStart,
    DateTime? ConflictingEnd, DateTime? ResolvedAt)
{
    /// <summary>What was in the way; null when that booking has been deleted since.</summary>
    public PublishClash? Clash => ConflictingReservationId is { } id
        ? new PublishClash(LocalDate, id, ConflictingActivity, ConflictingGroup, ConflictingRoom, ConflictingStart, ConflictingEnd)
        : null;
}

public sealed record PublishPage(BoardRound Round, ProposalRow? Proposal, IReadOnlyList<PublishLine> Lines, int NotGranted,
    IReadOnlyList<PublishConflictRow> Conflicts)
{
    public bool PhaseAllowsPublishing => Round.Phase == RoundPhase.Adopted;
    public bool CanPublish => PhaseAllowsPublishing && Round.ManagesAll && Proposal is not null;
    public string Url => $"/beheer/planning/rondes/{Round.Id}/publiceren";
    public IEnumerable<PublishLine> ToPublish => Lines.Where(l => l.Published is null);
}

/// <summary>
/// The dry run before publishing, and what publishing did afterwards, per granted allocation of the latest proposal
/// (for the centres the person manages). Not yet published: the season's dates in its weeks, minus the round's closures
/// and the centre's closure days, and the confirmed bookings that are in the way (they are left out of the series, not
/// overwritten); it asks the reservations code itself (<see cref="RequestReservationHandler.PreviewAsync"/>), so the dry
/// run shows what publishing will do. Published: the series as it was made (its own dates, the dates it left out) and
/// the other bookings that were in the way, never the series' own dates.
/// </summary>
public sealed class PublishQuery(NpgsqlDataSource dataSource, RequestReservationHandler reservations, TimeProvider time)
{
    public async Task<PublishPage> LoadAsync(BoardRound round)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var proposal = await BoardData.LatestProposalAsync(connection, round.Id);
        var conflicts = await ConflictsAsync(connection, round);
        if (proposal is null) return new PublishPage(round, null, [], 0, conflicts);

        var wishes = (await BoardData.WishesAsync(connection, round.Id, round.CentreIds)).ToDictionary(w => w.Id);
        var allocations = (await BoardData.AllocationsAsync(connection, proposal.Id, round.CentreIds)).Where(a => wishes.ContainsKey(a.WishId)).ToList();
        var names = await ExplanationNames.LoadAsync(connection, round.Id);
        var closures = await BoardData.ClosuresAsync(connection, round.Id);
        var published = await PublishedAsync(connection, round.Id);
        var series = await SeriesAsync(connection, published.Values.Select(p => p.ReservationId).OfType<long>().ToArray());
        var rooms = (await connection.QueryAsync<BoardRoom>(
            "select id, name, capacity, active, setup_minutes, cleanup_minutes from rooms where id = any(@ids)",
            new { ids = allocations.Where(a => a.RoomId is not null).Select(a => a.RoomId!.Value).Distinct().ToArray() })).ToDictionary(r => r.Id);
        var contacts = await PublishContacts.LoadAsync(connection, wishes.Values);
        var from = AmsterdamTime.Today(time).AddDays(1);

        var granted = allocations.Where(a => a.Place is not null).ToList();
        var slots = granted.Select(a => new BoardSlot(a.WishId, a.Place!.RoomId, a.Place.Weekday, a.Place.StartMinute, a.Place.EndMinute,
            wishes[a.WishId].PlanFrequency, a.Place.Lane)).ToList();
        var lines = new List<(PublishLine Line, IReadOnlyList<Conflict> Busy)>();
        foreach (var allocation in granted.OrderBy(a => names.Centres.GetValueOrDefault(wishes[a.WishId].CentreId), StringComparer.CurrentCulture)
                     .ThenBy(a => a.Place!.Weekday).ThenBy(a => a.Place!.StartMinute))
        {
            var wish = wishes[allocation.WishId];
            var place = allocation.Place!;
            var centreName = names.Centres.GetValueOrDefault(wish.CentreId, "");
            var placeText = ExplanationText.Place(place, wish.Explained, names);
            if (published.GetValueOrDefault(wish.Id) is { } done)
            {
                // What publishing did. A new dry run would find the series itself in the way of its own dates.
                var clashes = conflicts.Where(c => c.AllocationId == done.AllocationId).Select(c => c.Clash).OfType<PublishClash>().ToList();
                var made = done.ReservationId is { } id ? series.GetValueOrDefault(id) : null;
                var clashDates = clashes.Select(c => c.Date).ToHashSet();
                lines.Add((new PublishLine(wish, allocation, centreName, placeText, made?.Dates ?? [],
                    (made?.Skipped ?? []).Where(d => !clashDates.Contains(d.Date)).ToList(), clashes, [], done), []));
                continue;
            }

            var problems = new List<string>();
            var room = rooms.GetValueOrDefault(place.RoomId);
            var slot = slots.First(s => s.WishId == wish.Id);
            foreach (var other in BoardRules.Conflicts(slot, slots, room?.SetupMinutes ?? 0, room?.CleanupMinutes ?? 0))
            {
                problems.Add(BoardRules.Meet(slot, other)
                    ? $"Overlapt met ‘{wishes[other.WishId].Activity}’ ({BoardFormat.Span(other.StartMinute, other.EndMinute)}). De reeks die als tweede wordt gemaakt, slaat die data over."
                    : $"Zit te dicht op ‘{wishes[other.WishId].Activity}’ ({BoardFormat.Span(other.StartMinute, other.EndMinute)}): de ruimte heeft tijd nodig om op te bouwen of op te ruimen. De reeks die als tweede wordt gemaakt, slaat die data over.");
            }
            IReadOnlyList<DateOnly> dates = [];
            IReadOnlyList<SkippedDate> skipped = [];
            IReadOnlyList<Conflict> busy = [];
            var form = PublishForms.For(round, wish, place, closures, from, contacts, "");
            if (form is null)
            {
                problems.Add("Er is in het seizoen geen datum meer over voor deze reeks.");
            }
            else
            {
                var preview = await reservations.PreviewAsync(form, PublishForms.Booker(0, ""));
                if (preview is null)
                {
                    problems.Add("De ruimte bestaat niet meer.");
                }
                else
                {
                    problems.AddRange(preview.Plan.Violations.Select(v => v.Message));
                    // Publishing leaves the dates with a booking in the way out of the series (SkipBusyDates).
                    var taken = preview.Conflicts.Select(c => c.SeriesDate).ToHashSet();
                    dates = preview.Plan.Occurrences.Select(o => o.SeriesDate).Where(d => !taken.Contains(d)).ToList();
                    skipped = preview.Plan.Skipped;
                    busy = preview.Conflicts;
                }
            }
            if (contacts.GetValueOrDefault(wish.Id) is null)
            {
                problems.Add("Er is geen e-mailadres van de groep bekend: de groep krijgt geen bevestiging per mail.");
            }
            lines.Add((new PublishLine(wish, allocation, centreName, placeText, dates, skipped, [], problems, null), busy));
        }

        var bookings = await BookingsAsync(connection, lines.SelectMany(l => l.Busy).Select(c => c.ReservationId).Distinct().ToArray());
        return new PublishPage(round, proposal,
            lines.Select(l => l.Busy.Count == 0 ? l.Line : l.Line with { Conflicts = l.Busy.Select(c => PublishClash.From(c, bookings)).ToList() }).ToList(),
            allocations.Count(a => a.Place is null), conflicts);
    }

    private sealed record SeriesMade(IReadOnlyList<DateOnly> Dates, IReadOnlyList<SkippedDate> Skipped);

    /// <summary>The published series' confirmed dates and the dates they left out, per reservation.</summary>
    private static async Task<Dictionary<long, SeriesMade>> SeriesAsync(NpgsqlConnection connection, long[] reservationIds)
    {
        if (reservationIds.Length == 0) return [];
        using var grid = await connection.QueryMultipleAsync("""
            select reservation_id, series_date from occurrences where reservation_id = any(@reservationIds) and status = 'bevestigd' order by series_date;
            select reservation_id, local_date, reason from reservation_skipped_dates where reservation_id = any(@reservationIds) order by local_date;
            """, new { reservationIds });
        var dates = (await grid.ReadAsync<(long ReservationId, DateOnly Date)>()).ToLookup(d => d.ReservationId, d => d.Date);
        var skipped = (await grid.ReadAsync<(long ReservationId, DateOnly Date, string Reason)>()).ToLookup(d => d.ReservationId, d => new SkippedDate(d.Date, d.Reason));
        return reservationIds.ToDictionary(id => id, id => new SeriesMade(dates[id].ToList(), skipped[id].ToList()));
    }

    /// <summary>What the bookings in the way are: their activity and who booked them (the organisation, else the contact).</summary>
    private static async Task<Dictionary<long, (string Activity, string? Group)>> BookingsAsync(NpgsqlConnection connection, long[] reservationIds) =>
        reservationIds.Length == 0
            ? []
            : (await connection.QueryAsync<(long Id, string Activity, string? Group)>("""
                select r.id, r.activity, coalesce(o.name, r.contact_name) from reservations r left join organisations o on o.id = r.organisation_id
                where r.id = any(@reservationIds)
                """, new { reservationIds })).ToDictionary(r => r.Id, r => (r.Activity, r.Group));

    /// <summary>Per wish of the round: the series publishing made for it (any version of the proposal).</summary>
    public static async Task<Dictionary<long, PublishedSeries>> PublishedAsync(NpgsqlConnection connection, long roundId, NpgsqlTransaction? transaction = null) =>
        (await connection.QueryAsync<PublishedRow>("""
            select a.wish_id, pp.allocation_id, pp.reservation_id, a.room_id, a.weekday::int as weekday, a.starts_at, a.ends_at, a.lane::int as lane
            from planning_publications pp
            join planning_allocations a on a.id = pp.allocation_id
            join planning_proposals p on p.id = a.proposal_id
            where p.round_id = @roundId
            order by pp.published_at, a.id
            """, new { roundId }, transaction))
        .GroupBy(r => r.WishId)
        .ToDictionary(g => g.Key, g => new PublishedSeries(g.First().AllocationId, g.First().ReservationId, g.First().Place));

    public sealed record PublishedRow(long WishId, long AllocationId, long? ReservationId, long? RoomId, int? Weekday, TimeOnly? StartsAt, TimeOnly? EndsAt, int Lane)
    {
        public GrantedPlace? Place => RoomId is { } room && Weekday is { } day && StartsAt is { } start && EndsAt is { } end
            ? new GrantedPlace(room, day, BoardFormat.Minutes(start), BoardFormat.Minutes(end), Lane)
            : null;
    }

    /// <summary>
    /// The dates publishing left out because of another booking, with what that booking is: its activity and group, and
    /// its occurrence on that day (room and time).
    /// </summary>
    private static async Task<IReadOnlyList<PublishConflictRow>> ConflictsAsync(NpgsqlConnection connection, BoardRound round) =>
        (await connection.QueryAsync<PublishConflictRow>("""
            select c.id, c.allocation_id, w.id as wish_id, w.activity, w.group_name, w.centre_id, c.local_date, c.conflicting_reservation_id,
                   r.activity as conflicting_activity, coalesce(org.name, r.contact_name) as conflicting_group,
                   x.room_name as conflicting_room, x.starts_at as conflicting_start, x.ends_at as conflicting_end, c.resolved_at
            from planning_publish_conflicts c
            join planning_allocations a on a.id = c.allocation_id
            join planning_wishes w on w.id = a.wish_id
            left join reservations r on r.id = c.conflicting_reservation_id
            left join organisations org on org.id = r.organisation_id
            left join lateral (
                select rm.name as room_name, o.starts_at, o.ends_at
                from occurrences o join rooms rm on rm.id = o.room_id
                where o.reservation_id = c.conflicting_reservation_id
                  and o.blocked_until > (c.local_date::timestamp at time zone 'Europe/Amsterdam')
                  and o.blocked_from < ((c.local_date + 1)::timestamp at time zone 'Europe/Amsterdam')
                order by o.starts_at limit 1
            ) x on true
            where w.round_id = @roundId and w.centre_id = any(@centreIds)
            order by c.resolved_at nulls first, c.local_date, w.activity
            """, new { roundId = round.Id, centreIds = round.CentreIds })).ToList();
}

/// <summary>Who gets the series and its mail: the wish's contact, else the organisation's address, else whoever handed it in.</summary>
public static class PublishContacts
{
    public static async Task<Dictionary<long, string?>> LoadAsync(NpgsqlConnection connection, IEnumerable<WishRow> wishes, NpgsqlTransaction? transaction = null)
    {
        var ids = wishes.Select(w => w.Id).ToArray();
        return (await connection.QueryAsync<(long Id, string? Email)>("""
            select w.id, coalesce(w.contact_email, o.contact_email, u.email) as email
            from planning_wishes w
            left join organisations o on o.id = w.organisation_id
            left join users u on u.id = w.submitted_by_user_id
            where w.id = any(@ids)
            """, new { ids }, transaction)).ToDictionary(r => r.Id, r => r.Email);
    }
}

/// <summary>The reservation form for a granted allocation, through the reservations code.</summary>
public static class PublishForms
{
    public static Booker Booker(long userId, string actorName) => new(FormRole.Staff, userId == 0 ? null : userId, actorName);

    public static ReservationForm? For(BoardRound round, WishRow wish, GrantedPlace place, IReadOnlyList<RoundClosure> closures, DateOnly from,
        IReadOnlyDictionary<long, string?> contacts, string explanation)
    {
        var form = PublishSeason.Form(round.SeasonStart, round.SeasonEnd, place.Weekday, wish.PlanFrequency, place.Lane, wish.CentreId, closures, from);
        if (form is null) return null;
        var contactName = (wish.ContactName ?? wish.GroupName).Trim();
        form.RoomId = place.RoomId;
        form.StartTime = BoardFormat.ToTime(place.StartMinute);
        form.EndTime = BoardFormat.ToTime(place.EndMinute);
        form.Activity = wish.Activity;
        form.Category = wish.Category;
        form.Participants = wish.Participants;
        form.TargetGroups = wish.TargetGroups.ToList();
        form.Facilities = wish.Facilities.ToList();
        form.IsPublic = wish.IsPublic;
        form.Remarks = $"Voorkeursplanning {round.Name}";
        form.ContactName = contactName.Length > ReservationForm.NameMax ? contactName[..ReservationForm.NameMax] : contactName;
        form.ContactEmail = contacts.GetValueOrDefault(wish.Id);
        form.OrganisationId = wish.OrganisationId;
        form.Role = FormRole.Staff;
        // The round's season is what was agreed on, however far ahead it lies: the horizon is for ad-hoc requests only.
        form.IgnoreHorizon = true;
        form.ConfirmationNote = $"Dit is het resultaat van de voorkeursplanning ‘{round.Name}’. {explanation}".Trim();
        return form;
    }
}
