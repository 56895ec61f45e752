namespace Buurtcentra.Web.Features.Planning.Optimiser;

// The optimiser's world: plain data, no database, no HTTP. Times are minutes after local midnight
// (Europe/Amsterdam wall clock), weekdays ISO (1 = Monday … 7 = Sunday).

public enum Frequency
{
    /// <summary>Every week: lane 0.</summary>
    Weekly,
    /// <summary>Every other week: lane 1 (the season's first week and every second week after) or lane 2.</summary>
    EveryOtherWeek,
    /// <summary>Once a month on the n-th weekday: lane 1–4.</summary>
    Monthly,
}

public sealed record OpeningWindow(int Weekday, int OpensMinute, int ClosesMinute);

public sealed record PlanCentre(long Id, string Name, int WijkId, IReadOnlyList<OpeningWindow> OpeningHours);

public sealed record PlanRoom(long Id, long CentreId, string Name, int Capacity,
    IReadOnlySet<string> Facilities, IReadOnlySet<string> Accessibility)
{
    /// <summary>The room's set-up time (rooms.setup_minutes): published series block the room this long before each use.</summary>
    public int SetupMinutes { get; init; }

    /// <summary>The room's clean-up time (rooms.cleanup_minutes): published series block the room this long after each use.</summary>
    public int CleanupMinutes { get; init; }
}

/// <summary>A block in a room kept for some categories only (e.g. huiskamer mornings for basisaanbod).</summary>
public sealed record ProtectedBlock(long Id, long RoomId, int Weekday, int StartMinute, int EndMinute,
    IReadOnlySet<string> Categories, string Label);

/// <summary>One ranked choice: a room (or null: any fitting room of the centre), a weekday, a window for the start.</summary>
public sealed record WishOption(int Rank, long CentreId, long? RoomId, int Weekday, int EarliestStartMinute, int LatestStartMinute);

public sealed record Wish(
    long Id,
    /// <summary>Who the wish is for; fairness counts groups, not wishes.</summary>
    string GroupKey,
    string GroupName,
    string Activity,
    /// <summary>huiskamer, sp_do_groepsactiviteit, bewonersinitiatief, maatschappelijke_organisatie, commercieel.</summary>
    string Category,
    int Participants,
    IReadOnlySet<string> Facilities,
    IReadOnlySet<string> Accessibility,
    Frequency Frequency,
    int DurationMinutes,
    bool Continuity,
    IReadOnlyList<WishOption> Options);

/// <summary>Where and when a wish takes place. Lane: see <see cref="Frequency"/>.</summary>
public sealed record Placement(long RoomId, int Weekday, int StartMinute, int EndMinute, int Lane);

/// <summary>The beheerder fixed a wish: to this placement, or (Placement null) to "not granted".</summary>
public sealed record PlanLock(long WishId, Placement? Placement);

public sealed record PlanPolicy(
    IReadOnlyDictionary<string, int> CategoryWeights,
    int ContinuityBonus,
    /// <summary>Bonus for getting option 1, 2, 3 (index 0, 1, 2).</summary>
    IReadOnlyList<int> RankBonus,
    /// <summary>Bonus per centre and weekday on which at least one wish is placed.</summary>
    int SpreadBonus,
    /// <summary>First serve as many groups as possible, then the weighted objective.</summary>
    bool Fairness,
    IReadOnlyList<ProtectedBlock> ProtectedBlocks,
    int StepMinutes = 15)
{
    /// <summary>A wish's priority without the rank bonus: its category's weight plus continuity.</summary>
    public int Priority(Wish wish) =>
        CategoryWeights.GetValueOrDefault(wish.Category) + (wish.Continuity ? ContinuityBonus : 0);
}

public sealed record PlanInput(
    IReadOnlyList<PlanCentre> Centres,
    IReadOnlyList<PlanRoom> Rooms,
    IReadOnlyList<Wish> Wishes,
    IReadOnlyList<PlanLock> Locks,
    PlanPolicy Policy);

public sealed record SolveProgress(string Note, long? Objective, long? Bound);

public sealed record SolveOptions(TimeSpan TimeLimit, int Workers = 2)
{
    public IProgress<SolveProgress>? Progress { get; init; }
}
