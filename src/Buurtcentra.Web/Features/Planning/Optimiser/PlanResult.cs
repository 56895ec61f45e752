using System.Text.Json.Serialization;

namespace Buurtcentra.Web.Features.Planning.Optimiser;

public sealed record PlanResult(
    /// <summary>One per granted wish.</summary>
    IReadOnlyList<Allocation> Allocations,
    /// <summary>One per wish, granted or not.</summary>
    IReadOnlyList<WishExplanation> Explanations,
    SolveStats Stats);

/// <summary>A granted wish. OptionRank null: placed by a lock that matches none of its options.</summary>
public sealed record Allocation(long WishId, int? OptionRank, Placement Placement, bool Locked);

public sealed record SolveStats(
    /// <summary>optimaal, haalbaar (time limit reached before the proof), greedy, onhaalbaar (locks contradict each other).</summary>
    string Status,
    long Objective,
    /// <summary>The best proven upper bound on the objective (equal to Objective when optimal; for greedy: Objective).</summary>
    long Bound,
    TimeSpan Elapsed,
    int Granted,
    int GroupsServed)
{
    /// <summary>(Bound − Objective) / Bound, 0 when optimal.</summary>
    public double Gap => Bound <= 0 ? 0 : (double)(Bound - Objective) / Bound;

    /// <summary>For "onhaalbaar": the pairs of locks that claim the same room at the same time (then there is no plan:
    /// Allocations and Explanations are empty).</summary>
    public IReadOnlyList<LockConflict> LockConflicts { get; init; } = [];

    /// <summary>How many independent parts (wishes that share no room, day or group) the round was solved in.</summary>
    public int Components { get; init; }
}

/// <summary>Two locked placements that overlap in the same room, weekday and weeks.</summary>
public sealed record LockConflict(long WishId, long OtherWishId, long RoomId, int Weekday);

[JsonConverter(typeof(JsonStringEnumConverter<Outcome>))]
public enum Outcome
{
    FirstChoice,
    /// <summary>Granted as option 2 or 3.</summary>
    Alternative,
    /// <summary>Placed where the beheerder locked it.</summary>
    Locked,
    NotGranted,
    /// <summary>The beheerder locked it as not granted.</summary>
    Excluded,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReasonKind>))]
public enum ReasonKind
{
    /// <summary>The slot went to another wish (BlockingWishId); HigherPriority tells whether that wish ranks higher.</summary>
    TakenBy,
    /// <summary>Too many participants for the room (RoomId).</summary>
    Capacity,
    /// <summary>The room lacks facilities (Missing).</summary>
    Facilities,
    /// <summary>The room lacks accessibility features (Missing).</summary>
    Accessibility,
    /// <summary>The centre is closed then, or the activity does not fit in the opening hours.</summary>
    OpeningHours,
    /// <summary>A protected block (BlockId) keeps the time for other categories.</summary>
    ProtectedBlock,
    /// <summary>The option names no room that exists and is active in the centre.</summary>
    NoRoom,
    /// <summary>The beheerder locked this or another wish so that the option is not available.</summary>
    Locked,
    /// <summary>The option was free in the final plan, but the plan as a whole scores higher without it (spread over the
    /// week, or the time limit stopped the search before it was found).</summary>
    Balance,
}

public sealed record Reason(ReasonKind Kind)
{
    public long? RoomId { get; init; }
    public long? BlockingWishId { get; init; }
    public bool? HigherPriority { get; init; }
    public long? BlockId { get; init; }
    /// <summary>
    /// Fairness (policy): the blocking wish is the only granted wish of its group, while this wish's group already has
    /// another granted wish: first slots go before second slots. Set on TakenBy/Locked reasons of wishes not granted.
    /// </summary>
    public bool? FairShare { get; init; }
    public IReadOnlyList<string> Missing { get; init; } = [];
}

/// <summary>Why an option (1–3) was not given (empty Reasons for the option that was given).</summary>
public sealed record OptionReason(int Rank, IReadOnlyList<Reason> Reasons);

/// <summary>A free place (in the final plan) for a wish that did not get one: same centre first, then nearby.</summary>
public sealed record FreeSlot(long CentreId, long RoomId, int Weekday, int StartMinute, int EndMinute, int Lane);

public sealed record WishExplanation(
    long WishId,
    Outcome Outcome,
    int? GrantedRank,
    /// <summary>For each option better than the granted one (all options when not granted): what stood in the way.</summary>
    IReadOnlyList<OptionReason> Options,
    /// <summary>For a wish not granted: up to three nearest free alternatives.</summary>
    IReadOnlyList<FreeSlot> Alternatives);
