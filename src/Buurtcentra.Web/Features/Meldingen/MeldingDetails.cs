using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

public sealed record MeldingEvent(long Id, DateTime OccurredAt, string ActorName, string ActorRole, string Kind, string? FromStatus,
    string? ToStatus, string? Note, long? ActorUserId = null)
{
    /// <summary>What happened to the melding itself, as opposed to what people wrote (reactions, "Ik heb dit ook").</summary>
    public bool IsProgress => Kind is "gemeld" or "status" or "urgentie" or "buiten_gebruik" or "bezoek";

    public DateTime LocalTime => AmsterdamTime.ToLocal(new DateTimeOffset(OccurredAt, TimeSpan.Zero));

    /// <summary>What happened, in words: "Status: Nieuw → In behandeling", "Reactie", "Heeft dit ook".</summary>
    public string What => Kind switch
    {
        "gemeld" => "Gemeld",
        "status" => $"Status: {(FromStatus is null ? "" : MeldingStatus.Name(FromStatus) + " → ")}{MeldingStatus.Name(ToStatus!)}",
        "ook_last" => "Heeft dit probleem ook",
        "urgentie" => "Urgentie gewijzigd",
        "buiten_gebruik" => "Ruimte buiten gebruik",
        "bezoek" => "Bezoek",
        _ => "Reactie",
    };

    /// <summary>Names of staff are shown to everyone; reporters' names only to staff (privacy of people without a role).</summary>
    public string Who(bool viewerIsStaff) => viewerIsStaff || ActorRole != "melder" ? $"{ActorName}{RoleSuffix}" : "Melder";

    private string RoleSuffix => ActorRole switch { "stadsbedrijven" => " (Stadsbedrijven)", "beheerder" => " (beheerder)", "systeem" => "", _ => " (melder)" };
}

/// <summary>One melding with everything its pages, mails and the API show.</summary>
public sealed record MeldingDetails(
    long Id, long CentreId, string CentreName, string CentreSlug, int WijkId, string WijkName, long? RoomId, string? RoomName,
    string Category, string Kind, string Description, string Urgency, string Status, string? StatusReason, DateOnly? PlannedOn,
    string? Assignee, long? ReporterUserId, string ReporterName, string? ReporterEmail, DateTime ClockStartedAt, DateTime DueAt,
    DateTime? SolvedAt, DateTime? ClosedAt, DateTime CreatedAt, DateTime UpdatedAt, int AlsoAffected)
{
    public IReadOnlyList<MeldingEvent> Events { get; init; } = [];
    public IReadOnlyList<long> PhotoIds { get; init; } = [];

    public string Title => $"{MeldingCodes.CategoryName(Category)}: {Where}";
    public string Where => RoomName is null ? CentreName : $"{RoomName}, {CentreName}";
    public bool IsOpen => MeldingStatus.IsOpen(Status);

    /// <summary>
    /// What this person may read of the melding. Someone who said "Ik heb dit ook" sees no more than the report form
    /// showed them plus the progress: no photos, no reactions of others (their own, when signed in, they do see).
    /// </summary>
    public MeldingDetails SeenBy(MeldingViewer viewer) => viewer.IsFollower && viewer.Actor is null
        ? this with
        {
            PhotoIds = [],
            Events = Events.Where(e => e.IsProgress || (viewer.UserId is not null && e.ActorUserId == viewer.UserId)).ToList(),
        }
        : this;

    /// <summary>The clock stops when solved or rejected (and stays stopped when closed).</summary>
    public ClockState Clock(DateTimeOffset now)
    {
        DateTimeOffset? stopped = Status switch
        {
            MeldingStatus.Solved or MeldingStatus.Closed => Utc(SolvedAt ?? UpdatedAt),
            MeldingStatus.Rejected => Utc(UpdatedAt),
            _ => null,
        };
        return ResponseClock.State(Utc(DueAt), now, stopped);
    }

    public DateTime LocalCreated => AmsterdamTime.ToLocal(Utc(CreatedAt));

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private const string Sql = """
        select m.id, m.centre_id, c.name as centre_name, c.slug as centre_slug, c.wijk_id::int as wijk_id, w.name as wijk_name,
               m.room_id, r.name as room_name, m.category, m.kind, m.description, m.urgency, m.status, m.status_reason, m.planned_on,
               m.assignee, m.reporter_user_id, m.reporter_name, m.reporter_email, m.clock_started_at, m.due_at, m.solved_at, m.closed_at,
               m.created_at, m.updated_at,
               (select count(*)::int from melding_followers f where f.melding_id = m.id) as also_affected
        from meldingen m
        join centres c on c.id = m.centre_id
        join wijken w on w.id = c.wijk_id
        left join rooms r on r.id = m.room_id
        where m.id = @id
        """;

    public static async Task<MeldingDetails?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, bool forUpdate = false)
    {
        if (forUpdate)
        {
            // Locks the row first: two status changes of one melding happen one after the other.
            var exists = await connection.ExecuteScalarAsync<long?>("select id from meldingen where id = @id for update", new { id }, transaction);
            if (exists is null) return null;
        }
        var melding = await connection.QuerySingleOrDefaultAsync<MeldingDetails>(Sql, new { id }, transaction);
        if (melding is null) return null;
        var events = await connection.QueryAsync<MeldingEvent>("""
            select id, occurred_at, actor_name, actor_role, kind, from_status, to_status, note, actor_user_id
            from melding_events where melding_id = @id order by occurred_at, id
            """, new { id }, transaction);
        var photos = await connection.QueryAsync<long>("select id from melding_photos where melding_id = @id order by position", new { id }, transaction);
        return melding with { Events = events.ToList(), PhotoIds = photos.ToList() };
    }
}

public static class MeldingEvents
{
    public static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long meldingId, DateTimeOffset now,
        MeldingViewer actor, string kind, string? from = null, string? to = null, string? note = null) =>
        connection.ExecuteAsync("""
            insert into melding_events (melding_id, occurred_at, actor_user_id, actor_name, actor_role, kind, from_status, to_status, note)
            values (@meldingId, @now, @userId, @name, @role, @kind, @from, @to, @note)
            """, new { meldingId, now, userId = actor.UserId, name = actor.Name, role = actor.Role, kind, from, to, note }, transaction);
}
