using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Buurtcentra.Web.Infrastructure.Calendar;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Feeds;

/// <summary>
/// One occurrence as a feed reads it, in the column order of the queries (Dapper maps records by position). Contact
/// columns are null in public feeds: they are not even selected.
/// </summary>
/// <param name="RowModified">Last change of the occurrence, its reservation or its organisation.</param>
public sealed record FeedRow(
    long OccurrenceId, long ReservationId, long RoomId, DateTime StartsAt, DateTime EndsAt, DateTime BlockedFrom, DateTime BlockedUntil,
    string Status, string ReservationStatus, bool IsPublic, int Participants, bool NeedsKey, DateTime RowModified,
    string? Activity, string? ContactName, string? ContactEmail, string? ContactPhone, string? OrganisationName);

/// <summary>A room of the feed with its centre: read once per feed, not once per occurrence.</summary>
public sealed record FeedRoom(long Id, string Name, long CentreId, string CentreName, string Street, string Postcode, string City, DateTime UpdatedAt)
{
    public string Location { get; } = $"{Name}, {CentreName}, {Street}, {Postcode} {City}";
}

/// <summary>
/// Builds the calendar feeds and their versions. The feed is one VEVENT per occurrence (expanded, no RRULE): a moved,
/// cancelled or split-off date is simply its own event, so no exception can get lost in a client's rule engine.
/// <list type="bullet">
/// <item>UID: from the occurrence row, which keeps its id through moves, series changes and splits.</item>
/// <item>LAST-MODIFIED and DTSTAMP: the last change of the occurrence, its reservation, organisation, room or centre.</item>
/// <item>SEQUENCE: that instant in whole seconds since 2024-01-01 UTC. Not every change path raises
/// reservations.sequence or occurrences.sequence (approving, rejecting, proposing, renaming a room do not), but every
/// one sets updated_at, so this number rises with every change the feed shows and never goes down.</item>
/// </list>
/// The version (ETag) comes from the change counters of the feed's centres, the scope and the window's day: any
/// change that alters the text alters at least one of them. Bench: call <see cref="PublicCentreAsync"/> once, then
/// <see cref="VersionAsync(FeedScope, FeedWindow)"/> (the 304 path) and <see cref="RenderAsync(FeedScope, FeedWindow)"/>
/// (a full build).
/// </summary>
public sealed class CalendarFeedQuery(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Raise when the text of a feed changes for the same data (a new property, another wording).</summary>
    public const int FormatVersion = 1;

    public const string UidDomain = "buurtcentra.utrecht.example";

    /// <summary>Calendar apps are asked to fetch again after this long (Outlook and Google decide for themselves).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromHours(1);

    private static readonly DateTime SequenceEpoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public FeedWindow Window() => FeedWindow.At(time);

    /// <summary>The public feed of an active centre, or null.</summary>
    public async Task<FeedScope?> PublicCentreAsync(string slug)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var centre = await connection.QuerySingleOrDefaultAsync<(long Id, string Name, DateTime UpdatedAt)?>(
            "select id, name, updated_at from centres where slug = @slug and active", new { slug });
        if (centre is not { } c) return null;
        return new FeedScope(FeedKind.Centre, c.Id, [c.Id], new HashSet<long>(), $"{c.Name} (buurtcentrum)",
            $"Openbare activiteiten in {c.Name}. Ander gebruik van de ruimtes staat er als ‘Bezet’.", c.UpdatedAt);
    }

    /// <summary>The public programme of a wijk: its active centres, or null for an unknown wijk.</summary>
    public async Task<FeedScope?> PublicWijkAsync(string slug)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var wijk = await connection.QuerySingleOrDefaultAsync<(short Id, string Name)?>("select id, name from wijken where slug = @slug", new { slug });
        if (wijk is not { } w) return null;
        var centres = (await connection.QueryAsync<long>("select id from centres where wijk_id = @id and active order by id", new { id = w.Id })).ToList();
        return new FeedScope(FeedKind.Wijk, w.Id, centres, new HashSet<long>(), $"Wijk {w.Name}: activiteiten in de buurtcentra",
            $"Openbare activiteiten in de buurtcentra van wijk {w.Name}.", DateTime.MinValue);
    }

    public Task<FeedVersion> VersionAsync(FeedScope scope) => VersionAsync(scope, Window());

    /// <summary>
    /// ETag and Last-Modified without building the feed: the change counters of the feed's centres (raised by
    /// triggers in the same transaction as any change, see db/migrations/0006), the scope and the window's day.
    /// </summary>
    public async Task<FeedVersion> VersionAsync(FeedScope scope, FeedWindow window)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var counters = (await connection.QueryAsync<(long CentreId, long Version, DateTime ChangedAt)>(
            scope.Kind == FeedKind.Organisation
                ? """
                  select centre_id, version, changed_at from calendar_feed_versions
                  where centre_id in (select centre_id from reservations where organisation_id = @targetId)
                  order by centre_id
                  """
                : "select centre_id, version, changed_at from calendar_feed_versions where centre_id = any(@centreIds) order by centre_id",
            new { targetId = scope.TargetId, centreIds = scope.CentreIds.ToArray() })).ToList();
        var text = new StringBuilder().AppendJoin('|', FormatVersion, scope.Key, window.Today.DayNumber).Append('|')
            .AppendJoin(',', counters.Select(c => $"{c.CentreId}:{c.Version}")).ToString();
        var etag = "\"" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 18).Replace('+', '-').Replace('/', '_') + "\"";
        var latest = counters.Select(c => c.ChangedAt).Append(scope.HeaderUpdatedAt).Append(window.TodayStartUtc).Max();
        return new FeedVersion(etag, WholeSeconds(latest));
    }

    public Task<string> RenderAsync(FeedScope scope) => RenderAsync(scope, Window());

    /// <summary>
    /// The full iCalendar text of the feed: its rooms in one query, its occurrences in another, one round trip. Private
    /// room and staff feeds also get the planned repair visits of meldingen in their rooms (a second round trip).
    /// </summary>
    public async Task<string> RenderAsync(FeedScope scope, FeedWindow window)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        Dictionary<long, FeedRoom> rooms;
        List<FeedRow> rows;
        await using (var batch = await connection.QueryMultipleAsync($"""
            select m.id, m.name, c.id as centre_id, c.name as centre_name, c.street, c.postcode, c.city,
                   greatest(m.updated_at, c.updated_at) as updated_at
            from rooms m join centres c on c.id = m.centre_id
            where {RoomCondition(scope)};

            select {(scope.IsPublic ? PublicColumns : DetailColumns)}
            {From(scope)}
              and (o.status = 'bevestigd'
                   or (@includeRequests and o.status = 'aangevraagd' and r.status in ('aangevraagd', 'voorstel'))
                   or (o.status in ('geannuleerd', 'afgewezen') and o.updated_at >= @from
                       and (@includeRequests or (o.status = 'geannuleerd' and exists (
                           select 1 from reservation_events e
                           where e.reservation_id = o.reservation_id and e.kind in ('geboekt', 'bevestigd', 'voorstel_aanvaard'))))))
              and (not @publicOnly or r.is_public)
            order by o.starts_at, o.id;
            """, Parameters(scope, window)))
        {
            rooms = (await batch.ReadAsync<FeedRoom>()).ToDictionary(r => r.Id);
            rows = (await batch.ReadAsync<FeedRow>()).AsList();
        }
        var visits = scope.Kind is FeedKind.Room or FeedKind.Staff
            ? (await Meldingen.RepairVisits.InWindowAsync(connection, scope.Kind == FeedKind.Staff ? scope.CentreIds : null,
                    scope.Kind == FeedKind.Room ? scope.TargetId : null, window.FromUtc, window.ToUtc, cancelledSince: window.FromUtc))
                .Where(v => v.IsVisit && rooms.ContainsKey(v.RoomId)).ToList()
            : [];

        var writer = new CalendarFeedWriter(scope.CalendarName, scope.CalendarDescription, RefreshInterval, window.FromUtc,
            4096 + rows.Count * (scope.IsPublic ? 400 : 700));
        foreach (var row in rows) writer.Add(ToEvent(scope, row, rooms[row.RoomId]));
        foreach (var visit in visits) writer.Add(ToEvent(scope, visit, rooms[visit.RoomId]));
        return writer.Finish();
    }

    public static string VisitUid(long visitId) => $"bc-visit-{visitId}@{UidDomain}";

    /// <summary>
    /// A repair visit of a melding: "Onderhoud: Kapot of defect", without personal data (no description of the problem,
    /// no names); the link leads to the melding for staff.
    /// </summary>
    private static FeedEvent ToEvent(FeedScope scope, Meldingen.MaintenanceEntry visit, FeedRoom room)
    {
        var modified = visit.UpdatedAt > room.UpdatedAt ? visit.UpdatedAt : room.UpdatedAt;
        var cancelled = visit.CancelledAt is not null;
        var link = scope.Links == FeedLinks.Beheer && visit.MeldingId is { } id ? $"{scope.LinkBase}/beheer/meldingen/{id}" : null;
        var lines = new List<string>
        {
            cancelled ? "Dit bezoek gaat niet door." : "Bezoek om een melding op te lossen.",
        };
        if (visit.BlocksRoom && !cancelled) lines.Add("De ruimte kan dan niet worden gereserveerd.");
        if (visit.MeldingId is { } meldingId) lines.Add($"Melding {meldingId}");
        if (link is not null) lines.Add($"Bekijken: {link}");
        return new FeedEvent(VisitUid(visit.Id), Sequence(modified), visit.StartsAt, visit.EndsAt, modified,
            cancelled ? $"Afgezegd: {visit.Title}" : visit.Title, string.Join('\n', lines), room.Location,
            cancelled ? "CANCELLED" : "CONFIRMED", "PRIVATE", link);
    }

    /// <summary>
    /// "Zet in mijn agenda": one public, confirmed occurrence of an active centre as a calendar file of its own, with
    /// the same UID as in the feeds. Null for anything else (not public, pending, cancelled, unknown).
    /// </summary>
    public async Task<(string Text, FeedVersion Version, string FileName)?> PublicActivityAsync(long occurrenceId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = await connection.QueryMultipleAsync($"""
            select m.id, m.name, c.id as centre_id, c.name as centre_name, c.street, c.postcode, c.city,
                   greatest(m.updated_at, c.updated_at) as updated_at
            from occurrences o join rooms m on m.id = o.room_id join centres c on c.id = m.centre_id
            where o.id = @occurrenceId;

            select {PublicColumns}
            from occurrences o
            join reservations r on r.id = o.reservation_id
            join rooms m on m.id = o.room_id
            join centres c on c.id = m.centre_id
            left join organisations g on g.id = r.organisation_id
            where o.id = @occurrenceId and o.status = 'bevestigd' and r.is_public and c.active;
            """, new { occurrenceId });
        var room = await batch.ReadSingleOrDefaultAsync<FeedRoom>();
        var row = await batch.ReadSingleOrDefaultAsync<FeedRow>();
        if (room is null || row is null) return null;
        var scope = new FeedScope(FeedKind.Centre, room.CentreId, [room.CentreId], new HashSet<long>(), row.Activity!, null, DateTime.MinValue);
        var e = ToEvent(scope, row, room);
        var writer = new CalendarFeedWriter(row.Activity!, null, RefreshInterval, row.StartsAt);
        writer.Add(e);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{FormatVersion}|{occurrenceId}|{e.LastModifiedUtc.Ticks}")))[..24] + "\"";
        var fileName = $"{Slug(row.Activity!)}-{AmsterdamTime.ToLocal(Utc(row.StartsAt)):yyyy-MM-dd}.ics";
        return (writer.Finish(), new FeedVersion(etag, WholeSeconds(e.LastModifiedUtc)), fileName);
    }

    public static string Uid(long occurrenceId) => $"bc-occurrence-{occurrenceId}@{UidDomain}";

    /// <summary>Whole seconds since 2024-01-01 UTC of the last change: rises with every change, never falls.</summary>
    public static long Sequence(DateTime lastModifiedUtc) => Math.Max(0, (long)Math.Floor((lastModifiedUtc - SequenceEpoch).TotalSeconds));

    // The occurrence's own columns; its room and centre come from the room query. LAST-MODIFIED is the latest of this
    // and the room's (room and centre) change: every table a feed's text is read from.
    private const string CommonColumns = """
        o.id as occurrence_id, o.reservation_id, o.room_id, o.starts_at, o.ends_at, o.blocked_from, o.blocked_until, o.status,
        r.status as reservation_status, r.is_public, r.participants, r.needs_key,
        greatest(o.updated_at, r.updated_at, g.updated_at) as row_modified
        """;

    /// <summary>Public feeds: the title only of public activities, nothing about who booked.</summary>
    private const string PublicColumns = $"""
        {CommonColumns},
        case when r.is_public then r.activity end as activity,
        null::text as contact_name, null::text as contact_email, null::text as contact_phone, null::text as organisation_name
        """;

    private const string DetailColumns = $"""
        {CommonColumns},
        r.activity, r.contact_name, r.contact_email, r.contact_phone, g.name as organisation_name
        """;

    /// <summary>The rooms whose occurrences can be in the feed (for an organisation: of the centres where it booked).</summary>
    private static string RoomCondition(FeedScope scope) => scope.Kind switch
    {
        FeedKind.Room => "m.id = @targetId",
        FeedKind.Organisation => "m.centre_id in (select centre_id from reservations where organisation_id = @targetId)",
        _ => "m.centre_id = any(@centreIds)",
    };

    /// <summary>
    /// The occurrences of a feed's window, all statuses (the caller filters). Bounded on both sides of starts_at (an
    /// activity lasts at most 24 hours) so that the (room_id, starts_at) index is used.
    /// </summary>
    private static string From(FeedScope scope)
    {
        var (tables, condition) = scope.Kind switch
        {
            FeedKind.Organisation => ("""
                from reservations r
                join occurrences o on o.reservation_id = r.id
                """, "r.organisation_id = @targetId"),
            FeedKind.Room => ("""
                from occurrences o
                join reservations r on r.id = o.reservation_id
                """, "o.room_id = @targetId"),
            _ => ("""
                from rooms m
                join occurrences o on o.room_id = m.id
                join reservations r on r.id = o.reservation_id
                """, "m.centre_id = any(@centreIds)"),
        };
        return $"""
            {tables}
            left join organisations g on g.id = r.organisation_id
            where {condition}
              and o.starts_at < @to and o.starts_at > @earliestStart and o.ends_at > @from
            """;
    }

    private static object Parameters(FeedScope scope, FeedWindow window) => new
    {
        targetId = scope.TargetId,
        centreIds = scope.CentreIds.ToArray(),
        from = window.FromUtc,
        to = window.ToUtc,
        earliestStart = window.FromUtc.AddHours(-24),
        includeRequests = scope.IncludesRequests,
        publicOnly = scope.Kind == FeedKind.Wijk,
    };

    private static FeedEvent ToEvent(FeedScope scope, FeedRow row, FeedRoom room)
    {
        var status = row.Status switch
        {
            "bevestigd" => "CONFIRMED",
            "aangevraagd" => "TENTATIVE",
            _ => "CANCELLED",
        };
        var title = scope.IsPublic
            ? row.IsPublic && row.Activity is not null ? row.Activity : "Bezet"
            : row.OrganisationName is null || scope.Kind == FeedKind.Organisation ? row.Activity! : $"{row.Activity} – {row.OrganisationName}";
        var prefix = row.Status switch
        {
            "geannuleerd" => "Geannuleerd: ",
            "afgewezen" => "Afgewezen: ",
            "aangevraagd" => row.ReservationStatus == "voorstel" ? "Voorstel: " : "Aanvraag: ",
            _ => "",
        };
        var link = scope.Links switch
        {
            FeedLinks.Beheer when scope.ContactCentreIds.Contains(room.CentreId) => $"{scope.LinkBase}/beheer/reserveringen/{row.ReservationId}",
            FeedLinks.Mijn => $"{scope.LinkBase}/mijn/reserveringen/{row.ReservationId}",
            _ => null,
        };
        var modified = row.RowModified > room.UpdatedAt ? row.RowModified : room.UpdatedAt;
        return new FeedEvent(
            Uid(row.OccurrenceId),
            Sequence(modified),
            row.StartsAt,
            row.EndsAt,
            modified,
            prefix.Length == 0 ? title : prefix + title,
            scope.IsPublic ? null : Description(scope, row, room, link),
            room.Location,
            status,
            scope.IsPublic ? "PUBLIC" : "PRIVATE",
            link);
    }

    private static string Description(FeedScope scope, FeedRow row, FeedRoom room, string? link)
    {
        var lines = new List<string>();
        if (row.Status == "aangevraagd")
        {
            lines.Add(row.ReservationStatus == "voorstel"
                ? "Er is een ander voorstel gedaan. De aanvrager moet nog antwoorden."
                : "Aanvraag: nog niet goedgekeurd. De ruimte is nog niet voor u vastgelegd.");
        }
        if (row.Status == "geannuleerd") lines.Add("Deze datum gaat niet door.");
        if (row.Status == "afgewezen") lines.Add("Deze aanvraag is afgewezen.");
        if (row.OrganisationName is not null) lines.Add($"Organisatie: {row.OrganisationName}");
        var contacts = scope.ContactCentreIds.Contains(room.CentreId);
        if ((contacts || scope.Kind == FeedKind.Organisation) && row.ContactName is not null) lines.Add($"Contactpersoon: {row.ContactName}");
        if (contacts && row.ContactPhone is not null) lines.Add($"Telefoon: {row.ContactPhone}");
        if (contacts && row.ContactEmail is not null) lines.Add($"E-mail: {row.ContactEmail}");
        lines.Add($"Deelnemers: {row.Participants}");
        if (row.NeedsKey) lines.Add("Sleutel nodig: ja");
        if (row.BlockedFrom != row.StartsAt || row.BlockedUntil != row.EndsAt)
        {
            lines.Add($"Ruimte bezet van {Clock(row.BlockedFrom)} tot {Clock(row.BlockedUntil)} (met klaarzetten en opruimen)");
        }
        lines.Add($"Reservering {row.ReservationId}");
        if (link is not null) lines.Add($"Bekijken: {link}");
        return string.Join('\n', lines);
    }

    private static string Clock(DateTime utc) => AmsterdamTime.ToLocal(Utc(utc)).ToString("HH:mm", Dutch);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset WholeSeconds(DateTime utc)
    {
        var value = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        if (value == DateTime.MinValue) return DateTimeOffset.UnixEpoch;
        return new DateTimeOffset(value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond)));
    }

    private static string Slug(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') builder.Append(c);
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "activiteit" : slug[..Math.Min(slug.Length, 60)].TrimEnd('-');
    }
}
