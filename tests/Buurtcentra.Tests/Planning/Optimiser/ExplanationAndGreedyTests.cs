using Buurtcentra.Web.Features.Planning.Optimiser;
using static Buurtcentra.Tests.Planning.Optimiser.PlanBuilder;

namespace Buurtcentra.Tests.Planning.Optimiser;

/// <summary>Why each wish got what it got, and the priority-greedy baseline.</summary>
public sealed class ExplanationAndGreedyTests
{
    [Fact]
    public void An_alternative_names_the_higher_priority_wish_that_got_option_one()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Room(11, 1);
        b.Wish(1, category: Huiskamer, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, category: Bewoners, options: [Option(1, 1, 10, 2, At(19)), Option(2, 1, 11, 2, At(19))]);
        var input = b.Build();

        foreach (var result in new[] { Solve(input), GreedyPlanner.Plan(input) })
        {
            PlanChecks.AssertValid(input, result);
            Assert.Equal(Outcome.FirstChoice, result.Explain(1).Outcome);
            Assert.Equal([new OptionReason(1, [])], result.Explain(1).Options);
            var explanation = result.Explain(2);
            Assert.Equal((Outcome.Alternative, (int?)2), (explanation.Outcome, explanation.GrantedRank));
            Assert.Equal([1, 2], explanation.Options.Select(o => o.Rank));
            var reason = Assert.Single(explanation.Options[0].Reasons);
            Assert.Equal((ReasonKind.TakenBy, 1L, true, 10L), (reason.Kind, reason.BlockingWishId!.Value, reason.HigherPriority!.Value, reason.RoomId!.Value));
            Assert.Empty(explanation.Options[1].Reasons);
        }
    }

    [Fact]
    public void A_wish_not_granted_names_its_blockers_and_the_nearest_free_places_here_then_nearby()
    {
        var b = new PlanBuilder();
        b.Centre(1, wijk: 1, weekdays: [2]);
        b.Centre(2, wijk: 1, weekdays: [2]);
        b.Centre(3, wijk: 2);
        b.Centre(4, wijk: 1, weekdays: [2]);
        b.Room(10, 1, capacity: 40);
        b.Room(11, 1, capacity: 10);
        b.Room(40, 4, capacity: 10); // same wijk but too small
        b.Room(20, 2, capacity: 40);
        b.Room(30, 3, capacity: 40);
        b.Wish(1, category: Huiskamer, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, category: SpDo, options: [Option(1, 1, 20, 2, At(9))]);
        b.Wish(3, category: Commercieel, participants: 30, options: [Option(1, 1, 10, 2, At(19))]);
        var input = b.Build();

        foreach (var result in new[] { Solve(input), GreedyPlanner.Plan(input) })
        {
            PlanChecks.AssertValid(input, result);
            var explanation = result.Explain(3);
            Assert.Equal(Outcome.NotGranted, explanation.Outcome);
            var reason = Assert.Single(explanation.Options.Single().Reasons);
            Assert.Equal((ReasonKind.TakenBy, 1L, true), (reason.Kind, reason.BlockingWishId!.Value, reason.HigherPriority!.Value));
            Assert.Equal(
                [new FreeSlot(1, 10, 2, At(17, 30), At(19), 0), new FreeSlot(2, 20, 2, At(19), At(20, 30), 0), new FreeSlot(3, 30, 2, At(19), At(20, 30), 0)],
                explanation.Alternatives);
        }
    }

    [Fact]
    public void Greedy_serves_by_priority_then_continuity_each_taking_its_best_free_option()
    {
        var b = new PlanBuilder { ContinuityBonus = 0 };
        b.Centre(1);
        b.Room(10, 1);
        b.Room(11, 1);
        b.Wish(1, category: Bewoners, continuity: false, options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, category: Bewoners, continuity: true, options: [Option(1, 1, 10, 2, At(19))]);
        // any room, a window: the first room, the earliest start, the lowest lane
        b.Wish(3, category: Commercieel, frequency: Frequency.EveryOtherWeek, options: [Option(1, 1, null, 2, At(19), At(20))]);
        var input = b.Build();

        var result = GreedyPlanner.Plan(input);

        PlanChecks.AssertValid(input, result);
        Assert.Equal("greedy", result.Stats.Status);
        Assert.Equal(result.Stats.Objective, result.Stats.Bound);
        Assert.Null(result.For(1));
        Assert.Equal(new Placement(10, 2, At(19), At(20, 30), 0), result.For(2)!.Placement);
        Assert.Equal(new Placement(11, 2, At(19), At(20, 30), 1), result.For(3)!.Placement);
        Assert.Equal(2, result.ReasonsFor(1, 1).Single().BlockingWishId);
        Assert.False(result.ReasonsFor(1, 1).Single().HigherPriority);
    }

    [Fact]
    public void The_optimiser_grants_more_than_greedy_where_a_first_choice_blocks_another_wish()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Room(11, 1);
        b.Wish(1, category: Huiskamer, options: [Option(1, 1, 10, 2, At(19)), Option(2, 1, 11, 2, At(19))]);
        b.Wish(2, category: Commercieel, options: [Option(1, 1, 10, 2, At(19))]);
        var input = b.Build();

        var greedy = GreedyPlanner.Plan(input);
        var optimal = Solve(input);

        PlanChecks.AssertValid(input, greedy);
        PlanChecks.AssertValid(input, optimal);
        Assert.Equal((1, 130L), (greedy.Stats.Granted, greedy.Stats.Objective));
        Assert.Equal((2, 115L + 50), (optimal.Stats.Granted, optimal.Stats.Objective));
        Assert.Equal(Outcome.Alternative, optimal.Explain(1).Outcome);
        var reason = optimal.ReasonsFor(1, 1).Single();
        Assert.Equal((ReasonKind.TakenBy, 2L, false), (reason.Kind, reason.BlockingWishId!.Value, reason.HigherPriority!.Value));
    }

    [Fact]
    public void Without_time_to_solve_the_result_is_the_starting_plan_with_an_honest_bound()
    {
        var b = new PlanBuilder();
        b.Centre(1);
        b.Room(10, 1);
        b.Room(11, 1);
        b.Wish(1, category: Huiskamer, options: [Option(1, 1, 10, 2, At(19)), Option(2, 1, 11, 2, At(19))]);
        b.Wish(2, category: Commercieel, options: [Option(1, 1, 10, 2, At(19))]);
        var input = b.Build();

        var result = new PlanOptimiser().Solve(input, new SolveOptions(TimeSpan.FromMilliseconds(1)));

        PlanChecks.AssertValid(input, result);
        Assert.Equal("haalbaar", result.Stats.Status);
        // the true optimum (165) must lie under the bound
        Assert.True(result.Stats.Bound >= 165, $"bound {result.Stats.Bound}");
    }
}
