using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;

namespace Buurtcentra.Web.Features.Planning.Optimiser;

/// <summary>
/// Assigns wishes to rooms and weekly times with CP-SAT: no overlap per room and lane, capacity, facilities,
/// accessibility, opening hours, protected blocks and the beheerder's locks; maximises the policy's objective.
/// Deterministic for the same input. Explains every decision.
/// </summary>
/// <remarks>
/// The model (docs/voorkeursplanning-optimiser.md): one yes/no per possible place (wish, option, room, weekday, start);
/// per room and weekday, at every start time, the places that cover it may not overlap. Lanes are not variables: at each
/// moment a room holds one weekly use, or up to two every-other-week uses, or up to four monthly uses (weights 4/2/1 in
/// a capacity of 4, every-other-week and monthly never together); intervals whose overlaps respect that can always be
/// given lanes afterwards (interval graphs colour with as many colours as their largest overlap). Only where the
/// beheerder locked a non-weekly use, that room and day gets explicit lane variables. Wishes that share no room and
/// weekday, no centre and weekday (spread bonus) and no group (fairness) are solved as separate components, on
/// <see cref="SolveOptions.Workers"/> threads, one CP-SAT worker each, with deterministic time limits: the same input
/// gives the same plan (unless the machine is so slow that the wall-clock limit stops a search first).
/// Fairness is lexicographic: first as many groups as possible get something, then the weighted objective.
/// </remarks>
public sealed class PlanOptimiser
{
    /// <summary>
    /// CP-SAT's deterministic time allowed per second of the time limit, per thread. Deterministic time is CP-SAT's own
    /// measure of work, the same on every run: a search stopped by it stops at the same point every time. On this
    /// project's busy 2-core machine one second of solving is 0.1–0.35 of it; 0.2 lets the deterministic limit, not the
    /// wall clock, end the searches in a normal run (measured with make bench-planning).
    /// </summary>
    internal const double DeterministicPerSecond = 0.2;

    /// <summary>A component may use this many times its share (by size) of what is left of its thread's deterministic budget.</summary>
    private const double WorkStretch = 3;

    /// <summary>… and this many times its share of the wall-clock time left (a safety net: normally the work limit ends it first).</summary>
    private const double WallStretch = 6;

    public PlanResult Solve(PlanInput input, SolveOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        cancellationToken.ThrowIfCancellationRequested();
        var context = new PlanContext(input);
        var locks = LockedPlan.Apply(context);
        if (locks.Conflicts.Count > 0) return PlanAssembly.Infeasible(locks, clock.Elapsed);

        var problem = new PlanProblem(context, locks);
        var components = problem.Components();
        options.Progress?.Report(new SolveProgress($"{components.Count} delen, startoplossing berekend", null, null));

        // Time: the limit minus a reserve for explaining the plan.
        var limit = options.TimeLimit > TimeSpan.Zero ? options.TimeLimit : TimeSpan.FromSeconds(10);
        var deadline = limit - TimeSpan.FromMilliseconds(100 + 0.06 * limit.TotalMilliseconds);
        var threads = Math.Clamp(options.Workers, 1, Math.Max(1, components.Count));
        // The work budget follows from the limit alone (not from the time left after preparing): the same on every run.
        var seconds = Math.Max(0.05, deadline.TotalSeconds);

        // Components to threads: largest first, each to the thread with the least work so far (fixed for the input).
        var queues = Enumerable.Range(0, threads).Select(_ => new List<Component>()).ToList();
        var load = new long[threads];
        foreach (var component in components.OrderByDescending(c => c.Weight).ThenBy(c => c.Wishes[0]))
        {
            var thread = Array.IndexOf(load, load.Min());
            queues[thread].Add(component);
            load[thread] += component.Weight;
        }

        var outcomes = new ComponentOutcome?[components.Count];
        var progressLock = new object();
        var done = 0;
        long objectiveSoFar = 0, boundSoFar = 0;
        var running = new HashSet<CpSolver>();
        using var registration = cancellationToken.Register(() =>
        {
            lock (running)
            {
                foreach (var solver in running) solver.StopSearch();
            }
        });

        void Work(List<Component> queue)
        {
            var budget = seconds * DeterministicPerSecond;
            var remainingWeight = queue.Sum(c => (double)c.Weight);
            foreach (var component in queue)
            {
                var share = component.Weight / Math.Max(1, remainingWeight);
                remainingWeight -= component.Weight;
                var left = deadline - clock.Elapsed;
                var outOfTime = cancellationToken.IsCancellationRequested || left.TotalSeconds < 0.02;
                var outcome = outOfTime
                    ? ComponentSolver.StartOnly(problem, component)
                    : new ComponentSolver(problem, component, running, cancellationToken).Solve(
                        Math.Max(0.02, budget * Math.Min(1, WorkStretch * share)), clock, clock.Elapsed + left * Math.Min(1, WallStretch * share));
                budget = Math.Max(0, budget - outcome.DeterministicTime);
                outcomes[component.Index] = outcome;
                lock (progressLock)
                {
                    done++;
                    objectiveSoFar += outcome.Objective;
                    boundSoFar += outcome.Bound;
                    options.Progress?.Report(new SolveProgress($"component {done} van {components.Count}", objectiveSoFar, boundSoFar));
                }
            }
        }

        if (threads == 1)
        {
            Work(queues[0]);
        }
        else
        {
            var tasks = queues.Select(q => Task.Factory.StartNew(() => Work(q), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            Task.WaitAll(tasks, CancellationToken.None);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var allocations = new List<Allocation>(locks.Allocations);
        long gap = 0;
        var optimal = true;
        foreach (var outcome in outcomes)
        {
            allocations.AddRange(outcome!.Allocations);
            gap += outcome.Bound - outcome.Objective;
            optimal &= outcome.Optimal;
        }
        problem.Verify(allocations);
        var result = PlanAssembly.Build(context, allocations, optimal ? "optimaal" : "haalbaar", null, clock.Elapsed, components.Count);
        return result with { Stats = result.Stats with { Bound = result.Stats.Objective + gap, Elapsed = clock.Elapsed } };
    }
}
