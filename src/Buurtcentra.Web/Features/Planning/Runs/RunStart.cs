using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Database;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Runs;

public sealed record RunStartResult(long? RunId, string? Error, long? RunningRunId = null);

/// <summary>
/// "Voorstel maken": queues an optimiser run (or a run in order of priority, for comparison) for the background worker.
/// Only while the board may be changed (<see cref="RoundPhase.BoardEditable"/>), and only one run per round at a time:
/// the unique index planning_runs_one_active refuses the second, also when two people press the button at once.
/// </summary>
public sealed class StartRunHandler(NpgsqlDataSource dataSource, TimeProvider time, RunSignal signal)
{
    public const string Optimal = "optimaal", InOrder = "volgorde";

    public async Task<RunStartResult> HandleAsync(long roundId, string? method, long userId)
    {
        method = method == InOrder ? InOrder : Optimal;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var phase = await RunProposals.LockRoundAsync(connection, transaction, roundId);
        if (phase is null) return new RunStartResult(null, "Deze ronde bestaat niet meer.");
        if (!RoundPhase.BoardEditable(phase))
        {
            return new RunStartResult(null,
                $"Een voorstel maken kan alleen in de fases ‘{RoundPhase.Name(RoundPhase.InProgress)}’ en ‘{RoundPhase.Name(RoundPhase.DraftShared)}’. De ronde is nu ‘{RoundPhase.Name(phase)}’.");
        }
        if (await BoardData.ActiveRunAsync(connection, roundId, transaction) is { } running)
        {
            return new RunStartResult(null, "Er loopt al een berekening voor deze ronde. Wacht tot die klaar is.", running);
        }
        var wishes = await connection.ExecuteScalarAsync<int>(
            "select count(*)::int from planning_wishes where round_id = @roundId and status = 'ingediend'", new { roundId }, transaction);
        if (wishes == 0) return new RunStartResult(null, "Er zijn nog geen ingediende wensen in deze ronde. Er valt nog niets te plannen.");
        try
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                insert into planning_runs (round_id, status, method, progress_note, started_by_user_id, created_at)
                values (@roundId, 'wachtend', @method, 'De berekening staat klaar om te beginnen.', @userId, @now)
                returning id
                """, new { roundId, method, userId, now = time.GetUtcNow() }, transaction);
            await transaction.CommitAsync();
            signal.Notify();
            return new RunStartResult(id, null);
        }
        catch (PostgresException e) when (e.IsUniqueViolation("planning_runs_one_active"))
        {
            return new RunStartResult(null, "Er loopt al een berekening voor deze ronde. Wacht tot die klaar is.");
        }
    }
}

public sealed record RunRow(long Id, long RoundId, string Status, string Method, string? ProgressNote, long? ProposalId, int? ProposalVersion,
    string? Error, string? StartedByName, DateTime CreatedAt, DateTime? FinishedAt)
{
    public bool Finished => Status is "klaar" or "mislukt";
    public string StatusName => BoardFormat.RunStatus(Status);
    public string MethodName => Method == StartRunHandler.InOrder ? "Op volgorde van prioriteit (zonder optimalisatie)" : "Met optimalisatie";
}

/// <summary>A run for its page and its status JSON; only for a round the person may see (checked by the caller).</summary>
public sealed class RunStatusQuery(NpgsqlDataSource dataSource)
{
    public async Task<RunRow?> LoadAsync(long roundId, long runId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<RunRow>("""
            select r.id, r.round_id, r.status, r.method, r.progress_note, r.proposal_id, p.version as proposal_version, r.error,
                   u.display_name as started_by_name, r.created_at, r.finished_at
            from planning_runs r
            left join planning_proposals p on p.id = r.proposal_id
            left join users u on u.id = r.started_by_user_id
            where r.id = @runId and r.round_id = @roundId
            """, new { roundId, runId });
    }

    public async Task<IReadOnlyList<RunRow>> RecentAsync(long roundId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<RunRow>("""
            select r.id, r.round_id, r.status, r.method, r.progress_note, r.proposal_id, p.version as proposal_version, r.error,
                   u.display_name as started_by_name, r.created_at, r.finished_at
            from planning_runs r
            left join planning_proposals p on p.id = r.proposal_id
            left join users u on u.id = r.started_by_user_id
            where r.round_id = @roundId
            order by r.id desc limit 10
            """, new { roundId })).ToList();
    }
}
