using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Web.Features.Planning.Board;

/// <summary>A granted wish on the board, as the overlap check sees it.</summary>
public sealed record BoardSlot(long WishId, long RoomId, int Weekday, int StartMinute, int EndMinute, Frequency Frequency, int Lane);

/// <summary>
/// The rules a move on the planbord must keep (pure, unit-tested). Two uses of a room on the same weekday share it
/// when their weeks never meet, the same sub-lane rule as the optimiser:
/// every week meets everything; every other week meets only the same week (1 or 2); monthly meets only the same
/// n-th weekday; every other week and monthly always meet somewhere in a season.
/// The room's set-up and clean-up time count as well, because publishing books them too.
/// </summary>
public static class BoardRules
{
    public static bool LanesMeet(Frequency a, int laneA, Frequency b, int laneB)
    {
        if (a == Frequency.Weekly || b == Frequency.Weekly) return true;
        if (a == b) return laneA == laneB;
        return true;
    }

    /// <summary>Whether two uses of one room overlap, with the room's buffers between them ([start − set-up, end + clean-up)).</summary>
    public static bool TimesMeet(int startA, int endA, int startB, int endB, int setupMinutes = 0, int cleanupMinutes = 0) =>
        startA - setupMinutes < endB + cleanupMinutes && startB - setupMinutes < endA + cleanupMinutes;

    public static bool Meet(BoardSlot a, BoardSlot b, int setupMinutes = 0, int cleanupMinutes = 0) =>
        a.WishId != b.WishId && a.RoomId == b.RoomId && a.Weekday == b.Weekday
        && TimesMeet(a.StartMinute, a.EndMinute, b.StartMinute, b.EndMinute, setupMinutes, cleanupMinutes)
        && LanesMeet(a.Frequency, a.Lane, b.Frequency, b.Lane);

    /// <summary>The other slots the candidate would meet.</summary>
    public static IReadOnlyList<BoardSlot> Conflicts(BoardSlot candidate, IEnumerable<BoardSlot> others, int setupMinutes = 0, int cleanupMinutes = 0) =>
        others.Where(o => Meet(candidate, o, setupMinutes, cleanupMinutes)).ToList();

    public static bool LaneFits(Frequency frequency, int lane) => BoardFormat.Lanes(frequency).Contains(lane);

    /// <summary>Which option (1–3) a placement matches, or null when it was placed outside all of them.</summary>
    public static int? MatchingRank(IEnumerable<ExplainedOption> options, long roomId, int weekday, int startMinute, Func<long, bool> roomInCentre) =>
        options.OrderBy(o => o.Rank)
            .FirstOrDefault(o => o.Weekday == weekday && startMinute >= o.EarliestStartMinute && startMinute <= o.LatestStartMinute
                && (o.RoomId == roomId || (o.RoomId is null && roomInCentre(roomId))))?.Rank;
}
