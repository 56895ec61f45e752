using Buurtcentra.Web.Features.Planning.Optimiser;
using Buurtcentra.Web.Features.Planning.Policy;
using Buurtcentra.Web.Features.Planning.Publish;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Features.Planning.Wishes;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Board;

public sealed record BoardCentre(long Id, string Name);

/// <summary>A round as the planbord screens see it: all its centres, and those the signed-in person manages.</summary>
public sealed record BoardRound(long Id, string Name, string Phase, DateOnly SeasonStart, DateOnly SeasonEnd,
    IReadOnlyList<BoardCentre> AllCentres, IReadOnlyList<BoardCentre> Centres)
{
    public bool ManagesAll => Centres.Count == AllCentres.Count;
    public long[] CentreIds => Centres.Select(c => c.Id).ToArray();
    public string PhaseName => RoundPhase.Name(Phase);
    public string Url => $"/beheer/planning/rondes/{Id}";
}

/// <summary>
/// The round for the planbord, versions, runs, publishing and figures. Null (answer 404) when the round does not exist
/// or the person manages none of its centres (<see cref="CentreAccess.CanManageAsync"/>).
/// </summary>
public sealed class BoardRoundQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<BoardRound?> LoadAsync(long roundId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var round = await connection.QuerySingleOrDefaultAsync<(long Id, string Name, string Phase, DateOnly SeasonStart, DateOnly SeasonEnd)?>(
            "select id, name, phase, season_start, season_end from planning_rounds where id = @roundId", new { roundId });
        if (round is not { } r) return null;
        var centres = (await connection.QueryAsync<BoardCentre>("""
            select c.id, c.name from planning_round_centres rc join centres c on c.id = rc.centre_id
            where rc.round_id = @roundId order by c.name, c.id
            """, new { roundId })).ToList();
        var manageable = await access.ManageableCentreIdsAsync();
        var mine = centres.Where(c => manageable.Contains(c.Id)).ToList();
        if (mine.Count == 0) return null;
        return new BoardRound(r.Id, r.Name, r.Phase, r.SeasonStart, r.SeasonEnd, centres, mine);
    }
}

public sealed record ProposalRow(long Id, int Version, int PolicyVersion, string SolverStatus, long? Objective, long? Bound, int? SolveMs,
    int Granted, int Wishes, string? Note, string? CreatedByName, DateTime CreatedAt)
{
    public string StatusName => BoardFormat.SolverStatus(SolverStatus);
}

public sealed record AllocationRow(long Id, long ProposalId, long WishId, long? RoomId, int? Weekday, TimeOnly? StartsAt, TimeOnly? EndsAt,
    int Lane, int? OptionRank, bool Locked, string Explanation)
{
    public bool IsGranted => RoomId is not null;

    public GrantedPlace? Place => RoomId is { } room && Weekday is { } day && StartsAt is { } start && EndsAt is { } end
        ? new GrantedPlace(room, day, BoardFormat.Minutes(start), BoardFormat.Minutes(end), Lane)
        : null;

    /// <summary>Same place (or both not granted): for comparing versions.</summary>
    public bool SamePlace(AllocationRow? other) =>
        other is not null && RoomId == other.RoomId && Weekday == other.Weekday && StartsAt == other.StartsAt && EndsAt == other.EndsAt
        && (RoomId is null || Lane == other.Lane);
}

public sealed record BoardOptionRow(long WishId, int Rank, long? RoomId, int Weekday, TimeOnly EarliestStart, TimeOnly LatestStart);

/// <summary>The reads the planbord screens share: proposals, their allocations and the wishes.</summary>
public static class BoardData
{
    private const string ProposalColumns = """
        p.id, p.version, p.policy_version, p.solver_status, p.objective, p.bound, p.solve_ms, p.granted, p.wishes, p.note,
        u.display_name as created_by_name, p.created_at
        """;

    public static async Task<ProposalRow?> LatestProposalAsync(NpgsqlConnection connection, long roundId, NpgsqlTransaction? transaction = null) =>
        await connection.QuerySingleOrDefaultAsync<ProposalRow>($"""
            select {ProposalColumns}
            from planning_proposals p left join users u on u.id = p.created_by_user_id
            where p.round_id = @roundId order by p.version desc limit 1
            """, new { roundId }, transaction);

    public static async Task<IReadOnlyList<ProposalRow>> ProposalsAsync(NpgsqlConnection connection, long roundId) =>
        (await connection.QueryAsync<ProposalRow>($"""
            select {ProposalColumns}
            from planning_proposals p left join users u on u.id = p.created_by_user_id
            where p.round_id = @roundId order by p.version desc
            """, new { roundId })).ToList();

    /// <summary>The allocations of a proposal, for the wishes of the given centres (all centres when null).</summary>
    public static async Task<IReadOnlyList<AllocationRow>> AllocationsAsync(NpgsqlConnection connection, long proposalId, long[]? centreIds,
        NpgsqlTransaction? transaction = null) =>
        (await connection.QueryAsync<AllocationRow>("""
            select a.id, a.proposal_id, a.wish_id, a.room_id, a.weekday::int as weekday, a.starts_at, a.ends_at, a.lane::int as lane,
                   a.option_rank::int as option_rank, a.locked, a.explanation::text as explanation
            from planning_allocations a join planning_wishes w on w.id = a.wish_id
            where a.proposal_id = @proposalId and (@all or w.centre_id = any(@centreIds))
            order by a.wish_id
            """, new { proposalId, all = centreIds is null, centreIds = centreIds ?? [] }, transaction)).ToList();

    /// <summary>The wishes of a round (with their options), for the given centres (all when null); withdrawn ones only when asked.</summary>
    public static async Task<IReadOnlyList<WishRow>> WishesAsync(NpgsqlConnection connection, long roundId, long[]? centreIds,
        bool includeWithdrawn = false, NpgsqlTransaction? transaction = null)
    {
        using var grid = await connection.QueryMultipleAsync($"""
            select {WishRow.Columns}
            from planning_wishes w
            where w.round_id = @roundId and (@all or w.centre_id = any(@centreIds)) and (@withdrawn or w.status = 'ingediend')
            order by w.id;
            select {WishRow.OptionColumns}
            from planning_wish_options o join planning_wishes w on w.id = o.wish_id
            where w.round_id = @roundId and (@all or w.centre_id = any(@centreIds)) and (@withdrawn or w.status = 'ingediend')
            order by o.wish_id, o.rank;
            """, new { roundId, all = centreIds is null, centreIds = centreIds ?? [], withdrawn = includeWithdrawn }, transaction);
        return await WishRow.WithOptionsAsync(grid);
    }

    /// <summary>Whether an optimiser run is waiting or running for the round.</summary>
    public static async Task<long?> ActiveRunAsync(NpgsqlConnection connection, long roundId, NpgsqlTransaction? transaction = null) =>
        await connection.ExecuteScalarAsync<long?>(
            "select id from planning_runs where round_id = @roundId and status in ('wachtend', 'bezig') order by id desc limit 1",
            new { roundId }, transaction);

    /// <summary>The round's closure periods (school holidays, feestdagen).</summary>
    public static async Task<IReadOnlyList<RoundClosure>> ClosuresAsync(NpgsqlConnection connection, long roundId) =>
        (await connection.QueryAsync<RoundClosure>(
            "select starts_on, ends_on, reason, centre_id from planning_round_closures where round_id = @roundId order by starts_on",
            new { roundId })).ToList();
}

/// <summary>The links between the planbord screens (the partial _BoardNav); Current: planbord, versies, cijfers or publiceren.</summary>
public sealed record BoardNav(BoardRound Round, string Current);

/// <summary>The "Voorstel maken" buttons (partial _RunForm); Back: the page to return to when it cannot start.</summary>
public sealed record RunFormModel(BoardRound Round, string Back, long? ActiveRunId);
