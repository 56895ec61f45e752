using System.Text.Json;
using Buurtcentra.Web.Features.Tariffs;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

public sealed record OccurrenceRow(long Id, DateOnly SeriesDate, DateTime StartsAt, DateTime EndsAt, string Status, bool IsException,
    int Sequence, long RoomId, string RoomName)
{
    public DateTime LocalStart => AmsterdamTime.ToLocal(new DateTimeOffset(StartsAt, TimeSpan.Zero));
    public DateTime LocalEnd => AmsterdamTime.ToLocal(new DateTimeOffset(EndsAt, TimeSpan.Zero));
}

public sealed record ReservationEvent(DateTime OccurredAt, string ActorName, string Kind, string? Note)
{
    public DateTime LocalTime => AmsterdamTime.ToLocal(new DateTimeOffset(OccurredAt, TimeSpan.Zero));
}

/// <summary>Everything shown about one reservation: on its page, in "Mijn reserveringen", in mails and invitations.</summary>
public sealed record ReservationDetails
{
    public long Id { get; init; }
    public Guid Uid { get; init; }
    public string Status { get; init; } = "";
    public long CentreId { get; init; }
    public string CentreName { get; init; } = "";
    public string CentreSlug { get; init; } = "";
    public string CentreAddress { get; init; } = "";
    public long RoomId { get; init; }
    public string RoomName { get; init; } = "";
    public long? OrganisationId { get; init; }
    public string? OrganisationName { get; init; }
    public long? RequesterUserId { get; init; }
    public string ContactName { get; init; } = "";
    public string? ContactEmail { get; init; }
    public string? ContactPhone { get; init; }
    public string Activity { get; init; } = "";
    public string Category { get; init; } = "";
    public int Participants { get; init; }
    public string[] TargetGroups { get; init; } = [];
    public bool NeedsKey { get; init; }
    public bool IsPublic { get; init; }
    public string? StrengthensCentre { get; init; }
    public string? Remarks { get; init; }
    public string Tariff { get; init; } = "";
    public int RateCents { get; init; }
    public string? Wederdienst { get; init; }
    public string? DecisionReason { get; init; }
    public string? RecurrenceJson { get; init; }
    public int Sequence { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>The reservation this one continues after a change of "this and following" dates.</summary>
    public long? ContinuedFrom { get; init; }
    /// <summary>The reservation that continues this one, if its later dates were changed.</summary>
    public long? ContinuedIn { get; init; }
    public IReadOnlyList<OccurrenceRow> Occurrences { get; init; } = [];
    public IReadOnlyList<SkippedDate> Skipped { get; init; } = [];
    public IReadOnlyList<ReservationEvent> Events { get; init; } = [];
    public IReadOnlyList<string> FacilityNames { get; init; } = [];

    public Recurrence? Recurrence => RecurrenceJson is null ? null : JsonSerializer.Deserialize<Recurrence>(RecurrenceJson, ReservationJson.Options);

    /// <summary>
    /// The date the repeat rule starts from: the first date asked, which may itself have been left out (a closure day).
    /// Rules stored before that date was kept: the earliest booked or skipped date (both are dates of the rule).
    /// </summary>
    public DateOnly RuleFirstDate => Recurrence?.FirstDate
        ?? Occurrences.Select(o => o.SeriesDate).Concat(Skipped.Select(s => s.Date)).DefaultIfEmpty().Min();

    public IEnumerable<OccurrenceRow> Active => Occurrences.Where(o => o.Status is "aangevraagd" or "bevestigd");

    public Tariff TariffInfo => new(Tariff, RateCents);

    /// <summary>What all active dates together cost.</summary>
    public long TotalCents => Active.Sum(o => TariffInfo.AmountCents(o.EndsAt - o.StartsAt));

    public string StatusName => ReservationStatus.Name(Status);

    /// <summary>"dinsdag 2 maart 2027, 19:00–21:00" or "elke week op dinsdag, 19:00–21:00, 10 keer (eerste keer 2 maart 2027)".</summary>
    public string When
    {
        get
        {
            var active = Active.ToList();
            var shown = active.Count > 0 ? active : Occurrences.ToList();
            if (shown.Count == 0) return "";
            var first = shown[0];
            var times = $"{first.LocalStart:HH:mm}–{first.LocalEnd:HH:mm}";
            if (shown.Count == 1) return $"{BookingRules.LongDate(DateOnly.FromDateTime(first.LocalStart))}, {times}";
            // The rule's pattern, then the dates that really take place: how often and from when to when.
            var pattern = Recurrence?.Describe(RuleFirstDate) ?? "op losse data";
            return $"{pattern}, {times}; {shown.Count} keer, van {BookingRules.LongDate(DateOnly.FromDateTime(first.LocalStart))} tot en met {BookingRules.LongDate(DateOnly.FromDateTime(shown[^1].LocalStart))}";
        }
    }

    public static async Task<ReservationDetails?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id)
    {
        using var grid = await connection.QueryMultipleAsync("""
            select r.id, r.uid, r.status, r.centre_id, c.name as centre_name, c.slug as centre_slug,
                   c.street || ', ' || c.postcode || ' ' || c.city as centre_address,
                   r.room_id, rm.name as room_name, r.organisation_id, o.name as organisation_name, r.requester_user_id,
                   r.contact_name, r.contact_email, r.contact_phone, r.activity, r.category, r.participants, r.target_groups,
                   r.needs_key, r.is_public, r.strengthens_centre, r.remarks, r.tariff, r.rate_cents, r.wederdienst,
                   r.decision_reason, r.recurrence::text as recurrence_json, r.sequence, r.created_at,
                   r.continued_from, (select max(n.id) from reservations n where n.continued_from = r.id) as continued_in
            from reservations r
            join centres c on c.id = r.centre_id
            join rooms rm on rm.id = r.room_id
            left join organisations o on o.id = r.organisation_id
            where r.id = @id;

            select o.id, o.series_date, o.starts_at, o.ends_at, o.status, o.is_exception, o.sequence, o.room_id, rm.name as room_name
            from occurrences o join rooms rm on rm.id = o.room_id
            where o.reservation_id = @id
            order by o.series_date;

            select local_date as date, reason from reservation_skipped_dates where reservation_id = @id order by local_date;

            select occurred_at, actor_name, kind, note from reservation_events where reservation_id = @id order by occurred_at, id;

            select f.name from reservation_facilities rf join facilities f on f.code = rf.facility_code
            where rf.reservation_id = @id order by f.sort_order;
            """, new { id }, transaction);
        var details = await grid.ReadSingleOrDefaultAsync<ReservationDetails>();
        if (details is null) return null;
        return details with
        {
            Occurrences = (await grid.ReadAsync<OccurrenceRow>()).ToList(),
            Skipped = (await grid.ReadAsync<SkippedDate>()).ToList(),
            Events = (await grid.ReadAsync<ReservationEvent>()).ToList(),
            FacilityNames = (await grid.ReadAsync<string>()).ToList(),
        };
    }
}

public static class ReservationStatus
{
    public const string ConfirmEmail = "e_mail_bevestigen";
    public const string Requested = "aangevraagd";
    public const string Proposed = "voorstel";
    public const string Confirmed = "bevestigd";
    public const string Rejected = "afgewezen";
    public const string Cancelled = "geannuleerd";

    public static string Name(string status) => status switch
    {
        ConfirmEmail => "Wacht op bevestiging van het e-mailadres",
        Requested => "Aangevraagd",
        Proposed => "Voorstel van de beheerder",
        Confirmed => "Bevestigd",
        Rejected => "Afgewezen",
        Cancelled => "Geannuleerd",
        _ => status,
    };

    public static string EventName(string kind) => kind switch
    {
        "aangevraagd" => "Aanvraag verstuurd",
        "e_mail_bevestigd" => "E-mailadres bevestigd",
        "geboekt" => "Geboekt door de beheerder",
        "bevestigd" => "Goedgekeurd",
        "afgewezen" => "Afgewezen",
        "voorstel" => "Ander voorstel gedaan",
        "voorstel_aanvaard" => "Voorstel aangenomen",
        "voorstel_afgewezen" => "Voorstel niet aangenomen",
        "geannuleerd" => "Geannuleerd",
        "datum_geannuleerd" => "Eén datum geannuleerd",
        "vanaf_geannuleerd" => "Geannuleerd vanaf een datum",
        "datum_verplaatst" => "Eén datum verplaatst",
        "reeks_gewijzigd" => "Herhaling gewijzigd",
        _ => kind,
    };
}

public static class ReservationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
