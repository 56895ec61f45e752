using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Tests.Planning.Optimiser;

/// <summary>Small planning rounds written by hand: centres open 09:00–22:00 every day unless told otherwise.</summary>
internal sealed class PlanBuilder
{
    public const string Huiskamer = "huiskamer", SpDo = "sp_do_groepsactiviteit", Bewoners = "bewonersinitiatief",
        Maatschappelijk = "maatschappelijke_organisatie", Commercieel = "commercieel";

    private readonly List<PlanCentre> _centres = [];
    private readonly List<PlanRoom> _rooms = [];
    private readonly List<Wish> _wishes = [];
    private readonly List<PlanLock> _locks = [];
    private readonly List<ProtectedBlock> _blocks = [];

    public Dictionary<string, int> Weights { get; } = new()
    {
        [Huiskamer] = 100, [SpDo] = 80, [Bewoners] = 60, [Maatschappelijk] = 50, [Commercieel] = 20,
    };
    public int ContinuityBonus { get; set; } = 30;
    public List<int> RankBonus { get; set; } = [30, 15, 5];
    public int SpreadBonus { get; set; }
    public bool Fairness { get; set; } = true;
    public int Step { get; set; } = 15;

    public static int At(int hour, int minute = 0) => hour * 60 + minute;

    public PlanCentre Centre(long id, int wijk = 1, int opens = 9 * 60, int closes = 22 * 60, int[]? weekdays = null)
    {
        var centre = new PlanCentre(id, $"Centrum {id}", wijk,
            (weekdays ?? [1, 2, 3, 4, 5, 6, 7]).Select(d => new OpeningWindow(d, opens, closes)).ToList());
        _centres.Add(centre);
        return centre;
    }

    public PlanRoom Room(long id, long centreId, int capacity = 30, string[]? facilities = null, string[]? accessibility = null,
        int setup = 0, int cleanup = 0)
    {
        var room = new PlanRoom(id, centreId, $"Zaal {id}", capacity, (facilities ?? []).ToHashSet(), (accessibility ?? []).ToHashSet())
        {
            SetupMinutes = setup,
            CleanupMinutes = cleanup,
        };
        _rooms.Add(room);
        return room;
    }

    public static WishOption Option(int rank, long centreId, long? roomId, int weekday, int earliest, int? latest = null) =>
        new(rank, centreId, roomId, weekday, earliest, latest ?? earliest);

    public Wish Wish(long id, string category = Bewoners, string? group = null, int participants = 10, int duration = 90,
        Frequency frequency = Frequency.Weekly, bool continuity = false, string[]? facilities = null, string[]? accessibility = null,
        params WishOption[] options)
    {
        var wish = new Wish(id, group ?? $"groep-{id}", $"Groep {id}", $"Activiteit {id}", category, participants,
            (facilities ?? []).ToHashSet(), (accessibility ?? []).ToHashSet(), frequency, duration, continuity, options);
        _wishes.Add(wish);
        return wish;
    }

    public void Lock(long wishId, Placement? placement) => _locks.Add(new PlanLock(wishId, placement));

    public ProtectedBlock Block(long id, long roomId, int weekday, int start, int end, params string[] categories)
    {
        var block = new ProtectedBlock(id, roomId, weekday, start, end, categories.ToHashSet(), $"Blok {id}");
        _blocks.Add(block);
        return block;
    }

    public PlanInput Build() => new(_centres.ToList(), _rooms.ToList(), _wishes.ToList(), _locks.ToList(),
        new PlanPolicy(Weights, ContinuityBonus, RankBonus, SpreadBonus, Fairness, _blocks.ToList(), Step));

    public static PlanResult Solve(PlanInput input, int workers = 2) =>
        new PlanOptimiser().Solve(input, new SolveOptions(TimeSpan.FromSeconds(20), workers));
}

internal static class PlanResultExtensions
{
    public static Allocation? For(this PlanResult result, long wishId) => result.Allocations.SingleOrDefault(a => a.WishId == wishId);

    public static WishExplanation Explain(this PlanResult result, long wishId) => result.Explanations.Single(e => e.WishId == wishId);

    public static IReadOnlyList<Reason> ReasonsFor(this PlanResult result, long wishId, int rank) =>
        result.Explain(wishId).Options.Single(o => o.Rank == rank).Reasons;
}
