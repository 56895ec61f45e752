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
        Console.WriteLine($"Measuring: voorkeursplanning, {input.Wishes.Count:N0} wishes in {input.Centres.Count} centres (greedy, then the optimiser for {timeLimitSeconds:F0} s) …");

        var greedy = GreedyPlanner.Plan(input);
        var workers = Math.Min(2, Environment.ProcessorCount);
        var progress = new LastProgress();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var optimised = new PlanOptimiser().Solve(input, new SolveOptions(TimeSpan.FromSeconds(timeLimitSeconds), workers) { Progress = progress });
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

        var groups = input.Wishes.Select(w => w.GroupKey).Distinct().Count();
        string Row(string name, PlanResult result, string target, bool? met)
        {
            var s = result.Stats;
            var firstChoice = result.Explanations.Count(e => e.Outcome == Outcome.FirstChoice);
            return Line(name, s.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture), s.Status, s.Objective.ToString("N0", CultureInfo.InvariantCulture),
                s.Bound.ToString("N0", CultureInfo.InvariantCulture), (100 * s.Gap).ToString("F2", CultureInfo.InvariantCulture),
                $"{s.Granted:N0} ({100.0 * s.Granted / input.Wishes.Count:F1} %)", $"{firstChoice:N0}", $"{s.GroupsServed:N0}",
                $"{groups - s.GroupsServed:N0}", target, met switch { true => "yes", false => "NO", null => "" });
        }
        var gs = greedy.Stats;
        var os = optimised.Stats;
        var met = os.Elapsed.TotalSeconds <= 10 && os.Gap <= 0.01 && os.Granted > gs.Granted;
        var lines = new List<string>
        {
            $"Voorkeursplanning – city-wide round: {input.Centres.Count} centres, {input.Rooms.Count} rooms, {input.Wishes.Count:N0} wishes from {groups:N0} groups, "
                + $"{options:N0} options ({(double)options / input.Wishes.Count:F2} per wish), {Environment.ProcessorCount} cores",
            "",
            Line("planner", "time s", "status", "objective", "bound", "gap %", "wishes granted", "first choice", "groups served", "groups with nothing", "target", "met"),
            Line("---", "---:", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---", "---"),
            Row("Greedy (priority order, best free option)", greedy, "–", null),
            Row($"Optimiser (CP-SAT, {timeLimitSeconds:F0} s limit, {workers} workers)", optimised, "≤ 10 s, gap ≤ 1 %, > greedy", met),
            Line("Gain over greedy", $"+{(os.Elapsed - gs.Elapsed).TotalSeconds:F2}", "", $"{os.Objective - gs.Objective:+#,0;-#,0;0} ({100.0 * (os.Objective - gs.Objective) / Math.Max(1, gs.Objective):+0.0;-0.0} %)",
                "", "", $"{os.Granted - gs.Granted:+#,0;-#,0;0}", $"{optimised.Explanations.Count(e => e.Outcome == Outcome.FirstChoice) - greedy.Explanations.Count(e => e.Outcome == Outcome.FirstChoice):+#,0;-#,0;0}",
                $"{os.GroupsServed - gs.GroupsServed:+#,0;-#,0;0}", $"{gs.GroupsServed - os.GroupsServed:+#,0;-#,0;0}", "", ""),
            "",
            $"Optimiser: {os.Components} independent components solved on {workers} threads (one CP-SAT worker each, deterministic time limits); "
                + $"{cpuSeconds:F1} s CPU in {os.Elapsed.TotalSeconds:F1} s; last progress: {progress.Last?.Note ?? "–"}.",
            $"Gap = (bound − objective) / bound of the weighted phase (after serving as many groups as possible). Objective = category weight + continuity + rank bonus per wish, + spread bonus per centre and weekday used.",
            $"Wishes by frequency: {string.Join(", ", input.Wishes.GroupBy(w => w.Frequency).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}"))}; "
                + $"not granted by the optimiser: {input.Wishes.Count - os.Granted:N0} (greedy {input.Wishes.Count - gs.Granted:N0}).",
        };
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

    private static string Line(params string[] cells) => "| " + string.Join(" | ", cells) + " |";

    private sealed class LastProgress : IProgress<SolveProgress>
    {
        public SolveProgress? Last { get; private set; }
        public void Report(SolveProgress value) => Last = value;
    }
}
