using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Wishes;

/// <summary>
/// A wish of a round, with its options: the one mapping of planning_wishes, for the wish screens (edit, withdraw, the
/// group's portal) and the planbord, publishing and figures alike. A nominal record: Dapper maps text[] columns onto
/// properties, not constructor parameters.
/// </summary>
public sealed record WishRow
{
    /// <summary>The columns this record maps, from planning_wishes as <c>w</c>.</summary>
    public const string Columns = """
        w.id, w.round_id, w.centre_id, w.organisation_id, w.group_name, w.contact_name, w.contact_email, w.activity, w.category,
        w.target_groups, w.participants, w.facilities, w.accessibility, w.frequency, w.duration_minutes, w.is_public, w.remarks,
        w.submitted_by_user_id, w.continues_allocation_id, w.continuity_answer, w.status
        """;

    public long Id { get; init; }
    public long RoundId { get; init; }
    public long CentreId { get; init; }
    public long? OrganisationId { get; init; }
    public string GroupName { get; init; } = "";
    public string? ContactName { get; init; }
    public string? ContactEmail { get; init; }
    public string Activity { get; init; } = "";
    public string Category { get; init; } = "";
    public string[] TargetGroups { get; init; } = [];
    public int Participants { get; init; }
    public string[] Facilities { get; init; } = [];
    public string[] Accessibility { get; init; } = [];
    public string Frequency { get; init; } = BoardFormat.Weekly;
    public int DurationMinutes { get; init; }
    public bool IsPublic { get; init; }
    public string? Remarks { get; init; }
    public long? SubmittedByUserId { get; init; }
    /// <summary>Doorrollen: the allocation of the previous round this wish continues.</summary>
    public long? ContinuesAllocationId { get; init; }
    /// <summary>The group's answer to a continuity wish: open, bevestigd or gewijzigd; null for a new wish.</summary>
    public string? ContinuityAnswer { get; init; }
    public string Status { get; init; } = "";

    /// <summary>In rank order.</summary>
    public IReadOnlyList<BoardOptionRow> Options { get; init; } = [];

    public bool IsContinuity => ContinuesAllocationId is not null || ContinuityAnswer is not null;
    public bool IsWithdrawn => Status == "ingetrokken";

    public Frequency PlanFrequency => BoardFormat.Frequency(Frequency);

    /// <summary>Who the wish is for: the organisation, or else the contact's address (as the optimiser's GroupKey).</summary>
    public string GroupKey => OrganisationId is { } id ? $"org:{id}" : $"mail:{ContactEmail?.Trim().ToLowerInvariant()}";

    public ExplainedWish Explained => new(Id, CentreId, Participants, Frequency, DurationMinutes,
        Options.Select(o => new ExplainedOption(o.Rank, o.RoomId, o.Weekday, BoardFormat.Minutes(o.EarliestStart), BoardFormat.Minutes(o.LatestStart))).ToList());

    /// <summary>The columns of planning_wish_options as <c>o</c> that <see cref="BoardOptionRow"/> maps.</summary>
    public const string OptionColumns = "o.wish_id, o.rank::int as rank, o.room_id, o.weekday::int as weekday, o.earliest_start, o.latest_start";

    /// <summary>One wish with its options, or null when it does not exist.</summary>
    public static async Task<WishRow?> LoadAsync(NpgsqlConnection connection, long wishId, NpgsqlTransaction? transaction = null)
    {
        using var grid = await connection.QueryMultipleAsync($"""
            select {Columns} from planning_wishes w where w.id = @wishId;
            select {OptionColumns} from planning_wish_options o where o.wish_id = @wishId order by o.rank;
            """, new { wishId }, transaction);
        return (await WithOptionsAsync(grid)).SingleOrDefault();
    }

    /// <summary>Reads wishes (<see cref="Columns"/>) and then their options (wish_id, rank, …) from a two-part query.</summary>
    public static async Task<IReadOnlyList<WishRow>> WithOptionsAsync(SqlMapper.GridReader grid)
    {
        var wishes = (await grid.ReadAsync<WishRow>()).ToList();
        var options = (await grid.ReadAsync<BoardOptionRow>()).ToLookup(o => o.WishId);
        return wishes.Select(w => w with { Options = options[w.Id].ToList() }).ToList();
    }
}
