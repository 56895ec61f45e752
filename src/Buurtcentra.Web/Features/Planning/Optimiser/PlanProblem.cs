namespace Buurtcentra.Web.Features.Planning.Optimiser;

/// <summary>A possible place for an open wish (deduplicated over its options: the best rank bonus wins).</summary>
internal sealed record Candidate(int Wish, int Rank, PlanRoom Room, int Weekday, int Start, int End, Frequency Frequency, long Value,
    IReadOnlyList<int> Lanes)
{
    /// <summary>Until when the room is taken: the end plus the room's set-up and clean-up (see <see cref="PlanContext.Buffer"/>).</summary>
    public int BlockEnd { get; } = End + Math.Max(0, Room.SetupMinutes) + Math.Max(0, Room.CleanupMinutes);
}

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
                    if (b.Wish == a.Wish || b.Start >= a.BlockEnd || a.Start >= b.BlockEnd) continue;
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
        var occupancy = new Occupancy(Context);
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
        var occupancy = new Occupancy(Context);
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
