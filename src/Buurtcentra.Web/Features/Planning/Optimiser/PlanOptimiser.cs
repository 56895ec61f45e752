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
    /// measure of work (the same on every run); on this project's 2-core machine one second of solving is about 0.1–0.4
    /// of it. The limit makes a component stop at the same point on every run.
    /// </summary>
    internal const double DeterministicPerSecond = 0.3;

    /// <summary>A component may use this many times its share (by size) of what is left of its thread's budget.</summary>
    private const double ShareStretch = 3;

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
        var seconds = Math.Max(0.05, (deadline - clock.Elapsed).TotalSeconds);

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
                var share = Math.Min(budget, ShareStretch * budget * component.Weight / Math.Max(1, remainingWeight));
                remainingWeight -= component.Weight;
                var outOfTime = cancellationToken.IsCancellationRequested || (deadline - clock.Elapsed).TotalSeconds < 0.02;
                var outcome = outOfTime
                    ? ComponentSolver.StartOnly(problem, component)
                    : new ComponentSolver(problem, component, running, cancellationToken).Solve(Math.Max(0.02, share), clock, deadline);
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

/// <summary>A possible place for an open wish (deduplicated over its options: the best rank bonus wins).</summary>
internal sealed record Candidate(int Wish, int Rank, PlanRoom Room, int Weekday, int Start, int End, Frequency Frequency, long Value,
    IReadOnlyList<int> Lanes);

/// <summary>Wishes that share rooms and days, groups or spread bonuses, solved together.</summary>
internal sealed record Component(int Index, IReadOnlyList<int> Wishes, long Weight);

internal sealed record ComponentOutcome(IReadOnlyList<Allocation> Allocations, long Objective, long Bound, bool Optimal, double DeterministicTime);

/// <summary>The open wishes' candidates after the locks, the greedy start, and the split into components.</summary>
internal sealed class PlanProblem
{
    public PlanProblem(PlanContext context, LockedPlan locks)
    {
        Context = context;
        Locks = locks;
        Open = Greedy.OpenWishes(context, locks);
        var lockEntries = context.Input.Locks.Where(l => l.Placement is not null && context.WishById(l.WishId) is not null).ToList();
        foreach (var planLock in lockEntries)
        {
            var wish = context.WishById(planLock.WishId)!;
            var placement = planLock.Placement!;
            if (Lanes.Mask(wish.Frequency, placement.Lane) != Lanes.AllMask) ExplicitDays.Add((placement.RoomId, placement.Weekday));
            if (context.CentreOf(placement.RoomId) is { } centre) FixedDays.Add((centre, placement.Weekday));
            ServedGroups.Add(wish.GroupKey);
        }

        foreach (var index in Open)
        {
            var wish = context.Wishes[index];
            var list = new List<Candidate>();
            var seen = new Dictionary<(long, int, int), int>();
            foreach (var option in PlanContext.Ranked(wish))
            {
                var value = context.Value(wish, option.Rank);
                foreach (var slot in context.Slots(wish, option))
                {
                    var lanes = Lanes.Of(wish.Frequency)
                        .Where(l => locks.Occupancy.Free(slot.Room.Id, slot.Weekday, slot.Start, slot.End, Lanes.Mask(wish.Frequency, l)))
                        .ToList();
                    if (lanes.Count == 0) continue;
                    var candidate = new Candidate(index, option.Rank, slot.Room, slot.Weekday, slot.Start, slot.End, wish.Frequency, value, lanes);
                    if (seen.TryGetValue((slot.Room.Id, slot.Weekday, slot.Start), out var at))
                    {
                        if (list[at].Value < value) list[at] = candidate;
                        continue;
                    }
                    seen[(slot.Room.Id, slot.Weekday, slot.Start)] = list.Count;
                    list.Add(candidate);
                }
            }
            Candidates[index] = list;
        }
        DropDominated();
        Start = GreedyStart();
    }

    /// <summary>
    /// Drops candidates no optimal plan needs. A candidate that no other wish's candidate overlaps (same room, weekday,
    /// time) can join any plan: it makes the wish's candidates on the same centre and day worth no more than it redundant.
    /// For weekly wishes also: a candidate whose overlapping candidates are a subset of another's, in the same room and
    /// day, worth at least as much, makes that other one redundant (any plan can switch). (Not for every-other-week and
    /// monthly wishes: two of those may overlap, so "overlaps" is not "excludes".) CP-SAT's presolve would find these
    /// too, at a higher price.
    /// </summary>
    private void DropDominated()
    {
        var byRoomDay = new Dictionary<(long, int), List<Candidate>>();
        foreach (var index in Open)
        {
            foreach (var candidate in Candidates[index])
            {
                if (!byRoomDay.TryGetValue((candidate.Room.Id, candidate.Weekday), out var list)) byRoomDay[(candidate.Room.Id, candidate.Weekday)] = list = [];
                list.Add(candidate);
            }
        }
        // Per candidate: its position in its room and day, and the set (bits over positions) of other wishes' candidates overlapping it.
        var overlaps = new Dictionary<Candidate, ulong[]>(ReferenceEqualityComparer.Instance);
        foreach (var list in byRoomDay.Values)
        {
            var words = (list.Count + 63) / 64;
            for (var i = 0; i < list.Count; i++)
            {
                var bits = new ulong[words];
                var (a, empty) = (list[i], true);
                for (var j = 0; j < list.Count; j++)
                {
                    var b = list[j];
                    if (b.Wish == a.Wish || b.Start >= a.End || a.Start >= b.End) continue;
                    bits[j >> 6] |= 1UL << (j & 63);
                    empty = false;
                }
                overlaps[a] = empty ? [] : bits;
            }
        }
        static bool Subset(ulong[] small, ulong[] large)
        {
            if (small.Length == 0) return true;
            if (large.Length == 0) return false;
            for (var k = 0; k < small.Length; k++)
            {
                if ((small[k] & ~large[k]) != 0) return false;
            }
            return true;
        }
        foreach (var index in Open)
        {
            var list = Candidates[index];
            if (list.Count < 2) continue;
            var weekly = Context.Wishes[index].Frequency == Frequency.Weekly;
            var kept = new List<Candidate>(list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                var a = list[i];
                var dominated = false;
                for (var j = 0; j < list.Count && !dominated; j++)
                {
                    if (i == j) continue;
                    var b = list[j];
                    if (b.Value < a.Value || b.Room.CentreId != a.Room.CentreId || b.Weekday != a.Weekday) continue;
                    var (sa, sb) = (overlaps[a], overlaps[b]);
                    var better = sb.Length == 0 || (weekly && b.Room.Id == a.Room.Id && Subset(sb, sa));
                    if (!better) continue;
                    // equal in value and overlaps (both ways): the earlier one stays
                    var equal = b.Value == a.Value && (sa.Length == 0 || (weekly && b.Room.Id == a.Room.Id && Subset(sa, sb)));
                    dominated = !equal || j < i;
                }
                if (!dominated) kept.Add(a);
            }
            if (kept.Count < list.Count) Candidates[index] = kept;
        }
    }

    public PlanContext Context { get; }
    public LockedPlan Locks { get; }
    public List<int> Open { get; }
    public Dictionary<int, List<Candidate>> Candidates { get; } = [];
    /// <summary>Rooms and weekdays where a lock holds a non-weekly lane: there lanes are variables.</summary>
    public HashSet<(long RoomId, int Weekday)> ExplicitDays { get; } = [];
    /// <summary>Centres and weekdays where a lock already earns the spread bonus.</summary>
    public HashSet<(long CentreId, int Weekday)> FixedDays { get; } = [];
    /// <summary>Groups that a lock already serves.</summary>
    public HashSet<string> ServedGroups { get; } = [];
    /// <summary>The greedy plan over the candidates: per open wish its candidate and lane (the solver's first hint).</summary>
    public Dictionary<int, (Candidate Candidate, int Lane)> Start { get; }

    private Dictionary<int, (Candidate, int)> GreedyStart()
    {
        var occupancy = new Occupancy();
        foreach (var allocation in Locks.Allocations)
        {
            occupancy.Add(allocation.WishId, Context.WishById(allocation.WishId)!.Frequency, allocation.Placement, true);
        }
        var start = new Dictionary<int, (Candidate, int)>();
        // With fairness: first every group's first wish (in priority order), then the others.
        var order = Greedy.Order(Context, Open).ToList();
        if (Context.Policy.Fairness)
        {
            var seenGroups = new HashSet<string>(StringComparer.Ordinal);
            var first = order.Where(i => seenGroups.Add(Context.Wishes[i].GroupKey)).ToList();
            order = first.Concat(order.Except(first)).ToList();
        }
        foreach (var index in order)
        {
            var wish = Context.Wishes[index];
            foreach (var candidate in Candidates[index])
            {
                if (occupancy.FreeLane(candidate.Room.Id, candidate.Weekday, candidate.Start, candidate.End, wish.Frequency) is not { } lane) continue;
                occupancy.Add(wish.Id, wish.Frequency, new Placement(candidate.Room.Id, candidate.Weekday, candidate.Start, candidate.End, lane), false);
                start[index] = (candidate, lane);
                break;
            }
        }
        return start;
    }

    /// <summary>Open wishes with at least one candidate, grouped into independent components.</summary>
    public List<Component> Components()
    {
        var parent = new Dictionary<int, int>();
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
        var byRoomDay = new Dictionary<(long, int), int>();
        var byCentreDay = new Dictionary<(long, int), int>();
        var byGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        var policy = Context.Policy;
        foreach (var index in Open)
        {
            if (Candidates[index].Count == 0) continue;
            parent[index] = index;
            foreach (var candidate in Candidates[index])
            {
                if (!byRoomDay.TryAdd((candidate.Room.Id, candidate.Weekday), index)) Union(index, byRoomDay[(candidate.Room.Id, candidate.Weekday)]);
                var centreDay = (candidate.Room.CentreId, candidate.Weekday);
                if (policy.SpreadBonus != 0 && !FixedDays.Contains(centreDay) && !byCentreDay.TryAdd(centreDay, index)) Union(index, byCentreDay[centreDay]);
            }
            var group = Context.Wishes[index].GroupKey;
            if (policy.Fairness && !ServedGroups.Contains(group) && !byGroup.TryAdd(group, index)) Union(index, byGroup[group]);
        }
        var members = new Dictionary<int, List<int>>();
        foreach (var index in parent.Keys.Order())
        {
            var root = Find(index);
            if (!members.TryGetValue(root, out var list)) members[root] = list = [];
            list.Add(index);
        }
        return members.Values
            .OrderBy(m => m[0])
            .Select((m, i) => new Component(i, m, m.Sum(w => (long)Candidates[w].Count)))
            .ToList();
    }

    /// <summary>A last guard: the plan has no overlaps (a bug here must not reach a beheerder's board).</summary>
    public void Verify(IReadOnlyList<Allocation> allocations)
    {
        var occupancy = new Occupancy();
        foreach (var allocation in allocations)
        {
            var wish = Context.WishById(allocation.WishId)!;
            var placement = allocation.Placement;
            if (!occupancy.Free(placement.RoomId, placement.Weekday, placement.StartMinute, placement.EndMinute, Lanes.Mask(wish.Frequency, placement.Lane)))
            {
                throw new InvalidOperationException($"Optimiser produced an overlap for wish {wish.Id}.");
            }
            occupancy.Add(wish.Id, wish.Frequency, placement, allocation.Locked);
        }
    }
}

/// <summary>The CP-SAT model of one component and its two phases (groups served, then the weighted objective).</summary>
internal sealed class ComponentSolver
{
    private readonly PlanProblem _problem;
    private readonly Component _component;
    private readonly HashSet<CpSolver> _running;
    private readonly CancellationToken _cancellation;
    private readonly CpModel _model = new();
    private readonly List<Candidate> _candidates = [];
    private readonly List<BoolVar> _x = [];
    private readonly Dictionary<(int Candidate, int Lane), BoolVar> _laneVars = [];
    private readonly Dictionary<int, List<int>> _byWish = [];
    private readonly List<(BoolVar Var, List<int> Candidates)> _spread = [];
    /// <summary>Groups with two or more open wishes here: served or not.</summary>
    private readonly List<(BoolVar Var, List<int> Wishes)> _groups = [];
    /// <summary>Open wishes that are their group's only open wish: granting them serves the group.</summary>
    private readonly HashSet<int> _soleWishes = [];
    /// <summary>What serving one more group is worth: more than all the rest of the objective together.</summary>
    private long _groupWeight;
    private readonly List<(BoolVar Var, List<int> Candidates)> _modes = [];

    public ComponentSolver(PlanProblem problem, Component component, HashSet<CpSolver> running, CancellationToken cancellation)
    {
        _problem = problem;
        _component = component;
        _running = running;
        _cancellation = cancellation;
        Build();
    }

    /// <summary>Cancelled or out of time before the component's turn: the greedy start, unproven.</summary>
    public static ComponentOutcome StartOnly(PlanProblem problem, Component component)
    {
        var chosen = component.Wishes.Where(problem.Start.ContainsKey).ToDictionary(w => w, w => problem.Start[w]);
        var allocations = Allocations(problem, chosen);
        var objective = ObjectiveOf(problem, chosen.Values.Select(v => v.Candidate));
        return new ComponentOutcome(allocations, objective, objective, false, 0);
    }

    private void Build()
    {
        var policy = _problem.Context.Policy;
        foreach (var wish in _component.Wishes)
        {
            var list = new List<int>();
            foreach (var candidate in _problem.Candidates[wish])
            {
                list.Add(_candidates.Count);
                _candidates.Add(candidate);
                _x.Add(_model.NewBoolVar(""));
            }
            _byWish[wish] = list;
            if (list.Count > 1) _model.AddAtMostOne(list.Select(c => _x[c]));
        }

        var roomDays = new Dictionary<(long, int), List<int>>();
        var centreDays = new Dictionary<(long, int), List<int>>();
        for (var c = 0; c < _candidates.Count; c++)
        {
            var candidate = _candidates[c];
            var key = (candidate.Room.Id, candidate.Weekday);
            if (!roomDays.TryGetValue(key, out var list)) roomDays[key] = list = [];
            list.Add(c);
            var day = (candidate.Room.CentreId, candidate.Weekday);
            if (!centreDays.TryGetValue(day, out var dayList)) centreDays[day] = dayList = [];
            dayList.Add(c);
        }
        foreach (var (key, list) in roomDays)
        {
            if (_problem.ExplicitDays.Contains(key)) AddExplicit(list);
            else AddAggregated(list);
        }

        if (policy.SpreadBonus != 0)
        {
            foreach (var (day, list) in centreDays)
            {
                if (_problem.FixedDays.Contains(day)) continue;
                var z = _model.NewBoolVar("");
                _model.Add(LinearExpr.Sum(list.Select(c => _x[c])) >= z);
                _spread.Add((z, list));
            }
        }
        if (policy.Fairness)
        {
            foreach (var group in _component.Wishes.GroupBy(w => _problem.Context.Wishes[w].GroupKey, StringComparer.Ordinal))
            {
                if (_problem.ServedGroups.Contains(group.Key)) continue;
                var wishes = group.ToList();
                if (wishes.Count == 1)
                {
                    _soleWishes.Add(wishes[0]);
                    continue;
                }
                var g = _model.NewBoolVar("");
                _model.Add(LinearExpr.Sum(wishes.SelectMany(w => _byWish[w]).Select(c => _x[c])) >= g);
                _groups.Add((g, wishes));
            }
            _groupWeight = _byWish.Values.Sum(list => list.Count == 0 ? 0 : list.Max(c => _candidates[c].Value))
                + (long)policy.SpreadBonus * _spread.Count + 1;
        }
    }

    /// <summary>
    /// The sets of candidates that cover a common moment, only the maximal ones: at each start time the candidates running
    /// then; a set contained in its neighbour's is implied by it (intervals covering two moments cover all between).
    /// </summary>
    private static List<List<T>> MaximalOverlaps<T>(IReadOnlyList<(int Start, int End, T Item)> items)
    {
        var points = items.Select(i => i.Start).Distinct().Order().ToList();
        var sets = points.Select(t => items.Where(i => i.Start <= t && t < i.End).Select(i => i.Item).ToList()).ToList();
        var keep = new List<List<T>>();
        for (var i = 0; i < sets.Count; i++)
        {
            if (i > 0 && IsSubset(sets[i], sets[i - 1])) continue;
            if (i < sets.Count - 1 && sets[i].Count < sets[i + 1].Count && IsSubset(sets[i], sets[i + 1])) continue;
            keep.Add(sets[i]);
        }
        return keep;
    }

    private static bool IsSubset<T>(List<T> small, List<T> large)
    {
        if (small.Count > large.Count) return false;
        var set = new HashSet<T>(large);
        return small.All(set.Contains);
    }

    /// <summary>Lanes decided afterwards: weekly weight 4, every other week 2, monthly 1 in a capacity of 4; no mix of the last two.</summary>
    private void AddAggregated(List<int> candidates)
    {
        var items = candidates.Select(c => (_candidates[c].Start, _candidates[c].End, c)).ToList();
        foreach (var set in MaximalOverlaps(items))
        {
            if (set.Count <= 1) continue;
            var weekly = set.Where(c => _candidates[c].Frequency == Frequency.Weekly).Select(c => _x[c]).ToList();
            var biweekly = set.Where(c => _candidates[c].Frequency == Frequency.EveryOtherWeek).Select(c => _x[c]).ToList();
            var monthly = set.Where(c => _candidates[c].Frequency == Frequency.Monthly).Select(c => _x[c]).ToList();
            if (biweekly.Count == 0 && monthly.Count == 0)
            {
                _model.AddAtMostOne(weekly);
            }
            else if (monthly.Count == 0)
            {
                if (weekly.Count == 0 && biweekly.Count <= 2) continue;
                _model.Add(2 * LinearExpr.Sum(weekly) + LinearExpr.Sum(biweekly) <= 2);
            }
            else if (biweekly.Count == 0)
            {
                if (weekly.Count == 0 && monthly.Count <= 4) continue;
                _model.Add(4 * LinearExpr.Sum(weekly) + LinearExpr.Sum(monthly) <= 4);
            }
            else
            {
                // every other week (y = 1) or monthly (y = 0) at this moment
                var y = _model.NewBoolVar("");
                _model.Add(4 * LinearExpr.Sum(weekly) + 2 * LinearExpr.Sum(biweekly) + LinearExpr.Sum(monthly) <= 4);
                _model.Add(LinearExpr.Sum(biweekly) <= 2 * y);
                _model.Add(LinearExpr.Sum(monthly) + 4 * y <= 4);
                _modes.Add((y, set.Where(c => _candidates[c].Frequency == Frequency.EveryOtherWeek).ToList()));
            }
        }
    }

    /// <summary>A locked non-weekly use here: a variable per lane, and no overlap per sub-lane (parity × week of the month).</summary>
    private void AddExplicit(List<int> candidates)
    {
        foreach (var c in candidates)
        {
            var candidate = _candidates[c];
            if (candidate.Frequency == Frequency.Weekly) continue;
            var lanes = candidate.Lanes.Select(l => _laneVars[(c, l)] = _model.NewBoolVar("")).ToList();
            _model.Add(LinearExpr.Sum(lanes) == _x[c]);
        }
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        for (var subLane = 0; subLane < 8; subLane++)
        {
            var items = new List<(int, int, BoolVar)>();
            foreach (var c in candidates)
            {
                var candidate = _candidates[c];
                if (candidate.Frequency == Frequency.Weekly)
                {
                    items.Add((candidate.Start, candidate.End, _x[c]));
                    continue;
                }
                foreach (var lane in candidate.Lanes)
                {
                    if ((Lanes.Mask(candidate.Frequency, lane) >> subLane & 1) == 1) items.Add((candidate.Start, candidate.End, _laneVars[(c, lane)]));
                }
            }
            foreach (var set in MaximalOverlaps(items))
            {
                if (set.Count <= 1 || !emitted.Add(string.Join(',', set.Select(v => v.GetIndex())))) continue;
                _model.AddAtMostOne(set);
            }
        }
    }

    /// <summary>
    /// Lexicographic in a single objective: every group served is worth more than all wishes' values and spread bonuses
    /// together, so the solver serves as many groups as possible and then maximises the policy's weighted objective. When
    /// that solve is not proven optimal, a second one keeps at least the groups served and maximises the weighted
    /// objective alone: its bound is the honest bound of the weighted objective (the first solve's bound mixes in groups
    /// that might still be served).
    /// </summary>
    public ComponentOutcome Solve(double deterministicLimit, Stopwatch clock, TimeSpan deadline)
    {
        var spreadBonus = _problem.Context.Policy.SpreadBonus;
        var fairness = _groupWeight > 0 && (_soleWishes.Count > 0 || _groups.Count > 0);
        LinearExpr Weighted(bool withGroups)
        {
            var variables = new List<IntVar>();
            var weights = new List<long>();
            for (var c = 0; c < _x.Count; c++)
            {
                var weight = _candidates[c].Value + (withGroups && _soleWishes.Contains(_candidates[c].Wish) ? _groupWeight : 0);
                if (weight == 0) continue;
                variables.Add(_x[c]);
                weights.Add(weight);
            }
            foreach (var (z, _) in _spread)
            {
                variables.Add(z);
                weights.Add(spreadBonus);
            }
            foreach (var (g, _) in withGroups ? _groups : [])
            {
                variables.Add(g);
                weights.Add(_groupWeight);
            }
            return LinearExpr.WeightedSum(variables, weights);
        }

        var chosen = _component.Wishes.Where(_problem.Start.ContainsKey).ToDictionary(w => w, w => _problem.Start[w]);
        _model.Maximize(Weighted(fairness));
        Hint(chosen);
        var (status, solution, objective, bound, used) = Run(fairness ? deterministicLimit * 0.75 : deterministicLimit, clock, deadline);
        if (solution is not null && objective >= Combined(chosen)) chosen = solution;
        var value = ObjectiveOf(_problem, chosen.Values.Select(v => v.Candidate));
        var optimal = status == CpSolverStatus.Optimal;
        bound = status is CpSolverStatus.Optimal or CpSolverStatus.Feasible or CpSolverStatus.Unknown
            ? bound - (fairness ? _groupWeight * Served(chosen) : 0)
            : value;

        if (fairness && !optimal && (deadline - clock.Elapsed).TotalSeconds > 0.05)
        {
            var served = _soleWishes.SelectMany(w => _byWish[w]).Select(c => (LinearExpr)_x[c]).Concat(_groups.Select(g => (LinearExpr)g.Var));
            _model.Add(LinearExpr.Sum(served) >= Served(chosen));
            _model.Maximize(Weighted(withGroups: false));
            Hint(chosen);
            var (second, better, weighted, weightedBound, more) = Run(Math.Max(0.02, deterministicLimit - used), clock, deadline);
            used += more;
            if (better is not null && weighted >= value) (chosen, value) = (better, weighted);
            if (second is CpSolverStatus.Optimal or CpSolverStatus.Feasible or CpSolverStatus.Unknown) bound = Math.Min(bound, weightedBound);
        }
        return new ComponentOutcome(Allocations(_problem, chosen), value, Math.Max(value, bound), optimal, used);
    }

    private long Served(Dictionary<int, (Candidate Candidate, int Lane)> plan) =>
        _soleWishes.Count(plan.ContainsKey) + _groups.Count(g => g.Wishes.Any(plan.ContainsKey));

    private long Combined(Dictionary<int, (Candidate Candidate, int Lane)> plan) =>
        ObjectiveOf(_problem, plan.Values.Select(v => v.Candidate)) + _groupWeight * Served(plan);

    private void Hint(Dictionary<int, (Candidate Candidate, int Lane)> chosen)
    {
        _model.ClearHints();
        var on = new HashSet<int>();
        var lanes = new Dictionary<int, int>();
        foreach (var (wish, (candidate, lane)) in chosen)
        {
            var c = _byWish[wish].First(i => ReferenceEquals(_candidates[i], candidate));
            on.Add(c);
            lanes[c] = lane;
        }
        for (var c = 0; c < _x.Count; c++) _model.AddHint(_x[c], on.Contains(c) ? 1 : 0);
        foreach (var ((c, lane), var) in _laneVars) _model.AddHint(var, lanes.TryGetValue(c, out var l) && l == lane ? 1 : 0);
        foreach (var (z, list) in _spread) _model.AddHint(z, list.Any(on.Contains) ? 1 : 0);
        foreach (var (g, wishes) in _groups) _model.AddHint(g, wishes.Any(chosen.ContainsKey) ? 1 : 0);
        foreach (var (y, list) in _modes) _model.AddHint(y, list.Any(on.Contains) ? 1 : 0);
    }

    private (CpSolverStatus Status, Dictionary<int, (Candidate Candidate, int Lane)>? Solution, long Objective, long Bound, double DeterministicTime)
        Run(double deterministicLimit, Stopwatch clock, TimeSpan deadline)
    {
        var wall = Math.Max(0.05, (deadline - clock.Elapsed).TotalSeconds);
        using var solver = new CpSolver
        {
            // One worker: deterministic. Linearization level 2 puts the at-most-one and capacity rows into the LP: the bound
            // that proves these packing problems optimal (level 1 left gaps of 5 % and more on the bench round). One presolve
            // pass does nearly all the good of several at a quarter of the time (measured with make bench).
            StringParameters = string.Create(CultureInfo.InvariantCulture,
                $"num_workers:1 random_seed:1 linearization_level:2 max_presolve_iterations:1 max_deterministic_time:{deterministicLimit:0.###} max_time_in_seconds:{wall:0.###}"),
        };
        lock (_running)
        {
            // the cancellation callback stops the solvers in the set; one that starts after it must not run at all
            if (_cancellation.IsCancellationRequested) return (CpSolverStatus.Unknown, null, 0, long.MaxValue / 4, 0);
            _running.Add(solver);
        }
        CpSolverStatus status;
        try
        {
            status = solver.Solve(_model);
        }
        finally
        {
            lock (_running) _running.Remove(solver);
        }
        if (status == CpSolverStatus.ModelInvalid) throw new InvalidOperationException("CP-SAT model invalid: " + _model.Validate());
        var time = solver.Response?.DeterministicTime ?? 0;
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return (status, null, 0, status == CpSolverStatus.Unknown ? (long)Math.Floor(solver.BestObjectiveBound + 1e-6) : 0, time);
        }
        var solution = new Dictionary<int, (Candidate, int)>();
        for (var c = 0; c < _x.Count; c++)
        {
            if (!solver.BooleanValue(_x[c])) continue;
            var candidate = _candidates[c];
            var lane = candidate.Lanes.FirstOrDefault(l => _laneVars.TryGetValue((c, l), out var v) && solver.BooleanValue(v), -1);
            solution[candidate.Wish] = (candidate, lane);
        }
        return (status, solution, (long)Math.Round(solver.ObjectiveValue), (long)Math.Floor(solver.BestObjectiveBound + 1e-6), time);
    }

    /// <summary>The component's part of the objective: values of the placed wishes and the spread bonus of their centre days.</summary>
    private static long ObjectiveOf(PlanProblem problem, IEnumerable<Candidate> chosen)
    {
        var list = chosen.ToList();
        var days = list.Select(c => (c.Room.CentreId, c.Weekday)).Where(d => !problem.FixedDays.Contains(d)).Distinct().Count();
        return list.Sum(c => c.Value) + (long)problem.Context.Policy.SpreadBonus * days;
    }

    /// <summary>
    /// The chosen places with lanes: explicit ones as solved; elsewhere every-other-week and monthly uses get the lowest
    /// lane free at their start, in order of start (first fit in start order colours intervals with the fewest lanes).
    /// </summary>
    public static List<Allocation> Allocations(PlanProblem problem, Dictionary<int, (Candidate Candidate, int Lane)> chosen)
    {
        var occupancy = new Occupancy();
        var result = new List<Allocation>();
        var ordered = chosen
            .OrderBy(c => problem.ExplicitDays.Contains((c.Value.Candidate.Room.Id, c.Value.Candidate.Weekday)) ? 0 : 1)
            .ThenBy(c => c.Value.Candidate.Room.Id).ThenBy(c => c.Value.Candidate.Weekday)
            .ThenBy(c => c.Value.Candidate.Start).ThenBy(c => c.Value.Candidate.End).ThenBy(c => c.Key);
        foreach (var (wishIndex, (candidate, solvedLane)) in ordered)
        {
            var wish = problem.Context.Wishes[wishIndex];
            var explicitDay = problem.ExplicitDays.Contains((candidate.Room.Id, candidate.Weekday));
            var lane = explicitDay && solvedLane >= 0 ? solvedLane
                : occupancy.FreeLane(candidate.Room.Id, candidate.Weekday, candidate.Start, candidate.End, candidate.Frequency)
                  ?? throw new InvalidOperationException($"No lane left for wish {wish.Id}.");
            var placement = new Placement(candidate.Room.Id, candidate.Weekday, candidate.Start, candidate.End, lane);
            occupancy.Add(wish.Id, wish.Frequency, placement, false);
            result.Add(new Allocation(wish.Id, candidate.Rank, placement, Locked: false));
        }
        return result;
    }
}
