using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Tests.Planning.Optimiser;

/// <summary>
/// The rules written out a second time, independently of the optimiser's code: every test plan is checked against them,
/// and the brute-force enumerator uses them.
/// </summary>
internal static class PlanChecks
{
    /// <summary>Do two uses of the same room, weekday and overlapping time share a week?</summary>
    public static bool WeeksClash(Frequency a, int laneA, Frequency b, int laneB) => (a, b) switch
    {
        (Frequency.Weekly, _) or (_, Frequency.Weekly) => true,
        (Frequency.EveryOtherWeek, Frequency.EveryOtherWeek) => laneA == laneB,
        (Frequency.Monthly, Frequency.Monthly) => laneA == laneB,
        // the n-th weekday of a month is in an odd week some months and an even week in others
        _ => true,
    };

    /// <summary>Same room and weekday, blocked times ([start − set-up, end + clean-up)) overlap, and a shared week.</summary>
    public static bool Clash(PlanInput input, Wish a, Placement pa, Wish b, Placement pb)
    {
        if (pa.RoomId != pb.RoomId || pa.Weekday != pb.Weekday) return false;
        var room = input.Rooms.SingleOrDefault(r => r.Id == pa.RoomId);
        var (setup, cleanup) = (room?.SetupMinutes ?? 0, room?.CleanupMinutes ?? 0);
        return pa.StartMinute - setup < pb.EndMinute + cleanup && pb.StartMinute - setup < pa.EndMinute + cleanup
            && WeeksClash(a.Frequency, pa.Lane, b.Frequency, pb.Lane);
    }

    public static int[] LanesOf(Frequency frequency) => frequency switch
    {
        Frequency.Weekly => [0],
        Frequency.EveryOtherWeek => [1, 2],
        _ => [1, 2, 3, 4],
    };

    /// <summary>Every placement the rules allow for one option of a wish (lanes included).</summary>
    public static IEnumerable<Placement> Places(PlanInput input, Wish wish, WishOption option)
    {
        var rooms = input.Rooms.Where(r => r.CentreId == option.CentreId && (option.RoomId is null || r.Id == option.RoomId));
        foreach (var room in rooms)
        {
            if (room.Capacity < wish.Participants || !wish.Facilities.IsSubsetOf(room.Facilities)
                || !wish.Accessibility.IsSubsetOf(room.Accessibility)) continue;
            var centre = input.Centres.Single(c => c.Id == room.CentreId);
            for (var start = option.EarliestStartMinute; start <= option.LatestStartMinute; start += input.Policy.StepMinutes)
            {
                var end = start + wish.DurationMinutes;
                if (!centre.OpeningHours.Any(w => w.Weekday == option.Weekday && w.OpensMinute <= start && end <= w.ClosesMinute)) continue;
                if (input.Policy.ProtectedBlocks.Any(b => b.RoomId == room.Id && b.Weekday == option.Weekday && b.StartMinute < end
                        && start < b.EndMinute && !b.Categories.Contains(wish.Category))) continue;
                foreach (var lane in LanesOf(wish.Frequency)) yield return new Placement(room.Id, option.Weekday, start, end, lane);
            }
        }
    }

    public static long Value(PlanInput input, Wish wish, int? rank) =>
        input.Policy.CategoryWeights.GetValueOrDefault(wish.Category) + (wish.Continuity ? input.Policy.ContinuityBonus : 0)
        + (rank is { } r ? input.Policy.RankBonus[r - 1] : 0);

    public static long Objective(PlanInput input, IEnumerable<(Wish Wish, int? Rank, Placement Placement)> plan)
    {
        var list = plan.ToList();
        var days = list.Select(p => (input.Rooms.Single(r => r.Id == p.Placement.RoomId).CentreId, p.Placement.Weekday)).Distinct().Count();
        return list.Sum(p => Value(input, p.Wish, p.Rank)) + (long)input.Policy.SpreadBonus * days;
    }

    /// <summary>The plan keeps every rule, honours every lock, explains every wish once, and reports its own objective.</summary>
    public static void AssertValid(PlanInput input, PlanResult result)
    {
        Assert.NotEqual("onhaalbaar", result.Stats.Status);
        var wishes = input.Wishes.ToDictionary(w => w.Id);
        Assert.Equal(result.Allocations.Count, result.Allocations.Select(a => a.WishId).Distinct().Count());
        foreach (var allocation in result.Allocations)
        {
            var wish = wishes[allocation.WishId];
            var planLock = input.Locks.SingleOrDefault(l => l.WishId == wish.Id);
            if (planLock is not null)
            {
                Assert.True(allocation.Locked);
                Assert.Equal(planLock.Placement, allocation.Placement);
                continue;
            }
            Assert.False(allocation.Locked);
            var option = wish.Options.Single(o => o.Rank == allocation.OptionRank);
            Assert.Contains(allocation.Placement, Places(input, wish, option));
        }
        foreach (var planLock in input.Locks.Where(l => l.Placement is null)) Assert.Null(result.For(planLock.WishId));
        foreach (var planLock in input.Locks.Where(l => l.Placement is not null)) Assert.NotNull(result.For(planLock.WishId));
        for (var i = 0; i < result.Allocations.Count; i++)
        {
            for (var j = i + 1; j < result.Allocations.Count; j++)
            {
                var (a, b) = (result.Allocations[i], result.Allocations[j]);
                Assert.False(Clash(input, wishes[a.WishId], a.Placement, wishes[b.WishId], b.Placement), $"wishes {a.WishId} and {b.WishId} overlap");
            }
        }
        Assert.Equal(input.Wishes.Select(w => w.Id).Order(), result.Explanations.Select(e => e.WishId).Order());
        Assert.Equal(Objective(input, result.Allocations.Select(a => (wishes[a.WishId], a.OptionRank, a.Placement))), result.Stats.Objective);
        Assert.Equal(result.Allocations.Count, result.Stats.Granted);
        Assert.Equal(result.Allocations.Select(a => wishes[a.WishId].GroupKey).Distinct().Count(), result.Stats.GroupsServed);
        Assert.True(result.Stats.Bound >= result.Stats.Objective);
    }

    /// <summary>
    /// The best plan by full enumeration (no locks): lexicographically most groups served (when the policy asks for
    /// fairness), then the highest objective. Returns (groups, objective).
    /// </summary>
    public static (int Groups, long Objective) BruteForce(PlanInput input)
    {
        var wishes = input.Wishes;
        var choices = wishes.Select(w => w.Options.OrderBy(o => o.Rank)
            .SelectMany(o => Places(input, w, o).Select(p => ((int?)o.Rank, p))).ToList()).ToList();
        var chosen = new List<(Wish Wish, int? Rank, Placement Placement)>();
        (int Groups, long Objective) best = (0, 0);
        void Walk(int i)
        {
            if (i == wishes.Count)
            {
                var groups = input.Policy.Fairness ? chosen.Select(c => c.Wish.GroupKey).Distinct().Count() : 0;
                var score = (groups, Objective(input, chosen));
                if (score.CompareTo(best) > 0) best = score;
                return;
            }
            Walk(i + 1);
            foreach (var (rank, placement) in choices[i])
            {
                if (chosen.Any(c => Clash(input, c.Wish, c.Placement, wishes[i], placement))) continue;
                chosen.Add((wishes[i], rank, placement));
                Walk(i + 1);
                chosen.RemoveAt(chosen.Count - 1);
            }
        }
        Walk(0);
        return best;
    }
}
