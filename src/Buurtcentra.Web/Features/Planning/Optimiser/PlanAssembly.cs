namespace Buurtcentra.Web.Features.Planning.Optimiser;

/// <summary>The beheerder's locks applied: placed wishes occupy their rooms, excluded wishes stay out.</summary>
internal sealed class LockedPlan(PlanContext context)
{
    public Occupancy Occupancy { get; } = new(context);
    public List<Allocation> Allocations { get; } = [];
    /// <summary>Wishes whose fate a lock decides (placed or excluded).</summary>
    public HashSet<long> Fixed { get; } = [];
    public List<LockConflict> Conflicts { get; } = [];

    public static LockedPlan Apply(PlanContext context)
    {
        var plan = new LockedPlan(context);
        foreach (var planLock in context.Input.Locks)
        {
            if (context.WishById(planLock.WishId) is not { } wish || !plan.Fixed.Add(wish.Id)) continue;
            if (planLock.Placement is not { } placement) continue;
            var mask = Lanes.Mask(wish.Frequency, placement.Lane);
            foreach (var other in plan.Occupancy.Conflicts(placement.RoomId, placement.Weekday, placement.StartMinute, placement.EndMinute, mask))
            {
                plan.Conflicts.Add(new LockConflict(other.WishId, wish.Id, placement.RoomId, placement.Weekday));
            }
            plan.Occupancy.Add(wish.Id, wish.Frequency, placement, locked: true);
            plan.Allocations.Add(new Allocation(wish.Id, context.MatchRank(wish, placement), placement, Locked: true));
        }
        return plan;
    }
}

/// <summary>Turns a set of allocations into the result both planners return: stats and an explanation per wish.</summary>
internal static class PlanAssembly
{
    public static PlanResult Build(PlanContext context, IEnumerable<Allocation> allocations, string status, long? bound,
        TimeSpan elapsed, int components)
    {
        var ordered = allocations
            .Where(a => context.WishIndex.ContainsKey(a.WishId))
            .OrderBy(a => context.WishIndex[a.WishId])
            .ToList();
        var occupancy = new Occupancy(context);
        foreach (var allocation in ordered)
        {
            occupancy.Add(allocation.WishId, context.WishById(allocation.WishId)!.Frequency, allocation.Placement, allocation.Locked);
        }
        var objective = context.Objective(ordered);
        var explanations = Explainer.Explain(context, ordered, occupancy);
        var groups = ordered.Select(a => context.WishById(a.WishId)!.GroupKey).Distinct().Count();
        var stats = new SolveStats(status, objective, Math.Max(bound ?? objective, objective), elapsed, ordered.Count, groups)
        {
            Components = components,
        };
        return new PlanResult(ordered, explanations, stats);
    }

    /// <summary>Locks that contradict each other: no plan, the conflicting pairs instead.</summary>
    public static PlanResult Infeasible(LockedPlan locks, TimeSpan elapsed) =>
        new([], [], new SolveStats("onhaalbaar", 0, 0, elapsed, 0, 0) { LockConflicts = locks.Conflicts });
}

/// <summary>
/// Why every wish got what it got, from the final plan alone (so both planners explain alike): per option better than the
/// granted one, the rule that rules it out (room too small, facility missing, closed, protected block) when no place of
/// that option is possible at all, otherwise the wishes (or locks) that occupy its places. Wishes not granted also get
/// up to three free places nearby.
/// </summary>
internal static class Explainer
{
    private const int MaxBlockers = 3, MaxAlternatives = 3, MaxBlocks = 3;

    public static List<WishExplanation> Explain(PlanContext context, IReadOnlyList<Allocation> allocations, Occupancy occupancy)
    {
        var byWish = allocations.ToDictionary(a => a.WishId);
        var grantedPerGroup = allocations
            .GroupBy(a => context.WishById(a.WishId)!.GroupKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var excluded = context.Input.Locks.Where(l => l.Placement is null).Select(l => l.WishId).ToHashSet();
        var explanations = new List<WishExplanation>(context.Wishes.Count);
        var seen = new HashSet<long>();
        foreach (var wish in context.Wishes)
        {
            if (!seen.Add(wish.Id)) continue;
            if (byWish.TryGetValue(wish.Id, out var allocation))
            {
                var rank = allocation.OptionRank;
                var outcome = allocation.Locked ? Outcome.Locked : rank == 1 ? Outcome.FirstChoice : Outcome.Alternative;
                var options = PlanContext.Ranked(wish)
                    .Where(o => rank is null || o.Rank <= rank)
                    .Select(o => new OptionReason(o.Rank, o.Rank == rank ? [] : Reasons(context, wish, o, occupancy)))
                    .ToList();
                explanations.Add(new WishExplanation(wish.Id, outcome, rank, options, []));
            }
            else if (excluded.Contains(wish.Id))
            {
                var options = PlanContext.Ranked(wish)
                    .Select(o => new OptionReason(o.Rank, [new Reason(ReasonKind.Locked) { BlockingWishId = wish.Id }]))
                    .ToList();
                explanations.Add(new WishExplanation(wish.Id, Outcome.Excluded, null, options, []));
            }
            else
            {
                var groupHasSlot = context.Policy.Fairness && grantedPerGroup.ContainsKey(wish.GroupKey);
                var options = PlanContext.Ranked(wish)
                    .Select(o => new OptionReason(o.Rank, Reasons(context, wish, o, occupancy, groupHasSlot ? grantedPerGroup : null)))
                    .ToList();
                explanations.Add(new WishExplanation(wish.Id, Outcome.NotGranted, null, options, FreeSlots(context, wish, occupancy)));
            }
        }
        return explanations;
    }

    /// <summary>
    /// What stands in the way of one option in the final plan. <paramref name="grantedPerGroup"/> (only for a wish not
    /// granted whose group has another slot, under the fairness policy) marks blockers that are their group's only slot.
    /// </summary>
    public static IReadOnlyList<Reason> Reasons(PlanContext context, Wish wish, WishOption option, Occupancy occupancy,
        IReadOnlyDictionary<string, int>? grantedPerGroup = null)
    {
        var rooms = context.OptionRooms(option);
        if (rooms.Count == 0) return [new Reason(ReasonKind.NoRoom) { RoomId = option.RoomId }];
        var slots = context.Slots(wish, option);
        if (slots.Count == 0) return StaticReasons(context, wish, option, rooms);

        var blockers = new Dictionary<long, (int Count, Occupancy.Entry Entry)>();
        var priority = context.Priority(wish);
        foreach (var slot in slots)
        {
            var slotBlockers = new List<Occupancy.Entry>();
            var free = false;
            foreach (var lane in Lanes.Of(wish.Frequency))
            {
                var conflicts = occupancy.Conflicts(slot.Room.Id, slot.Weekday, slot.Start, slot.End, Lanes.Mask(wish.Frequency, lane), wish.Id).ToList();
                if (conflicts.Count == 0)
                {
                    free = true;
                    break;
                }
                slotBlockers.AddRange(conflicts);
            }
            // A place of this option was free: the plan as a whole scores higher without it (or the search stopped early).
            if (free) return [new Reason(ReasonKind.Balance) { RoomId = slot.Room.Id }];
            foreach (var entry in slotBlockers.DistinctBy(e => e.WishId))
            {
                blockers[entry.WishId] = blockers.TryGetValue(entry.WishId, out var known) ? (known.Count + 1, known.Entry) : (1, entry);
            }
        }
        return blockers
            .Select(b => (b.Key, b.Value.Count, b.Value.Entry, Priority: context.WishById(b.Key) is { } other ? context.Priority(other) : 0))
            .OrderByDescending(b => b.Entry.Locked)
            .ThenByDescending(b => b.Count)
            .ThenByDescending(b => b.Priority)
            .ThenBy(b => b.Key)
            .Take(MaxBlockers)
            .Select(b => new Reason(b.Entry.Locked ? ReasonKind.Locked : ReasonKind.TakenBy)
            {
                BlockingWishId = b.Key,
                HigherPriority = b.Priority > priority,
                RoomId = b.Entry.RoomId,
                FairShare = grantedPerGroup is null ? null
                    : context.WishById(b.Key) is { } other && grantedPerGroup.GetValueOrDefault(other.GroupKey) == 1,
            })
            .ToList();
    }

    /// <summary>No place of the option is possible at all: the rules that rule each room and time out, one reason per rule.</summary>
    private static List<Reason> StaticReasons(PlanContext context, Wish wish, WishOption option, IReadOnlyList<PlanRoom> rooms)
    {
        var reasons = new List<Reason>();
        var fits = rooms.Select(r => (Room: r, Fit: PlanContext.Fit(wish, r))).ToList();
        long? Single(IEnumerable<PlanRoom> failing)
        {
            var list = failing.ToList();
            return list.Count == 1 ? list[0].Id : null;
        }
        var tooSmall = fits.Where(f => !f.Fit.CapacityOk).Select(f => f.Room).ToList();
        if (tooSmall.Count > 0) reasons.Add(new Reason(ReasonKind.Capacity) { RoomId = Single(tooSmall) });
        var lacking = fits.Where(f => f.Fit.MissingFacilities.Count > 0).ToList();
        if (lacking.Count > 0)
        {
            reasons.Add(new Reason(ReasonKind.Facilities)
            {
                RoomId = Single(lacking.Select(f => f.Room)),
                Missing = lacking.SelectMany(f => f.Fit.MissingFacilities).Distinct().Order(StringComparer.Ordinal).ToList(),
            });
        }
        var inaccessible = fits.Where(f => f.Fit.MissingAccessibility.Count > 0).ToList();
        if (inaccessible.Count > 0)
        {
            reasons.Add(new Reason(ReasonKind.Accessibility)
            {
                RoomId = Single(inaccessible.Select(f => f.Room)),
                Missing = inaccessible.SelectMany(f => f.Fit.MissingAccessibility).Distinct().Order(StringComparer.Ordinal).ToList(),
            });
        }

        var fitting = fits.Where(f => f.Fit.Ok).Select(f => f.Room).ToList();
        var closed = new List<PlanRoom>();
        var blocks = new List<ProtectedBlock>();
        foreach (var room in fitting)
        {
            var starts = context.Starts(option).ToList();
            if (starts.Count == 0 || wish.DurationMinutes <= 0) closed.Add(room);
            foreach (var start in starts)
            {
                var end = start + wish.DurationMinutes;
                if (!context.Open(room.CentreId, option.Weekday, start, end))
                {
                    if (!closed.Contains(room)) closed.Add(room);
                }
                else if (context.Block(wish, room.Id, option.Weekday, start, end) is { } block && !blocks.Contains(block))
                {
                    blocks.Add(block);
                }
            }
        }
        if (closed.Count > 0) reasons.Add(new Reason(ReasonKind.OpeningHours) { RoomId = Single(closed) });
        reasons.AddRange(blocks.Take(MaxBlocks).Select(b => new Reason(ReasonKind.ProtectedBlock) { BlockId = b.Id, RoomId = b.RoomId }));
        return reasons;
    }

    /// <summary>
    /// Up to three free places (in the final plan) that meet the wish's needs, each in another room or on another day:
    /// its own centre first (its options' weekdays, nearest time; then other weekdays), then centres in the same wijk, then the rest.
    /// </summary>
    public static IReadOnlyList<FreeSlot> FreeSlots(PlanContext context, Wish wish, Occupancy occupancy)
    {
        var options = PlanContext.Ranked(wish).ToList();
        if (options.Count == 0 || wish.DurationMinutes <= 0) return [];
        var reference = options[0];
        var home = reference.CentreId;
        var wijk = context.CentreById.TryGetValue(home, out var homeCentre) ? homeCentre.WijkId : (int?)null;
        var optionDays = options.Select(o => o.Weekday).Distinct().ToList();
        var found = new List<FreeSlot>();
        var used = new HashSet<(long, int)>();

        var tiers = new List<List<PlanCentre>>
        {
            context.Input.Centres.Where(c => c.Id == home).Take(1).ToList(),
            context.Input.Centres.Where(c => c.Id != home && c.WijkId == wijk).ToList(),
            context.Input.Centres.Where(c => c.Id != home && c.WijkId != wijk).ToList(),
        };
        foreach (var tier in tiers)
        {
            var places = new List<(int DayClass, int Distance, int DayOrder, int CentreOrder, int RoomOrder, int Start, PlanRoom Room, int Weekday)>();
            for (var centreOrder = 0; centreOrder < tier.Count; centreOrder++)
            {
                var centre = tier[centreOrder];
                var rooms = context.RoomsOf(centre.Id).Where(r => PlanContext.Fit(wish, r).Ok).ToList();
                if (rooms.Count == 0) continue;
                for (var weekday = 1; weekday <= 7; weekday++)
                {
                    var dayIndex = optionDays.IndexOf(weekday);
                    var window = options.FirstOrDefault(o => o.Weekday == weekday) ?? reference;
                    foreach (var hours in context.Hours(centre.Id, weekday))
                    {
                        var first = hours.OpensMinute + Modulo(reference.EarliestStartMinute - hours.OpensMinute, context.Step);
                        for (var start = first; start + wish.DurationMinutes <= hours.ClosesMinute; start += context.Step)
                        {
                            var distance = start < window.EarliestStartMinute ? window.EarliestStartMinute - start
                                : start > window.LatestStartMinute ? start - window.LatestStartMinute : 0;
                            foreach (var room in rooms)
                            {
                                places.Add((dayIndex < 0 ? 1 : 0, distance, dayIndex < 0 ? weekday : dayIndex, centreOrder,
                                    context.RoomOrder[room.Id], start, room, weekday));
                            }
                        }
                    }
                }
            }
            places.Sort((a, b) => (a.DayClass, a.Distance, a.DayOrder, a.CentreOrder, a.RoomOrder, a.Start)
                .CompareTo((b.DayClass, b.Distance, b.DayOrder, b.CentreOrder, b.RoomOrder, b.Start)));
            foreach (var place in places)
            {
                if (used.Contains((place.Room.Id, place.Weekday))) continue;
                var end = place.Start + wish.DurationMinutes;
                if (context.Block(wish, place.Room.Id, place.Weekday, place.Start, end) is not null) continue;
                if (occupancy.FreeLane(place.Room.Id, place.Weekday, place.Start, end, wish.Frequency, wish.Id) is not { } lane) continue;
                used.Add((place.Room.Id, place.Weekday));
                found.Add(new FreeSlot(place.Room.CentreId, place.Room.Id, place.Weekday, place.Start, end, lane));
                if (found.Count == MaxAlternatives) return found;
            }
        }
        return found;
    }

    private static int Modulo(int value, int step) => ((value % step) + step) % step;
}
