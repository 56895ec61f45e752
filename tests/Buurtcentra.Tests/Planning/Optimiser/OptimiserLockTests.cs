using Buurtcentra.Web.Features.Planning.Optimiser;
using static Buurtcentra.Tests.Planning.Optimiser.PlanBuilder;

namespace Buurtcentra.Tests.Planning.Optimiser;

/// <summary>The beheerder's locks: the last word, respected by both planners.</summary>
public sealed class OptimiserLockTests
{
    [Fact]
    public void A_locked_placement_is_kept_even_outside_the_options_and_occupies_the_room()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Room(11, 1);
        b.Wish(1, category: Commercieel, options: [Option(1, 1, 11, 5, At(10))]);
        b.Wish(2, category: Huiskamer, options: [Option(1, 1, 10, 2, At(19))]);
        var locked = new Placement(10, 2, At(18, 30), At(20), 0);
        b.Lock(1, locked);
        var input = b.Build();

        foreach (var result in new[] { Solve(input), GreedyPlanner.Plan(input) })
        {
            PlanChecks.AssertValid(input, result);
            var allocation = result.For(1)!;
            Assert.Equal((locked, (int?)null, true), (allocation.Placement, allocation.OptionRank, allocation.Locked));
            Assert.Equal(Outcome.Locked, result.Explain(1).Outcome);
            Assert.Null(result.For(2));
            var reason = Assert.Single(result.ReasonsFor(2, 1));
            // the lock wins although its wish ranks lower
            Assert.Equal((ReasonKind.Locked, 1L, false), (reason.Kind, reason.BlockingWishId!.Value, reason.HigherPriority!.Value));
        }
    }

    [Fact]
    public void A_lock_that_matches_an_option_counts_with_its_rank()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, options: [Option(1, 1, 10, 1, At(9)), Option(2, 1, null, 2, At(19), At(20))]);
        b.Lock(1, new Placement(10, 2, At(19, 30), At(21), 0));
        var input = b.Build();

        var result = Solve(input);

        Assert.Equal(2, result.For(1)!.OptionRank);
        Assert.Equal(Outcome.Locked, result.Explain(1).Outcome);
        Assert.Equal(2, result.Explain(1).GrantedRank);
        Assert.Equal(60 + 15, result.Stats.Objective);
    }

    [Fact]
    public void A_wish_locked_as_not_granted_stays_out_and_frees_its_slot()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, category: Huiskamer, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, category: Commercieel, options: [Option(1, 1, 10, 2, At(19))]);
        b.Lock(1, null);
        var input = b.Build();

        foreach (var result in new[] { Solve(input), GreedyPlanner.Plan(input) })
        {
            PlanChecks.AssertValid(input, result);
            Assert.Null(result.For(1));
            Assert.Equal(Outcome.Excluded, result.Explain(1).Outcome);
            Assert.Equal(ReasonKind.Locked, result.ReasonsFor(1, 1).Single().Kind);
            Assert.Equal(Outcome.FirstChoice, result.Explain(2).Outcome);
        }
    }

    [Fact]
    public void Locks_that_claim_the_same_room_make_the_round_infeasible_without_throwing()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, frequency: Frequency.EveryOtherWeek, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, frequency: Frequency.Monthly, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(3, options: [Option(1, 1, 10, 3, At(19))]);
        b.Lock(1, new Placement(10, 2, At(19), At(20, 30), 1));
        b.Lock(2, new Placement(10, 2, At(20), At(21, 30), 3));
        var input = b.Build();

        foreach (var result in new[] { Solve(input), GreedyPlanner.Plan(input) })
        {
            Assert.Equal("onhaalbaar", result.Stats.Status);
            Assert.Empty(result.Allocations);
            var conflict = Assert.Single(result.Stats.LockConflicts);
            Assert.Equal((1L, 2L, 10L, 2), (conflict.WishId, conflict.OtherWishId, conflict.RoomId, conflict.Weekday));
        }
    }

    [Fact]
    public void Locks_in_different_lanes_are_no_conflict()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, frequency: Frequency.Monthly, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, frequency: Frequency.Monthly, options: [Option(1, 1, 10, 2, At(19))]);
        b.Lock(1, new Placement(10, 2, At(19), At(20, 30), 1));
        b.Lock(2, new Placement(10, 2, At(19), At(20, 30), 2));
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.Equal(2, result.Stats.Granted);
    }

    [Fact]
    public void Around_a_locked_every_other_week_lane_the_free_lane_is_used_and_lanes_follow_the_locks()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, frequency: Frequency.EveryOtherWeek, duration: 60, options: [Option(1, 1, 10, 2, At(18))]);
        b.Wish(2, frequency: Frequency.EveryOtherWeek, duration: 60, options: [Option(1, 1, 10, 2, At(20))]);
        // a wish spanning both locks can only take lane 2 at 18:00 and lane 1 at 20:00: impossible
        b.Wish(3, category: Huiskamer, frequency: Frequency.EveryOtherWeek, duration: 180, options: [Option(1, 1, 10, 2, At(18))]);
        // fits next to the locks in their free lanes
        b.Wish(4, frequency: Frequency.EveryOtherWeek, duration: 60, options: [Option(1, 1, 10, 2, At(18))]);
        b.Wish(5, frequency: Frequency.EveryOtherWeek, duration: 60, options: [Option(1, 1, 10, 2, At(20))]);
        b.Wish(6, frequency: Frequency.Weekly, duration: 60, options: [Option(1, 1, 10, 2, At(19))]);
        // only lane 2 is free at 18:00, and wish 4 (higher priority) has it
        b.Wish(7, category: Commercieel, frequency: Frequency.EveryOtherWeek, duration: 60, options: [Option(1, 1, 10, 2, At(18))]);
        b.Lock(1, new Placement(10, 2, At(18), At(19), 1));
        b.Lock(2, new Placement(10, 2, At(20), At(21), 2));
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.Null(result.For(3));
        Assert.Equal(2, result.For(4)!.Placement.Lane);
        Assert.Equal(1, result.For(5)!.Placement.Lane);
        Assert.NotNull(result.For(6));
        Assert.Null(result.For(7));
        Assert.Equal(4, result.ReasonsFor(7, 1).Single(r => r.Kind == ReasonKind.TakenBy).BlockingWishId);
    }
}
