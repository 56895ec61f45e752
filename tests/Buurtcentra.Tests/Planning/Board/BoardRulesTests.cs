using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Tests.Planning.Board;

public sealed class BoardRulesTests
{
    [Theory]
    [InlineData(Frequency.Weekly, 0, Frequency.Weekly, 0, true)]
    [InlineData(Frequency.Weekly, 0, Frequency.EveryOtherWeek, 2, true)]
    [InlineData(Frequency.Weekly, 0, Frequency.Monthly, 3, true)]
    [InlineData(Frequency.EveryOtherWeek, 1, Frequency.EveryOtherWeek, 1, true)]
    [InlineData(Frequency.EveryOtherWeek, 1, Frequency.EveryOtherWeek, 2, false)]
    [InlineData(Frequency.Monthly, 1, Frequency.Monthly, 1, true)]
    [InlineData(Frequency.Monthly, 1, Frequency.Monthly, 4, false)]
    [InlineData(Frequency.EveryOtherWeek, 1, Frequency.Monthly, 2, true)]
    [InlineData(Frequency.Monthly, 4, Frequency.EveryOtherWeek, 2, true)]
    public void Lanes_meet_as_the_optimiser_counts_them(Frequency a, int laneA, Frequency b, int laneB, bool meet)
    {
        Assert.Equal(meet, BoardRules.LanesMeet(a, laneA, b, laneB));
        Assert.Equal(meet, BoardRules.LanesMeet(b, laneB, a, laneA));
    }

    [Theory]
    [InlineData(1140, 1260, 1260, 1380, 0, 0, false)] // 19–21 and 21–23 without buffers: back to back is fine
    [InlineData(1140, 1260, 1260, 1380, 0, 15, true)] // with 15 minutes to clean up they meet
    [InlineData(1140, 1260, 1275, 1380, 0, 15, false)]
    [InlineData(1140, 1260, 1275, 1380, 10, 15, true)] // set-up of the second plus clean-up of the first
    [InlineData(1140, 1260, 1200, 1230, 0, 0, true)]
    [InlineData(600, 720, 1140, 1260, 30, 30, false)]
    public void Times_meet_with_the_rooms_buffers(int startA, int endA, int startB, int endB, int setup, int cleanup, bool meet)
    {
        Assert.Equal(meet, BoardRules.TimesMeet(startA, endA, startB, endB, setup, cleanup));
        Assert.Equal(meet, BoardRules.TimesMeet(startB, endB, startA, endA, setup, cleanup));
    }

    [Fact]
    public void Conflicts_are_only_in_the_same_room_on_the_same_weekday_and_never_with_itself()
    {
        var candidate = new BoardSlot(1, 10, 2, 1140, 1260, Frequency.Weekly, 0);
        var others = new[]
        {
            candidate,
            new BoardSlot(2, 10, 2, 1200, 1300, Frequency.Monthly, 3),
            new BoardSlot(3, 11, 2, 1140, 1260, Frequency.Weekly, 0),
            new BoardSlot(4, 10, 3, 1140, 1260, Frequency.Weekly, 0),
        };
        Assert.Equal([2L], BoardRules.Conflicts(candidate, others).Select(c => c.WishId));
    }

    [Fact]
    public void A_placement_matches_the_first_option_whose_room_day_and_window_fit()
    {
        ExplainedOption[] options = [new(1, 10, 2, 1140, 1140), new(2, null, 2, 1140, 1200), new(3, 12, 4, 600, 660)];
        bool InCentre(long room) => room is 10 or 11 or 12;
        Assert.Equal(1, BoardRules.MatchingRank(options, 10, 2, 1140, InCentre));
        Assert.Equal(2, BoardRules.MatchingRank(options, 11, 2, 1170, InCentre));
        Assert.Equal(2, BoardRules.MatchingRank(options, 10, 2, 1200, InCentre));
        Assert.Equal(3, BoardRules.MatchingRank(options, 12, 4, 660, InCentre));
        Assert.Null(BoardRules.MatchingRank(options, 99, 2, 1170, InCentre));
        Assert.Null(BoardRules.MatchingRank(options, 12, 4, 665, InCentre));
    }

    [Theory]
    [InlineData(Frequency.Weekly, 0, true)]
    [InlineData(Frequency.Weekly, 1, false)]
    [InlineData(Frequency.EveryOtherWeek, 2, true)]
    [InlineData(Frequency.EveryOtherWeek, 3, false)]
    [InlineData(Frequency.Monthly, 4, true)]
    [InlineData(Frequency.Monthly, 0, false)]
    public void Each_frequency_has_its_own_lanes(Frequency frequency, int lane, bool fits) =>
        Assert.Equal(fits, BoardRules.LaneFits(frequency, lane));
}
