using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;

namespace Buurtcentra.Web.Features.Planning.Optimiser;

/// <summary>
/// The CP-SAT model of one component: a yes/no per candidate, at most one per wish, no overlaps per room and weekday,
/// spread bonus per centre and weekday, groups served; solved lexicographically (groups, then the weighted objective).
/// </summary>
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
        return new ComponentOutcome(allocations, objective, Math.Max(objective, TrivialBound(problem, component)), false, 0);
    }

    /// <summary>An upper bound without solving: every wish its best candidate, every centre and day its spread bonus.</summary>
    private static long TrivialBound(PlanProblem problem, Component component)
    {
        var candidates = component.Wishes.SelectMany(w => problem.Candidates[w]).ToList();
        var days = candidates.Select(c => (c.Room.CentreId, c.Weekday)).Where(d => !problem.FixedDays.Contains(d)).Distinct().Count();
        return component.Wishes.Sum(w => problem.Candidates[w].Count == 0 ? 0 : problem.Candidates[w].Max(c => c.Value))
            + (long)problem.Context.Policy.SpreadBonus * days;
    }

    /// <summary>CP-SAT's bound as a whole number; "none" (infinite) as a very large one.</summary>
    private static long BoundOf(CpSolver solver) =>
        double.IsFinite(solver.BestObjectiveBound) && Math.Abs(solver.BestObjectiveBound) < 1e15
            ? (long)Math.Floor(solver.BestObjectiveBound + 1e-6)
            : long.MaxValue / 4;

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
        var items = candidates.Select(c => (_candidates[c].Start, _candidates[c].BlockEnd, c)).ToList();
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
                    items.Add((candidate.Start, candidate.BlockEnd, _x[c]));
                    continue;
                }
                foreach (var lane in candidate.Lanes)
                {
                    if ((Lanes.Mask(candidate.Frequency, lane) >> subLane & 1) == 1) items.Add((candidate.Start, candidate.BlockEnd, _laneVars[(c, lane)]));
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
        // with fairness, a quarter of the time stays for the second solve
        var firstDeadline = fairness ? clock.Elapsed + (deadline - clock.Elapsed) * 0.75 : deadline;
        var (status, solution, objective, bound, used) = Run(fairness ? deterministicLimit * 0.75 : deterministicLimit, clock, firstDeadline);
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
        bound = Math.Min(bound, TrivialBound(_problem, _component));
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
            return (status, null, 0, status == CpSolverStatus.Unknown ? BoundOf(solver) : 0, time);
        }
        var solution = new Dictionary<int, (Candidate, int)>();
        for (var c = 0; c < _x.Count; c++)
        {
            if (!solver.BooleanValue(_x[c])) continue;
            var candidate = _candidates[c];
            var lane = candidate.Lanes.FirstOrDefault(l => _laneVars.TryGetValue((c, l), out var v) && solver.BooleanValue(v), -1);
            solution[candidate.Wish] = (candidate, lane);
        }
        return (status, solution, (long)Math.Round(solver.ObjectiveValue), BoundOf(solver), time);
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
        var occupancy = new Occupancy(problem.Context);
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
