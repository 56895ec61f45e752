namespace Buurtcentra.Web.Features.Planning.Optimiser;

/// <summary>
/// Which weeks a placement uses, as 8 sub-lanes: the season's week parity (odd/even) × the week of the month (1st–4th
/// such weekday). Weekly uses all 8; every other week lane p the 4 of parity p; monthly lane n the 2 of week n. Two
/// placements in the same room and weekday conflict when their times overlap and their masks share a sub-lane: so
/// every-other-week lanes 1 and 2 share a room, monthly lanes 1–4 share a room, and every-other-week and monthly never do
/// (the n-th weekday of a month falls in either parity).
/// </summary>
internal static class Lanes
{
    public const int AllMask = 0xFF;
    private static readonly int[] WeeklyLanes = [0], EveryOtherWeekLanes = [1, 2], MonthlyLanes = [1, 2, 3, 4];

    public static int Mask(Frequency frequency, int lane) => frequency switch
    {
        Frequency.EveryOtherWeek when lane is 1 => 0x0F,
        Frequency.EveryOtherWeek when lane is 2 => 0xF0,
        Frequency.Monthly when lane is >= 1 and <= 4 => (1 << (lane - 1)) | (1 << (lane + 3)),
        // weekly, or a lane that does not fit the frequency: the safe reading is "every week"
        _ => AllMask,
    };

    /// <summary>The lanes a wish of this frequency can get, lowest first.</summary>
    public static IReadOnlyList<int> Of(Frequency frequency) => frequency switch
    {
        Frequency.EveryOtherWeek => EveryOtherWeekLanes,
        Frequency.Monthly => MonthlyLanes,
        _ => WeeklyLanes,
    };
}

/// <summary>A place where a wish's option could go, statically possible (room fits, open, no protected block).</summary>
internal readonly record struct Slot(int Rank, PlanRoom Room, int Weekday, int Start, int End);

/// <summary>How a room fits a wish regardless of time.</summary>
internal sealed record RoomFit(bool CapacityOk, IReadOnlyList<string> MissingFacilities, IReadOnlyList<string> MissingAccessibility)
{
    public bool Ok => CapacityOk && MissingFacilities.Count == 0 && MissingAccessibility.Count == 0;
}

/// <summary>The input with its lookups, and the rules every planner and the explanations share.</summary>
internal sealed class PlanContext
{
    private readonly Dictionary<(long RoomId, int Weekday), List<ProtectedBlock>> _blocks = [];
    private readonly Dictionary<(long CentreId, int Weekday), List<OpeningWindow>> _hours = [];
    private readonly Dictionary<long, List<PlanRoom>> _roomsByCentre = [];

    public PlanContext(PlanInput input)
    {
        Input = input;
        Step = input.Policy.StepMinutes > 0 ? input.Policy.StepMinutes : 15;
        foreach (var centre in input.Centres)
        {
            CentreById.TryAdd(centre.Id, centre);
            foreach (var window in centre.OpeningHours)
            {
                if (!_hours.TryGetValue((centre.Id, window.Weekday), out var list)) _hours[(centre.Id, window.Weekday)] = list = [];
                list.Add(window);
            }
        }
        foreach (var room in input.Rooms)
        {
            if (!RoomById.TryAdd(room.Id, room)) continue;
            RoomOrder[room.Id] = RoomOrder.Count;
            if (!_roomsByCentre.TryGetValue(room.CentreId, out var list)) _roomsByCentre[room.CentreId] = list = [];
            list.Add(room);
        }
        foreach (var block in input.Policy.ProtectedBlocks)
        {
            if (!_blocks.TryGetValue((block.RoomId, block.Weekday), out var list)) _blocks[(block.RoomId, block.Weekday)] = list = [];
            list.Add(block);
        }
        for (var i = 0; i < input.Wishes.Count; i++) WishIndex.TryAdd(input.Wishes[i].Id, i);
    }

    public PlanInput Input { get; }
    public PlanPolicy Policy => Input.Policy;
    public IReadOnlyList<Wish> Wishes => Input.Wishes;
    public int Step { get; }
    public Dictionary<long, PlanRoom> RoomById { get; } = [];
    public Dictionary<long, int> RoomOrder { get; } = [];
    public Dictionary<long, PlanCentre> CentreById { get; } = [];
    public Dictionary<long, int> WishIndex { get; } = [];

    public Wish? WishById(long id) => WishIndex.TryGetValue(id, out var i) ? Wishes[i] : null;

    public int Priority(Wish wish) => Policy.Priority(wish);

    public int RankBonus(int? rank) => rank is { } r && r >= 1 && r <= Policy.RankBonus.Count ? Policy.RankBonus[r - 1] : 0;

    /// <summary>What granting the wish with this option adds to the objective (without the spread bonus).</summary>
    public long Value(Wish wish, int? rank) => Priority(wish) + RankBonus(rank);

    public IReadOnlyList<PlanRoom> RoomsOf(long centreId) => _roomsByCentre.TryGetValue(centreId, out var list) ? list : [];

    public long? CentreOf(long roomId) => RoomById.TryGetValue(roomId, out var room) ? room.CentreId : null;

    /// <summary>
    /// Minutes a room stays blocked between two uses: its set-up plus clean-up time. Two uses of a room conflict when
    /// their blocked times ([start − set-up, end + clean-up)) overlap, as in the reservations' exclusion constraint; with
    /// the same buffers on both sides that is: [start, end + set-up + clean-up) overlap.
    /// </summary>
    public int Buffer(long roomId) =>
        RoomById.TryGetValue(roomId, out var room) ? Math.Max(0, room.SetupMinutes) + Math.Max(0, room.CleanupMinutes) : 0;

    /// <summary>The rooms an option names: its room (when it exists in the option's centre) or every room of the centre.</summary>
    public IReadOnlyList<PlanRoom> OptionRooms(WishOption option)
    {
        if (option.RoomId is not { } roomId) return RoomsOf(option.CentreId);
        return RoomById.TryGetValue(roomId, out var room) && room.CentreId == option.CentreId ? [room] : [];
    }

    public static RoomFit Fit(Wish wish, PlanRoom room) => new(
        room.Capacity >= wish.Participants,
        wish.Facilities.Where(f => !room.Facilities.Contains(f)).Order(StringComparer.Ordinal).ToList(),
        wish.Accessibility.Where(a => !room.Accessibility.Contains(a)).Order(StringComparer.Ordinal).ToList());

    /// <summary>An opening window of the centre on that weekday contains [start, end).</summary>
    public bool Open(long centreId, int weekday, int start, int end) =>
        _hours.TryGetValue((centreId, weekday), out var windows) && windows.Any(w => w.OpensMinute <= start && end <= w.ClosesMinute);

    public IReadOnlyList<OpeningWindow> Hours(long centreId, int weekday) =>
        _hours.TryGetValue((centreId, weekday), out var windows) ? windows : [];

    /// <summary>The first protected block that keeps [start, end) in the room free for categories other than the wish's.</summary>
    public ProtectedBlock? Block(Wish wish, long roomId, int weekday, int start, int end)
    {
        if (!_blocks.TryGetValue((roomId, weekday), out var blocks)) return null;
        foreach (var block in blocks)
        {
            if (block.StartMinute < end && start < block.EndMinute && !block.Categories.Contains(wish.Category)) return block;
        }
        return null;
    }

    /// <summary>Static needs at a time: fitting room, open, no protected block.</summary>
    public bool Allowed(Wish wish, PlanRoom room, int weekday, int start, int end) =>
        Open(room.CentreId, weekday, start, end) && Block(wish, room.Id, weekday, start, end) is null;

    /// <summary>The starts an option allows: earliest, then every step up to the latest.</summary>
    public IEnumerable<int> Starts(WishOption option)
    {
        for (var start = option.EarliestStartMinute; start <= option.LatestStartMinute; start += Step) yield return start;
    }

    /// <summary>
    /// Every statically possible place for one option, in the order a person tries them: room order, then earliest start.
    /// </summary>
    public List<Slot> Slots(Wish wish, WishOption option)
    {
        var slots = new List<Slot>();
        if (wish.DurationMinutes <= 0) return slots;
        foreach (var room in OptionRooms(option))
        {
            if (!Fit(wish, room).Ok) continue;
            foreach (var start in Starts(option))
            {
                var end = start + wish.DurationMinutes;
                if (Allowed(wish, room, option.Weekday, start, end)) slots.Add(new Slot(option.Rank, room, option.Weekday, start, end));
            }
        }
        return slots;
    }

    /// <summary>The wish's options by rank (the input may list them in any order).</summary>
    public static IEnumerable<WishOption> Ranked(Wish wish) => wish.Options.OrderBy(o => o.Rank);

    /// <summary>The best-ranked option a (locked) placement matches: room, weekday, start in the window, duration; else null.</summary>
    public int? MatchRank(Wish wish, Placement placement)
    {
        if (placement.EndMinute - placement.StartMinute != wish.DurationMinutes) return null;
        foreach (var option in Ranked(wish))
        {
            if (option.Weekday != placement.Weekday) continue;
            if (placement.StartMinute < option.EarliestStartMinute || placement.StartMinute > option.LatestStartMinute) continue;
            if (OptionRooms(option).Any(r => r.Id == placement.RoomId)) return option.Rank;
        }
        return null;
    }

    /// <summary>The policy's objective of a plan: each granted wish's priority and rank bonus, plus the spread bonus.</summary>
    public long Objective(IEnumerable<Allocation> allocations)
    {
        long total = 0;
        var days = new HashSet<(long, int)>();
        foreach (var allocation in allocations)
        {
            if (WishById(allocation.WishId) is not { } wish) continue;
            total += Value(wish, allocation.OptionRank);
            if (CentreOf(allocation.Placement.RoomId) is { } centreId) days.Add((centreId, allocation.Placement.Weekday));
        }
        return total + (long)Policy.SpreadBonus * days.Count;
    }
}

/// <summary>
/// Who uses which room when: per room and weekday the placements with their sub-lane masks. Two uses conflict when their
/// times, each extended by the room's set-up and clean-up (<see cref="PlanContext.Buffer"/>), overlap and they share a week.
/// </summary>
internal sealed class Occupancy(PlanContext context)
{
    public readonly record struct Entry(long WishId, long RoomId, int Start, int End, int Mask, bool Locked);

    private readonly Dictionary<(long RoomId, int Weekday), List<Entry>> _entries = [];

    public void Add(long wishId, Frequency frequency, Placement placement, bool locked)
    {
        if (!_entries.TryGetValue((placement.RoomId, placement.Weekday), out var list)) _entries[(placement.RoomId, placement.Weekday)] = list = [];
        list.Add(new Entry(wishId, placement.RoomId, placement.StartMinute, placement.EndMinute, Lanes.Mask(frequency, placement.Lane), locked));
    }

    public IEnumerable<Entry> Conflicts(long roomId, int weekday, int start, int end, int mask, long exceptWishId = -1)
    {
        if (!_entries.TryGetValue((roomId, weekday), out var list)) yield break;
        var buffer = context.Buffer(roomId);
        foreach (var entry in list)
        {
            if (entry.WishId != exceptWishId && entry.Start < end + buffer && start < entry.End + buffer && (entry.Mask & mask) != 0) yield return entry;
        }
    }

    public bool Free(long roomId, int weekday, int start, int end, int mask, long exceptWishId = -1) =>
        !Conflicts(roomId, weekday, start, end, mask, exceptWishId).Any();

    /// <summary>The lowest lane of the frequency that is free there, or null.</summary>
    public int? FreeLane(long roomId, int weekday, int start, int end, Frequency frequency, long exceptWishId = -1)
    {
        foreach (var lane in Lanes.Of(frequency))
        {
            if (Free(roomId, weekday, start, end, Lanes.Mask(frequency, lane), exceptWishId)) return lane;
        }
        return null;
    }
}
