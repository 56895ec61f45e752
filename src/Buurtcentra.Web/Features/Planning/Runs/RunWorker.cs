using System.Diagnostics;
using System.Globalization;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Buurtcentra.Web.Features.Planning.Rounds;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Runs;

/// <summary>Planning:SolveSeconds (time limit of one optimiser run, default 10) and Planning:RunnerEnabled (default true).</summary>
public sealed class PlanningRunOptions
{
    public double SolveSeconds { get; set; } = 10;
    public bool RunnerEnabled { get; set; } = true;

    public TimeSpan TimeLimit => TimeSpan.FromSeconds(Math.Clamp(SolveSeconds, 0.2, 600));
}

/// <summary>Wakes the run worker at once when a run is queued (it polls as well).</summary>
public sealed class RunSignal
{
    private readonly SemaphoreSlim semaphore = new(0, 1);

    public void Notify()
    {
        try { semaphore.Release(); } catch (SemaphoreFullException) { }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try { await semaphore.WaitAsync(timeout, cancellationToken); } catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
    }
}

public static class RunSetup
{
    /// <summary>The background worker that runs the optimiser for "Voorstel maken" (registered like the outbox sender).</summary>
    public static IServiceCollection AddPlanningRuns(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PlanningRunOptions>(configuration.GetSection("Planning"));
        services.AddSingleton<RunSignal>();
        services.AddHostedService<RunWorker>();
        return services;
    }
}

/// <summary>
/// Runs the optimiser for queued planning runs, one at a time per app instance. A run is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> (several instances never run one twice) and held with a lease; the progress note is
/// written every second. The result becomes a new proposal version in the same transaction that marks the run done;
/// every failure is written to the run (planning_runs.error) for the page to show. A run whose worker stopped (a restart)
/// is marked failed once its lease has run out, so the round is free for a new run.
/// </summary>
public sealed partial class RunWorker(
    NpgsqlDataSource dataSource,
    TimeProvider time,
    RunSignal signal,
    IOptions<PlanningRunOptions> options,
    ILogger<RunWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(5);
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private TimeSpan Lease => options.Value.TimeLimit + LeaseMargin;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunnerEnabled) return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = PollInterval;
            try
            {
                await FailAbandonedAsync(stoppingToken);
                if (await ClaimAsync(stoppingToken) is { } run)
                {
                    await RunAsync(run, stoppingToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogRoundFailed(e);
                pause = PauseAfterError;
            }
            try
            {
                await signal.WaitAsync(pause, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public sealed record ClaimedRun(long Id, long RoundId, string Method, long? StartedByUserId);

    private async Task FailAbandonedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            update planning_runs set status = 'mislukt', finished_at = @now,
                error = 'De berekening is onderbroken, bijvoorbeeld doordat de server opnieuw is gestart. Start een nieuwe berekening.'
            where status = 'bezig' and locked_until < @now
            """, new { now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    private async Task<ClaimedRun?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ClaimedRun>(new CommandDefinition("""
            with next as (
                select id from planning_runs where status = 'wachtend' order by created_at, id limit 1 for update skip locked
            )
            update planning_runs r set status = 'bezig', locked_until = @until, progress_note = 'De berekening is gestart.'
            from next where r.id = next.id
            returning r.id, r.round_id, r.method, r.started_by_user_id
            """, new { until = now + Lease }, cancellationToken: cancellationToken));
    }

    private async Task RunAsync(ClaimedRun run, CancellationToken stoppingToken)
    {
        try
        {
            LoadedPlanInput loaded;
            await using (var connection = await dataSource.OpenConnectionAsync(stoppingToken))
            {
                loaded = await PlanInputLoader.LoadAsync(connection, run.RoundId);
            }
            var input = loaded.Input;
            if (input.Wishes.Count == 0) throw new PlanInputException("Er zijn geen ingediende wensen in deze ronde. Er valt nog niets te plannen.");

            var limit = options.Value.TimeLimit;
            var greedy = run.Method == "volgorde";
            await NoteAsync(run.Id, greedy
                ? $"{input.Wishes.Count} wensen en {input.Rooms.Count} ruimtes ingelezen. De wensen worden op volgorde van prioriteit ingedeeld."
                : $"{input.Wishes.Count} wensen en {input.Rooms.Count} ruimtes ingelezen. Het beste rooster wordt gezocht (hoogstens {Seconds(limit)} seconden).");

            var stopwatch = Stopwatch.StartNew();
            var progress = new LatestProgress();
            using var solveCancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var solving = Task.Run(() => greedy
                ? GreedyPlanner.Plan(input)
                : new PlanOptimiser().Solve(input, new SolveOptions(limit) { Progress = progress }, solveCancel.Token), CancellationToken.None);
            string? lastNote = null;
            while (!solving.IsCompleted)
            {
                await Task.WhenAny(solving, Task.Delay(PollInterval, CancellationToken.None));
                if (solving.IsCompleted) break;
                var note = progress.Latest is { } p ? ProgressNote(p, stopwatch.Elapsed, limit) : $"Bezig met rekenen ({Seconds(stopwatch.Elapsed)} van hoogstens {Seconds(limit)} seconden).";
                if (note != lastNote && !await NoteAsync(run.Id, note))
                {
                    solveCancel.Cancel();
                    break;
                }
                lastNote = note;
            }
            var result = await solving;
            stopwatch.Stop();

            if (result.Stats.Status == "onhaalbaar")
            {
                throw new PlanInputException("De vastgezette plaatsen botsen met elkaar of met de regels (bijvoorbeeld twee activiteiten op dezelfde plek). Maak een vastzetting los en maak opnieuw een voorstel.");
            }
            await SaveAsync(run, loaded, result, (int)Math.Min(int.MaxValue, stopwatch.ElapsedMilliseconds));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FailAsync(run.Id, "De berekening is afgebroken omdat de server stopte. Start een nieuwe berekening.");
        }
        catch (PlanInputException e)
        {
            await FailAsync(run.Id, e.Message);
        }
        catch (NotImplementedException)
        {
            await FailAsync(run.Id, "De rekenmachine voor voorstellen is nog niet beschikbaar in deze versie. Probeer het later opnieuw.");
        }
        catch (Exception e)
        {
            LogRunFailed(e, run.Id);
            await FailAsync(run.Id, $"Er ging iets mis bij het rekenen: {e.Message}");
        }
    }

    private async Task SaveAsync(ClaimedRun run, LoadedPlanInput loaded, PlanResult result, int solveMs)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var phase = await RunProposals.LockRoundAsync(connection, transaction, run.RoundId);
        if (phase is null) return;
        if (!RoundPhase.BoardEditable(phase))
        {
            await transaction.RollbackAsync();
            await FailAsync(run.Id, $"De ronde is intussen in de fase ‘{RoundPhase.Name(phase)}’. Het voorstel is daarom niet bewaard.");
            return;
        }
        var stats = result.Stats;
        var allocations = RunProposals.FromResult(loaded, result);
        var (proposalId, version) = await RunProposals.InsertAsync(connection, transaction, new NewProposal(
            run.RoundId, loaded.PolicyVersion, run.Method == "volgorde" ? "greedy" : stats.Status, stats.Objective, stats.Bound, solveMs,
            run.Method == "volgorde" ? "Op volgorde van prioriteit, zonder optimalisatie." : null, run.StartedByUserId), allocations, now);
        var granted = allocations.Count(a => a.Place is not null);
        var done = await connection.ExecuteAsync("""
            update planning_runs set status = 'klaar', proposal_id = @proposalId, finished_at = @now, locked_until = null,
                progress_note = @note
            where id = @id and status = 'bezig'
            """, new
        {
            id = run.Id, proposalId, now,
            note = $"Klaar: {granted} van de {allocations.Count} wensen toegekend. Het voorstel is versie {version}.",
        }, transaction);
        if (done == 1) await transaction.CommitAsync();
    }

    /// <summary>Writes the progress note and extends the lease; false when the run is no longer this worker's.</summary>
    private async Task<bool> NoteAsync(long runId, string note)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync(
            "update planning_runs set progress_note = @note, locked_until = @until where id = @runId and status = 'bezig'",
            new { runId, note, until = time.GetUtcNow() + Lease }) == 1;
    }

    private async Task FailAsync(long runId, string error)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync("""
                update planning_runs set status = 'mislukt', error = @error, finished_at = @now, locked_until = null
                where id = @runId and status in ('wachtend', 'bezig')
                """, new { runId, error = error.Length > 2000 ? error[..2000] : error, now = time.GetUtcNow() });
        }
        catch (Exception e)
        {
            LogRunFailed(e, runId);
        }
    }

    private static string ProgressNote(SolveProgress progress, TimeSpan elapsed, TimeSpan limit)
    {
        var when = $"{Seconds(elapsed)} van hoogstens {Seconds(limit)} seconden";
        return progress.Objective is { } objective
            ? progress.Bound is { } bound
                ? $"Beste rooster tot nu toe: {objective.ToString("N0", Dutch)} punten; meer dan {bound.ToString("N0", Dutch)} punten kan niet ({when})."
                : $"Beste rooster tot nu toe: {objective.ToString("N0", Dutch)} punten ({when})."
            : $"Bezig met rekenen ({when}).";
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", Dutch);

    /// <summary>Keeps only the latest report of the solver; the worker writes it once a second.</summary>
    private sealed class LatestProgress : IProgress<SolveProgress>
    {
        private SolveProgress? latest;
        public SolveProgress? Latest => Volatile.Read(ref latest);
        public void Report(SolveProgress value) => Volatile.Write(ref latest, value);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Planning run worker round failed")]
    private partial void LogRoundFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Planning run {RunId} failed")]
    private partial void LogRunFailed(Exception e, long runId);
}
