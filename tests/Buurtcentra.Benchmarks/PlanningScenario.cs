using System.Diagnostics;
using System.Globalization;
using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Benchmarks;

/// <summary>
/// Voorkeursplanning at city scale (no database): the generated round (<see cref="PlanningRound"/>) planned by the
/// priority-greedy baseline and by the optimiser with a 9-second limit. Prints its own table: time, objective, proven
/// bound and gap, wishes and groups served, and the gain over greedy.
/// </summary>
internal static class PlanningScenario
{
    public const double DefaultSeconds = 9;

    public static IReadOnlyList<string> Run(double timeLimitSeconds = DefaultSeconds)
    {
        var input = PlanningRound.Generate();
        var options = input.Wishes.Sum(w => w.Options.Count);
        Console.WriteLine($"Measuring: voorkeursplanning, {input.Wishes.Count:N0} wishes in {input.Centres.Count} centres (greedy, then the optimiser twice, at most {timeLimitSeconds:0.#} s each) …");

        var greedy = GreedyPlanner.Plan(input);
        var loadAtStart = LoadAverage();
        var workers = Math.Min(2, Environment.ProcessorCount);
        var progress = new LastProgress();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var optimised = new PlanOptimiser().Solve(input, new SolveOptions(TimeSpan.FromSeconds(timeLimitSeconds), workers) { Progress = progress });
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        // The same round again: the optimiser promises the same plan for the same input.
        var again = new PlanOptimiser().Solve(input, new SolveOptions(TimeSpan.FromSeconds(timeLimitSeconds), workers));
        var same = again.Allocations.SequenceEqual(optimised.Allocations);

        var groups = input.Wishes.Select(w => w.GroupKey).Distinct().Count();
        static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
        static string Signed(long value) => value.ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture);
        int FirstChoices(PlanResult result) => result.Explanations.Count(e => e.Outcome == Outcome.FirstChoice);
        string[] Row(string name, PlanResult result, string target, bool? met)
        {
            var s = result.Stats;
            return [name, s.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture), s.Status, N(s.Objective), N(s.Bound),
                (100 * s.Gap).ToString("F2", CultureInfo.InvariantCulture), $"{N(s.Granted)} ({100.0 * s.Granted / input.Wishes.Count:F1} %)",
                N(FirstChoices(result)), N(s.GroupsServed), N(groups - s.GroupsServed), target, met switch { true => "yes", false => "NO", null => "" }];
        }
        var gs = greedy.Stats;
        var os = optimised.Stats;
        var met = os.Elapsed.TotalSeconds <= 10 && os.Gap <= 0.01 && os.Granted > gs.Granted;
        var table = new List<string[]>
        {
            new[] { "planner", "time s", "status", "objective", "bound", "gap %", "wishes granted", "first choice", "groups served", "groups with nothing", "target", "met" },
            Row("Greedy (priority order, best free option)", greedy, "–", null),
            Row($"Optimiser (CP-SAT, {timeLimitSeconds:0.#} s limit, {workers} threads)", optimised, "≤ 10 s, gap ≤ 1 %, more than greedy", met),
            new[] { "Gain over greedy", "", "", $"{Signed(os.Objective - gs.Objective)} ({100.0 * (os.Objective - gs.Objective) / Math.Max(1, gs.Objective):+0.0;-0.0} %)", "", "",
                Signed(os.Granted - gs.Granted), Signed(FirstChoices(optimised) - FirstChoices(greedy)), Signed(os.GroupsServed - gs.GroupsServed),
                Signed(gs.GroupsServed - os.GroupsServed), "", "" },
        };
        var lines = new List<string>
        {
            $"Voorkeursplanning – city-wide round (generated, seed {PlanningRound.Seed}): {input.Centres.Count} centres, {input.Rooms.Count} rooms, "
                + $"{N(input.Wishes.Count)} wishes from {N(groups)} groups, {N(options)} options ({(double)options / input.Wishes.Count:F2} per wish), "
                + $"{Environment.ProcessorCount} cores (load average {loadAtStart} before the optimiser)",
            "",
        };
        lines.AddRange(Format(table, numeric: [1, 3, 4, 5, 6, 7, 8, 9]));
        lines.AddRange(
        [
            "",
            $"Optimiser: {os.Components} independent components (wishes that share no room and day, centre and day, or group) on {workers} threads, "
                + $"one CP-SAT worker each with deterministic time limits; {cpuSeconds:F1} s CPU in {os.Elapsed.TotalSeconds:F1} s; last progress: {progress.Last?.Note ?? "–"}. "
                + $"Solved again: {(same ? "the same plan" : $"ANOTHER plan (objective {N(again.Stats.Objective)}: a wall-clock limit stopped a search, the machine was too busy)")} in {again.Stats.Elapsed.TotalSeconds:F1} s.",
            "Objective = per granted wish its category weight + continuity bonus + rank bonus, + the spread bonus per centre and weekday in use. "
                + "Fairness first: as many groups as possible get a slot; bound and gap are those of the weighted objective given that.",
            $"Wishes by frequency: {string.Join(", ", input.Wishes.GroupBy(w => w.Frequency).OrderBy(g => g.Key).Select(g => $"{g.Key} {N(g.Count())}"))}; "
                + $"not granted: optimiser {N(input.Wishes.Count - os.Granted)}, greedy {N(input.Wishes.Count - gs.Granted)}.",
        ]);
        lines.Add(Demand(input));
        return lines;
    }

    /// <summary>Room-hours per week asked for (first choices; every other week counts half, monthly a quarter) against those open.</summary>
    private static string Demand(PlanInput input)
    {
        double Share(Wish w) => w.Frequency switch { Frequency.Weekly => 1, Frequency.EveryOtherWeek => 0.5, _ => 0.25 };
        static bool Peak(int weekday, int start) => weekday is >= 2 and <= 4 && start >= 18 * 60;
        var asked = input.Wishes.Sum(w => Share(w) * w.DurationMinutes) / 60;
        var askedPeak = input.Wishes.Where(w => w.Options.Count > 0 && Peak(w.Options.MinBy(o => o.Rank)!.Weekday, w.Options.MinBy(o => o.Rank)!.EarliestStartMinute))
            .Sum(w => Share(w) * w.DurationMinutes) / 60;
        var open = input.Rooms.Sum(r => input.Centres.Single(c => c.Id == r.CentreId).OpeningHours.Sum(h => h.ClosesMinute - h.OpensMinute)) / 60.0;
        var openPeak = input.Rooms.Sum(r => input.Centres.Single(c => c.Id == r.CentreId).OpeningHours
            .Where(h => h.Weekday is >= 2 and <= 4).Sum(h => Math.Max(0, h.ClosesMinute - Math.Max(h.OpensMinute, 18 * 60)))) / 60.0;
        return $"Demand: {asked:N0} room-hours a week asked for against {open:N0} open ({100 * asked / open:F0} %); "
            + $"first choices on Tuesday–Thursday evenings {askedPeak:N0} against {openPeak:N0} ({100 * askedPeak / openPeak:F0} %).";
    }

    /// <summary>A markdown table with columns as wide as their contents; numeric columns right-aligned.</summary>
    private static IEnumerable<string> Format(List<string[]> rows, int[] numeric)
    {
        var widths = rows[0].Select((_, i) => rows.Max(r => r[i].Length)).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => numeric.Contains(i) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";
        yield return Line(rows[0]);
        yield return "|" + string.Join("|", widths.Select((w, i) => numeric.Contains(i) ? new string('-', w + 1) + ":" : new string('-', w + 2))) + "|";
        foreach (var row in rows.Skip(1)) yield return Line(row);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private sealed class LastProgress : IProgress<SolveProgress>
    {
        public SolveProgress? Last { get; private set; }
        public void Report(SolveProgress value) => Last = value;
    }
}
