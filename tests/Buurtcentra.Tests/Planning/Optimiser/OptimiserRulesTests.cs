using Buurtcentra.Web.Features.Planning.Optimiser;
using static Buurtcentra.Tests.Planning.Optimiser.PlanBuilder;

namespace Buurtcentra.Tests.Planning.Optimiser;

/// <summary>What the optimiser may and may not place: weeks shared by frequency, static needs, opening hours, blocks.</summary>
public sealed class OptimiserRulesTests
{
    [Fact]
    public void Two_every_other_week_wishes_share_a_slot_but_a_weekly_one_cannot_join()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, frequency: Frequency.EveryOtherWeek, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, frequency: Frequency.EveryOtherWeek, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(3, category: Commercieel, frequency: Frequency.Weekly, options: [Option(1, 1, 10, 2, At(19, 30))]);
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.Equal("optimaal", result.Stats.Status);
        Assert.Equal([1, 2], result.Allocations.Where(a => a.WishId is 1 or 2).Select(a => a.Placement.Lane).Order());
        Assert.Null(result.For(3));
        var reasons = result.ReasonsFor(3, 1);
        Assert.All(reasons, r => Assert.Equal(ReasonKind.TakenBy, r.Kind));
        Assert.Equal([1L, 2L], reasons.Select(r => r.BlockingWishId!.Value).Order());
        Assert.All(reasons, r => Assert.True(r.HigherPriority));
    }

    [Fact]
    public void A_weekly_wish_of_higher_value_takes_the_slot_from_one_every_other_week_wish()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, category: Commercieel, frequency: Frequency.EveryOtherWeek, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, category: Huiskamer, frequency: Frequency.Weekly, options: [Option(1, 1, 10, 2, At(20))]);
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.NotNull(result.For(2));
        Assert.Null(result.For(1));
    }

    [Fact]
    public void Every_other_week_and_monthly_conflict_but_four_monthly_wishes_share()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Room(11, 1);
        // room 10: every other week against monthly at the same time: only one of them
        b.Wish(1, category: SpDo, frequency: Frequency.EveryOtherWeek, options: [Option(1, 1, 10, 3, At(10))]);
        b.Wish(2, category: Commercieel, frequency: Frequency.Monthly, options: [Option(1, 1, 10, 3, At(10, 30))]);
        // room 11: four monthly wishes share one slot, a fifth does not fit
        for (var id = 11; id <= 15; id++)
        {
            b.Wish(id, category: id == 15 ? Commercieel : Bewoners, frequency: Frequency.Monthly, options: [Option(1, 1, 11, 3, At(14))]);
        }
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.NotNull(result.For(1));
        Assert.Null(result.For(2));
        Assert.Equal(1, result.ReasonsFor(2, 1).Single().BlockingWishId);
        Assert.Equal([1, 2, 3, 4], Enumerable.Range(11, 4).Select(id => result.For(id)!.Placement.Lane).Order());
        Assert.Null(result.For(15));
    }

    [Fact]
    public void Monthly_wishes_share_a_room_with_an_every_other_week_wish_only_at_other_times()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, frequency: Frequency.EveryOtherWeek, duration: 60, options: [Option(1, 1, 10, 1, At(18), At(20))]);
        b.Wish(2, frequency: Frequency.Monthly, duration: 60, options: [Option(1, 1, 10, 1, At(18), At(20))]);
        b.Wish(3, frequency: Frequency.EveryOtherWeek, duration: 60, options: [Option(1, 1, 10, 1, At(18), At(20))]);
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.Equal(3, result.Stats.Granted);
        Assert.Equal(result.For(1)!.Placement.StartMinute, result.For(3)!.Placement.StartMinute);
        Assert.NotEqual(result.For(1)!.Placement.StartMinute, result.For(2)!.Placement.StartMinute);
    }

    [Fact]
    public void Set_up_and_clean_up_time_keep_uses_of_a_room_apart()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1, setup: 15, cleanup: 15);
        b.Room(11, 1);
        // back to back: fine in room 11, not in room 10 (its uses need 30 minutes between them)
        b.Wish(1, category: Huiskamer, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, options: [Option(1, 1, 10, 2, At(20, 30))]);
        b.Wish(3, options: [Option(1, 1, 11, 2, At(19))]);
        b.Wish(4, options: [Option(1, 1, 11, 2, At(20, 30))]);
        // with a window it moves to 21:00
        b.Wish(5, options: [Option(1, 1, 10, 3, At(19))]);
        b.Wish(6, duration: 60, options: [Option(1, 1, 10, 3, At(20, 30), At(21))]);
        var input = b.Build();

        foreach (var result in new[] { Solve(input), GreedyPlanner.Plan(input) })
        {
            PlanChecks.AssertValid(input, result);
            Assert.Null(result.For(2));
            Assert.Equal(1, result.ReasonsFor(2, 1).Single().BlockingWishId);
            Assert.NotNull(result.For(3));
            Assert.NotNull(result.For(4));
            Assert.Equal(At(21), result.For(6)!.Placement.StartMinute);
        }
    }

    [Fact]
    public void A_start_moves_within_its_window_in_steps_and_stays_inside_opening_hours()
    {
        var b = new PlanBuilder { Step = 30 };
        b.Centre(1, closes: At(21));
        b.Room(10, 1);
        b.Wish(1, category: Huiskamer, duration: 120, options: [Option(1, 1, 10, 4, At(18), At(20))]);
        b.Wish(2, category: Bewoners, duration: 60, options: [Option(1, 1, 10, 4, At(17), At(20))]);
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.Equal(2, result.Stats.Granted);
        // wish 1 may start 18:00, 18:30 or 19:00 (ends by 21:00); wish 2 must fit before or after it
        Assert.InRange(result.For(1)!.Placement.StartMinute, At(18), At(19));
        Assert.Equal(0, (result.For(1)!.Placement.StartMinute - At(18)) % 30);
        Assert.True(result.For(2)!.Placement.EndMinute <= result.For(1)!.Placement.StartMinute
            || result.For(2)!.Placement.StartMinute >= result.For(1)!.Placement.EndMinute);
    }

    [Fact]
    public void Static_needs_exclude_rooms_and_are_named_as_reasons()
    {
        var b = new PlanBuilder();
        b.Centre(1, weekdays: [1, 2, 3, 4, 5]);
        b.Room(10, 1, capacity: 12);
        b.Room(11, 1, capacity: 40, facilities: ["keuken"]);
        b.Room(12, 1, capacity: 40, facilities: ["beamer", "keuken"], accessibility: ["rolstoeltoegankelijk"]);
        b.Room(13, 1, capacity: 40, accessibility: ["rolstoeltoegankelijk"]);
        var block = b.Block(900, 13, 1, At(9), At(12, 30), Huiskamer);
        b.Wish(1, participants: 20, options: [Option(1, 1, 10, 1, At(19))]);
        b.Wish(2, facilities: ["beamer"], options: [Option(1, 1, 11, 1, At(19))]);
        b.Wish(3, accessibility: ["rolstoeltoegankelijk", "ringleiding"], options: [Option(1, 1, 11, 1, At(19))]);
        b.Wish(4, options: [Option(1, 1, 11, 6, At(19))]); // Saturday: closed
        b.Wish(5, options: [Option(1, 1, 11, 1, At(21))]); // ends after 22:00
        b.Wish(6, category: Bewoners, options: [Option(1, 1, 13, 1, At(10))]);
        b.Wish(7, category: Huiskamer, options: [Option(1, 1, 13, 1, At(10))]);
        b.Wish(8, options: [Option(1, 1, 99, 1, At(19))]); // no such room
        b.Wish(9, participants: 20, facilities: ["beamer"], accessibility: ["rolstoeltoegankelijk"], options: [Option(1, 1, null, 2, At(19))]);
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        var capacity = Assert.Single(result.ReasonsFor(1, 1));
        Assert.Equal((ReasonKind.Capacity, 10L), (capacity.Kind, capacity.RoomId!.Value));
        var facilities = Assert.Single(result.ReasonsFor(2, 1));
        Assert.Equal(ReasonKind.Facilities, facilities.Kind);
        Assert.Equal(["beamer"], facilities.Missing);
        var accessibility = Assert.Single(result.ReasonsFor(3, 1));
        Assert.Equal(ReasonKind.Accessibility, accessibility.Kind);
        Assert.Equal(["ringleiding", "rolstoeltoegankelijk"], accessibility.Missing);
        Assert.Equal(ReasonKind.OpeningHours, Assert.Single(result.ReasonsFor(4, 1)).Kind);
        Assert.Equal(ReasonKind.OpeningHours, Assert.Single(result.ReasonsFor(5, 1)).Kind);
        var protectedBlock = Assert.Single(result.ReasonsFor(6, 1));
        Assert.Equal((ReasonKind.ProtectedBlock, block.Id), (protectedBlock.Kind, protectedBlock.BlockId!.Value));
        Assert.Equal(Outcome.FirstChoice, result.Explain(7).Outcome);
        Assert.Equal(ReasonKind.NoRoom, Assert.Single(result.ReasonsFor(8, 1)).Kind);
        Assert.Equal(12, result.For(9)!.Placement.RoomId); // the only room with all it needs
        foreach (var id in new long[] { 1, 2, 3, 4, 5, 6, 8 })
        {
            Assert.Null(result.For(id));
            Assert.Equal(Outcome.NotGranted, result.Explain(id).Outcome);
        }
    }

    [Fact]
    public void Any_room_option_lists_each_rule_once_when_no_room_fits()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1, capacity: 8, facilities: ["beamer"]);
        b.Room(11, 1, capacity: 50);
        b.Wish(1, participants: 20, facilities: ["beamer"], options: [Option(1, 1, null, 1, At(19))]);
        var input = b.Build();

        var result = Solve(input);

        var reasons = result.ReasonsFor(1, 1);
        Assert.Equal([ReasonKind.Capacity, ReasonKind.Facilities], reasons.Select(r => r.Kind));
        Assert.Equal(10, reasons[0].RoomId);
        Assert.Equal(11, reasons[1].RoomId);
    }
}
