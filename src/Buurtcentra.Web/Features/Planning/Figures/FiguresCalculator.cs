using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Web.Features.Planning.Figures;

public sealed record FiguresWish(long Id, string GroupKey, string GroupName, string Category, Frequency Frequency, int DurationMinutes);

/// <summary>Where a wish went: Place null is not granted; Rank null with a place is placed by hand.</summary>
public sealed record FiguresAllocation(long WishId, GrantedPlace? Place, int? Rank);

public sealed record FiguresRoom(long Id, long CentreId);

public sealed record CategoryFigures(string Category, int Wishes, int Granted, int FirstChoice, double HoursPerWeek);

public sealed record RankFigures(string Label, int Count);

/// <summary>Occupancy of one weekday and daypart: used hours per week against the hours the rooms are open then.</summary>
public sealed record OccupancyCell(int Weekday, string Daypart, double UsedHours, double OpenHours)
{
    public double? Share => OpenHours <= 0 ? null : Math.Min(1, UsedHours / OpenHours);
}

public sealed record RoundFigures(IReadOnlyList<CategoryFigures> Categories, CategoryFigures Total, IReadOnlyList<RankFigures> Ranks,
    IReadOnlyList<OccupancyCell> Occupancy, IReadOnlyList<string> GroupsWithNothing);

/// <summary>
/// The equity figures of a round (pure, unit-tested): share of wishes granted per category and as first choice, hours
/// per week per category (every other week counts half, monthly 12/52), occupancy per weekday and daypart of the rooms
/// (ochtend before 12:00, middag 12:00–18:00, avond from 18:00; against the centre's opening hours), and the groups that
/// got nothing.
/// </summary>
public static class FiguresCalculator
{
    public static readonly IReadOnlyList<(string Name, int From, int To)> Dayparts =
        [("ochtend", 0, 12 * 60), ("middag", 12 * 60, 18 * 60), ("avond", 18 * 60, 24 * 60)];

    public static RoundFigures Calculate(IReadOnlyList<FiguresWish> wishes, IReadOnlyList<FiguresAllocation> allocations,
        IReadOnlyList<FiguresRoom> rooms, IReadOnlyList<(long CentreId, OpeningSpan Span)> openingHours)
    {
        var byWish = allocations.GroupBy(a => a.WishId).ToDictionary(g => g.Key, g => g.First());
        FiguresAllocation? Of(FiguresWish w) => byWish.GetValueOrDefault(w.Id);
        bool Granted(FiguresWish w) => Of(w)?.Place is not null;

        CategoryFigures Figures(string category, IEnumerable<FiguresWish> list)
        {
            var items = list.ToList();
            return new CategoryFigures(category, items.Count, items.Count(Granted), items.Count(w => Granted(w) && Of(w)!.Rank == 1),
                items.Where(Granted).Sum(w => (Of(w)!.Place!.EndMinute - Of(w)!.Place!.StartMinute) / 60.0 * BoardFormat.PerWeek(w.Frequency)));
        }

        var categories = BoardFormat.Categories.Select(c => Figures(c, wishes.Where(w => w.Category == c))).ToList();
        var total = Figures("totaal", wishes);

        var ranks = new List<RankFigures>
        {
            new("Eerste keus", wishes.Count(w => Granted(w) && Of(w)!.Rank == 1)),
            new("Tweede keus", wishes.Count(w => Granted(w) && Of(w)!.Rank == 2)),
            new("Derde keus", wishes.Count(w => Granted(w) && Of(w)!.Rank == 3)),
            new("Door de beheerder geplaatst", wishes.Count(w => Granted(w) && Of(w)!.Rank is null)),
            new("Niet toegekend", wishes.Count(w => !Granted(w))),
        };

        var roomCentre = rooms.ToDictionary(r => r.Id, r => r.CentreId);
        var frequency = wishes.ToDictionary(w => w.Id, w => w.Frequency);
        var occupancy = new List<OccupancyCell>();
        foreach (var day in BoardFormat.Weekdays)
        {
            foreach (var (name, from, to) in Dayparts)
            {
                var open = rooms.Sum(room => openingHours.Where(h => h.CentreId == room.CentreId && h.Span.Weekday == day)
                    .Sum(h => Overlap(h.Span.OpensMinute, h.Span.ClosesMinute, from, to))) / 60.0;
                var used = allocations.Where(a => a.Place is { } p && p.Weekday == day && roomCentre.ContainsKey(p.RoomId) && frequency.ContainsKey(a.WishId))
                    .Sum(a => Overlap(a.Place!.StartMinute, a.Place.EndMinute, from, to) / 60.0 * BoardFormat.PerWeek(frequency[a.WishId]));
                occupancy.Add(new OccupancyCell(day, name, used, open));
            }
        }

        var nothing = wishes.GroupBy(w => w.GroupKey).Where(g => !g.Any(Granted))
            .Select(g => g.First().GroupName).Distinct().Order(StringComparer.CurrentCulture).ToList();
        return new RoundFigures(categories, total, ranks, occupancy, nothing);
    }

    private static int Overlap(int startA, int endA, int startB, int endB) => Math.Max(0, Math.Min(endA, endB) - Math.Max(startA, startB));
}
