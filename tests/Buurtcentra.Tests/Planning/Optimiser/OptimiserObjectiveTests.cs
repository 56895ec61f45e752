using System.Collections.Concurrent;
using Buurtcentra.Web.Features.Planning.Optimiser;
using static Buurtcentra.Tests.Planning.Optimiser.PlanBuilder;

namespace Buurtcentra.Tests.Planning.Optimiser;

/// <summary>The objective, fairness and spread; optimality against brute force; determinism; progress and cancellation.</summary>
public sealed class OptimiserObjectiveTests
{
    private static PlanInput FairnessRound(bool fairness)
    {
        var b = new PlanBuilder { Fairness = fairness };
        b.Centre(1);
        b.Room(10, 1);
        b.Wish(1, category: Huiskamer, group: "a", options: [Option(1, 1, 10, 2, At(19))]);
        b.Wish(2, category: Huiskamer, group: "a", options: [Option(1, 1, 10, 3, At(19))]);
        b.Wish(3, category: Commercieel, group: "b", options: [Option(1, 1, 10, 2, At(19)), Option(2, 1, 10, 3, At(19))]);
        return b.Build();
    }

    [Fact]
    public void With_fairness_no_group_gets_its_second_slot_while_another_gets_nothing()
    {
        var input = FairnessRound(fairness: true);

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.Equal(2, result.Stats.GroupsServed);
        Assert.NotNull(result.For(3));
        Assert.Equal(1, new long[] { 1, 2 }.Count(id => result.For(id) is not null));
        // then the weighted objective: wish 3 gets its first choice, group a keeps the other day
        Assert.Equal(1, result.For(3)!.OptionRank);
        Assert.Equal(130 + 20 + 30, result.Stats.Objective);
        // the explanation: wish 1 lost its slot to a lower-priority wish, by the fairness rule
        var reason = result.ReasonsFor(1, 1).Single();
        Assert.Equal((ReasonKind.TakenBy, 3L, false, true), (reason.Kind, reason.BlockingWishId!.Value, reason.HigherPriority!.Value, reason.FairShare!.Value));
    }

    [Fact]
    public void Without_fairness_the_higher_priority_group_gets_both()
    {
        var input = FairnessRound(fairness: false);

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.Equal(1, result.Stats.GroupsServed);
        Assert.Null(result.For(3));
        Assert.Equal(260, result.Stats.Objective);
        Assert.All(result.Explain(3).Options.SelectMany(o => o.Reasons), r => Assert.Null(r.FairShare));
        Assert.Equal(result.Stats.Objective, result.Stats.Bound);
    }

    [Fact]
    public void The_spread_bonus_moves_a_wish_to_an_empty_day_and_the_explanation_says_so()
    {
        var b = new PlanBuilder { SpreadBonus = 50, Fairness = false };
        b.Centre(1);
        b.Room(10, 1);
        b.Room(11, 1);
        b.Wish(1, options: [Option(1, 1, null, 1, At(19)), Option(2, 1, null, 2, At(19))]);
        b.Wish(2, options: [Option(1, 1, null, 1, At(19)), Option(2, 1, null, 2, At(19))]);
        var input = b.Build();

        var result = Solve(input);

        PlanChecks.AssertValid(input, result);
        Assert.Equal(90 + 75 + 100, result.Stats.Objective);
        var moved = result.Allocations.Single(a => a.OptionRank == 2);
        Assert.Equal(Outcome.Alternative, result.Explain(moved.WishId).Outcome);
        Assert.Equal(ReasonKind.Balance, result.ReasonsFor(moved.WishId, 1).Single().Kind);
    }

    [Fact]
    public void Small_random_rounds_reach_the_brute_force_optimum()
    {
        for (var seed = 1; seed <= 30; seed++)
        {
            var input = RandomRound(new Random(seed), wishes: 6, rooms: 2, maxOptions: 2, maxShift: 1);
            var best = PlanChecks.BruteForce(input);

            var result = Solve(input);

            PlanChecks.AssertValid(input, result);
            Assert.Equal("optimaal", result.Stats.Status);
            if (input.Policy.Fairness) Assert.Equal(best.Groups, result.Stats.GroupsServed);
            Assert.True(best.Objective == result.Stats.Objective, $"seed {seed}: brute force {best.Objective}, optimiser {result.Stats.Objective}");
            Assert.Equal(result.Stats.Objective, result.Stats.Bound);
            var greedy = GreedyPlanner.Plan(input);
            PlanChecks.AssertValid(input, greedy);
            if (!input.Policy.Fairness) Assert.True(greedy.Stats.Objective <= result.Stats.Objective);
        }
    }

    [Fact]
    public void The_same_round_gives_the_same_plan()
    {
        // Many wishes of equal value: many optimal plans, and each run must pick the same one.
        var random = RandomRound(new Random(42), wishes: 120, rooms: 6, maxOptions: 3, maxShift: 4, centres: 3);
        var input = random with { Policy = random.Policy with { Fairness = false, SpreadBonus = 10 } };

        var first = Solve(input);
        var second = Solve(input);

        PlanChecks.AssertValid(input, first);
        Assert.Equal("optimaal", first.Stats.Status);
        Assert.True(first.Stats.Components > 1);
        Assert.Equal(first.Allocations, second.Allocations);
        Assert.Equal(first.Stats.Objective, second.Stats.Objective);
        Assert.Equal(
            first.Explanations.Select(e => (e.WishId, e.Outcome, string.Join(';', e.Options.SelectMany(o => o.Reasons).Select(r => $"{r.Kind}{r.BlockingWishId}")))),
            second.Explanations.Select(e => (e.WishId, e.Outcome, string.Join(';', e.Options.SelectMany(o => o.Reasons).Select(r => $"{r.Kind}{r.BlockingWishId}")))));
    }

    [Fact]
    public void Progress_is_reported_per_component_and_a_cancelled_run_stops()
    {
        var input = RandomRound(new Random(7), wishes: 40, rooms: 4, maxOptions: 2, maxShift: 2, centres: 2);
        var reports = new ProgressLog();

        var result = new PlanOptimiser().Solve(input, new SolveOptions(TimeSpan.FromSeconds(20)) { Progress = reports });

        Assert.Contains(reports.Items, p => p.Note == $"component {result.Stats.Components} van {result.Stats.Components}");
        var last = reports.Items.Last(p => p.Note.StartsWith("component", StringComparison.Ordinal));
        Assert.Equal(result.Stats.Objective - result.Stats.Bound, last.Objective - last.Bound);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new PlanOptimiser().Solve(input, new SolveOptions(TimeSpan.FromSeconds(20)), cancelled.Token));
    }

    [Fact]
    public void Cancelling_during_the_solve_stops_it()
    {
        var input = RandomRound(new Random(42), wishes: 120, rooms: 6, maxOptions: 3, maxShift: 4, centres: 3);
        using var cancellation = new CancellationTokenSource();
        // cancel as soon as the first component is done
        var reports = new CancelOnProgress(cancellation);

        Assert.ThrowsAny<OperationCanceledException>(() => new PlanOptimiser().Solve(input,
            new SolveOptions(TimeSpan.FromMinutes(2), Workers: 1) { Progress = reports }, cancellation.Token));
        Assert.True(reports.Components > 0);
    }

    private sealed class CancelOnProgress(CancellationTokenSource cancellation) : IProgress<SolveProgress>
    {
        public int Components { get; private set; }

        public void Report(SolveProgress value)
        {
            if (!value.Note.StartsWith("component", StringComparison.Ordinal)) return;
            Components++;
            cancellation.Cancel();
        }
    }

    private sealed class ProgressLog : IProgress<SolveProgress>
    {
        private readonly ConcurrentQueue<SolveProgress> _items = new();
        public IReadOnlyList<SolveProgress> Items => _items.ToList();
        public void Report(SolveProgress value) => _items.Enqueue(value);
    }

    /// <summary>A random small round: few rooms, evenings, all frequencies, groups with one or two wishes.</summary>
    internal static PlanInput RandomRound(Random random, int wishes, int rooms, int maxOptions, int maxShift, int centres = 1)
    {
        var b = new PlanBuilder
        {
            Step = 30,
            SpreadBonus = random.Next(2) * 10,
            Fairness = random.Next(2) == 0,
            ContinuityBonus = 30,
        };
        var categories = new[] { Huiskamer, SpDo, Bewoners, Maatschappelijk, Commercieel };
        for (var c = 1; c <= centres; c++)
        {
            b.Centre(c, wijk: c, opens: At(17), closes: At(22));
            for (var r = 0; r < rooms; r++) b.Room(c * 100 + r, c, capacity: random.Next(2) == 0 ? 15 : 40, cleanup: random.Next(3) == 0 ? 15 : 0);
        }
        for (var id = 1; id <= wishes; id++)
        {
            var centre = random.Next(1, centres + 1);
            var options = new List<WishOption>();
            var count = random.Next(1, maxOptions + 1);
            for (var rank = 1; rank <= count; rank++)
            {
                long? room = random.Next(3) == 0 ? null : centre * 100 + random.Next(rooms);
                var earliest = At(18) + 30 * random.Next(4);
                options.Add(Option(rank, centre, room, random.Next(1, 3), earliest, earliest + 30 * random.Next(maxShift + 1)));
            }
            var frequency = (Frequency)random.Next(3);
            b.Wish(id, category: categories[random.Next(categories.Length)], group: $"g{centre}-{(id + 1) / 2 + random.Next(2) * 100}",
                participants: random.Next(5, 30), duration: 60 + 30 * random.Next(3), frequency: frequency,
                continuity: random.Next(3) == 0, options: [.. options]);
        }
        return b.Build();
    }
}
