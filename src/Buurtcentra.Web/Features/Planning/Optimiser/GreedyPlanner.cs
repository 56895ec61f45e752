using System.Diagnostics;

namespace Buurtcentra.Web.Features.Planning.Optimiser;

/// <summary>
/// What a careful person does by hand: the locks first, then the wishes in order of priority (the policy's category
/// weight and continuity bonus; continuity first on a tie, then the oldest wish), each taking its best option still free:
/// rank order, then room order, earliest start, lowest lane. The objective is computed as the optimiser's, so the two compare.
/// </summary>
public static class GreedyPlanner
{
    public static PlanResult Plan(PlanInput input)
    {
        var clock = Stopwatch.StartNew();
        var context = new PlanContext(input);
        var locks = LockedPlan.Apply(context);
        if (locks.Conflicts.Count > 0) return PlanAssembly.Infeasible(locks, clock.Elapsed);
        var allocations = new List<Allocation>(locks.Allocations);
        var occupancy = locks.Occupancy;
        foreach (var index in Greedy.Order(context, Greedy.OpenWishes(context, locks)))
        {
            var wish = context.Wishes[index];
            foreach (var slot in PlanContext.Ranked(wish).SelectMany(o => context.Slots(wish, o)))
            {
                if (occupancy.FreeLane(slot.Room.Id, slot.Weekday, slot.Start, slot.End, wish.Frequency) is not { } lane) continue;
                var placement = new Placement(slot.Room.Id, slot.Weekday, slot.Start, slot.End, lane);
                occupancy.Add(wish.Id, wish.Frequency, placement, locked: false);
                allocations.Add(new Allocation(wish.Id, slot.Rank, placement, Locked: false));
                break;
            }
        }
        return PlanAssembly.Build(context, allocations, "greedy", bound: null, clock.Elapsed, components: 0);
    }
}

internal static class Greedy
{
    /// <summary>The wishes no lock decides (each id once), as indexes into the input.</summary>
    public static List<int> OpenWishes(PlanContext context, LockedPlan locks) =>
        Enumerable.Range(0, context.Wishes.Count)
            .Where(i => context.WishIndex[context.Wishes[i].Id] == i && !locks.Fixed.Contains(context.Wishes[i].Id))
            .ToList();

    /// <summary>Highest priority first; continuity first on a tie; then by id.</summary>
    public static IEnumerable<int> Order(PlanContext context, IEnumerable<int> wishes) =>
        wishes.OrderByDescending(i => context.Priority(context.Wishes[i]))
            .ThenByDescending(i => context.Wishes[i].Continuity)
            .ThenBy(i => context.Wishes[i].Id);
}
