using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Buurtcentra.Web.Features.Planning.Policy;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Runs;

/// <summary>One row of a new proposal version: a wish, where it goes (Place null: not granted) and why.</summary>
public sealed record NewAllocation(long WishId, GrantedPlace? Place, int? OptionRank, bool Locked, string ExplanationJson);

/// <summary>The numbers of a new proposal version.</summary>
public sealed record NewProposal(long RoundId, int PolicyVersion, string SolverStatus, long? Objective, long? Bound, int? SolveMs, string? Note,
    long? CreatedByUserId);

/// <summary>
/// Writes proposal versions: every optimiser run, every run in order of priority and every change on the planbord is a
/// new version with one allocation per wish. The caller holds the round row (select … for update), so version numbers
/// follow each other without gaps or doubles.
/// </summary>
public static class RunProposals
{
    /// <summary>Locks the round row for the rest of the transaction; returns its phase (null: the round is gone).</summary>
    public static Task<string?> LockRoundAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long roundId) =>
        connection.ExecuteScalarAsync<string?>("select phase from planning_rounds where id = @roundId for update", new { roundId }, transaction);

    public static async Task<(long Id, int Version)> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewProposal proposal,
        IReadOnlyList<NewAllocation> allocations, DateTimeOffset now)
    {
        var (id, version) = await connection.QuerySingleAsync<(long, int)>("""
            insert into planning_proposals (round_id, version, policy_version, solver_status, objective, bound, solve_ms, granted, wishes, note,
                                            created_by_user_id, created_at)
            values (@RoundId, coalesce((select max(version) from planning_proposals where round_id = @RoundId), 0) + 1, @PolicyVersion,
                    @SolverStatus, @Objective, @Bound, @SolveMs, @granted, @wishes, @Note, @CreatedByUserId, @now)
            returning id, version
            """, new
        {
            proposal.RoundId, proposal.PolicyVersion, proposal.SolverStatus, proposal.Objective, proposal.Bound, proposal.SolveMs,
            Note = proposal.Note is { Length: > 1000 } n ? n[..1000] : proposal.Note, proposal.CreatedByUserId, now,
            granted = allocations.Count(a => a.Place is not null), wishes = allocations.Count,
        }, transaction);

        await connection.ExecuteAsync("""
            insert into planning_allocations (proposal_id, wish_id, room_id, weekday, starts_at, ends_at, lane, option_rank, locked, explanation)
            select @id, a.wish_id, a.room_id, a.weekday, a.starts_at, a.ends_at, a.lane, a.option_rank, a.locked, a.explanation::jsonb
            from unnest(@wishIds::bigint[], @roomIds::bigint[], @weekdays::smallint[], @starts::time[], @ends::time[], @lanes::smallint[],
                        @ranks::smallint[], @locked::boolean[], @explanations::text[])
                 as a(wish_id, room_id, weekday, starts_at, ends_at, lane, option_rank, locked, explanation)
            """, new
        {
            id,
            wishIds = allocations.Select(a => a.WishId).ToArray(),
            roomIds = allocations.Select(a => a.Place?.RoomId).ToArray(),
            weekdays = allocations.Select(a => (short?)a.Place?.Weekday).ToArray(),
            starts = allocations.Select(a => a.Place is { } p ? BoardFormat.ToTime(p.StartMinute) : (TimeOnly?)null).ToArray(),
            ends = allocations.Select(a => a.Place is { } p ? BoardFormat.ToTime(p.EndMinute) : (TimeOnly?)null).ToArray(),
            lanes = allocations.Select(a => (short)(a.Place?.Lane ?? 0)).ToArray(),
            ranks = allocations.Select(a => a.Place is null ? null : (short?)a.OptionRank).ToArray(),
            locked = allocations.Select(a => a.Locked).ToArray(),
            explanations = allocations.Select(a => a.ExplanationJson).ToArray(),
        }, transaction);
        return (id, version);
    }

    /// <summary>
    /// The allocations of an optimiser (or greedy) result: one per wish of the input, with its explanation. The padding
    /// for set-up and clean-up (see <see cref="PlanInputLoader"/>) comes off the end times again.
    /// </summary>
    public static IReadOnlyList<NewAllocation> FromResult(LoadedPlanInput loaded, PlanResult result)
    {
        var input = loaded.Input;
        var allocations = result.Allocations.GroupBy(a => a.WishId).ToDictionary(g => g.Key, g => g.First());
        var explanations = result.Explanations.GroupBy(e => e.WishId).ToDictionary(g => g.Key, g => g.First());
        var locked = input.Locks.Select(l => l.WishId).ToHashSet();
        return input.Wishes.Select(w =>
        {
            var padding = loaded.PaddingOf(w.Id);
            allocations.TryGetValue(w.Id, out var allocation);
            var explanation = explanations.GetValueOrDefault(w.Id)
                ?? new WishExplanation(w.Id, allocation is null ? Outcome.NotGranted : allocation.OptionRank == 1 ? Outcome.FirstChoice : Outcome.Alternative,
                    allocation?.OptionRank, [], []);
            explanation = explanation with
            {
                Alternatives = explanation.Alternatives.Select(a => a with { EndMinute = Math.Max(a.StartMinute + 1, a.EndMinute - padding) }).ToList(),
            };
            var place = allocation is null ? null
                : new GrantedPlace(allocation.Placement.RoomId, allocation.Placement.Weekday, allocation.Placement.StartMinute,
                    Math.Min(Math.Max(allocation.Placement.StartMinute + 1, allocation.Placement.EndMinute - padding), 24 * 60 - 1), allocation.Placement.Lane);
            return new NewAllocation(w.Id, place, allocation?.OptionRank, locked.Contains(w.Id) || allocation?.Locked == true, ExplanationJson.Serialise(explanation));
        }).ToList();
    }
}
