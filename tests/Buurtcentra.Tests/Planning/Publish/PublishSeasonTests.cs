using Buurtcentra.Web.Features.Planning.Optimiser;
using Buurtcentra.Web.Features.Planning.Publish;
using Buurtcentra.Web.Features.Reservations;

namespace Buurtcentra.Tests.Planning.Publish;

public sealed class PublishSeasonTests
{
    // A season that starts on a Wednesday: week 1 is the week of Monday 30 August 2027.
    private static readonly DateOnly Start = new(2027, 9, 1), End = new(2027, 10, 31);

    [Fact]
    public void Weekly_uses_every_such_weekday_in_the_season_only()
    {
        var mondays = PublishSeason.Dates(Start, End, 1, Frequency.Weekly, 0);
        Assert.Equal(new DateOnly(2027, 9, 6), mondays[0]); // Monday 30 August is before the season
        Assert.Equal(new DateOnly(2027, 10, 25), mondays[^1]);
        Assert.Equal(8, mondays.Count);
        Assert.Equal(Start, PublishSeason.Dates(Start, End, 3, Frequency.Weekly, 0)[0]);
    }

    [Fact]
    public void Every_other_week_lane_1_takes_the_odd_season_weeks_and_lane_2_starts_in_the_second_week()
    {
        var lane1 = PublishSeason.Dates(Start, End, 4, Frequency.EveryOtherWeek, 1);
        var lane2 = PublishSeason.Dates(Start, End, 4, Frequency.EveryOtherWeek, 2);
        Assert.Equal([new(2027, 9, 2), new(2027, 9, 16), new(2027, 9, 30), new(2027, 10, 14), new(2027, 10, 28)], lane1);
        Assert.Equal([new(2027, 9, 9), new(2027, 9, 23), new(2027, 10, 7), new(2027, 10, 21)], lane2);
        // Monday of week 1 (30 August) is outside the season: lane 1 Mondays start in week 3.
        Assert.Equal(new DateOnly(2027, 9, 13), PublishSeason.Dates(Start, End, 1, Frequency.EveryOtherWeek, 1)[0]);
    }

    [Fact]
    public void Monthly_lane_n_is_the_nth_such_weekday_of_each_month()
    {
        Assert.Equal([new(2027, 9, 14), new(2027, 10, 12)], PublishSeason.Dates(Start, End, 2, Frequency.Monthly, 2));
        Assert.Equal([new(2027, 9, 28), new(2027, 10, 26)], PublishSeason.Dates(Start, End, 2, Frequency.Monthly, 4));
    }

    [Fact]
    public void Closures_of_the_round_leave_dates_out_with_their_reason_also_for_one_centre_only()
    {
        RoundClosure[] closures =
        [
            new(new(2027, 10, 16), new(2027, 10, 24), "Herfstvakantie"),
            new(new(2027, 9, 6), new(2027, 9, 6), "Onderhoud", CentreId: 7),
        ];
        var ours = PublishSeason.For(Start, End, 1, Frequency.Weekly, 0, 7, closures, Start);
        Assert.Equal([new SkippedDate(new(2027, 9, 6), "Onderhoud"), new SkippedDate(new(2027, 10, 18), "Herfstvakantie")], ours.Closed);
        Assert.Equal(6, ours.Dates.Count);
        var other = PublishSeason.For(Start, End, 1, Frequency.Weekly, 0, 8, closures, Start);
        Assert.Equal([new SkippedDate(new(2027, 10, 18), "Herfstvakantie")], other.Closed);
    }

    [Fact]
    public void The_form_starts_on_the_lanes_first_date_and_its_rule_expands_to_exactly_the_season_dates()
    {
        RoundClosure[] closures = [new(new(2027, 10, 16), new(2027, 10, 24), "Herfstvakantie")];
        foreach (var (frequency, lane) in new[] { (Frequency.Weekly, 0), (Frequency.EveryOtherWeek, 1), (Frequency.EveryOtherWeek, 2), (Frequency.Monthly, 1), (Frequency.Monthly, 4) })
        {
            var form = PublishSeason.Form(Start, End, 4, frequency, lane, 7, closures, Start)!;
            var season = PublishSeason.For(Start, End, 4, frequency, lane, 7, closures, Start);
            var expanded = form.AllDates().Where(d => form.ExcludedDates.All(x => x.Date != d)).ToList();
            Assert.Equal(season.Dates, expanded);
            Assert.True(form.SkipBusyDates);
        }
        var biweekly = PublishSeason.Form(Start, End, 4, Frequency.EveryOtherWeek, 2, 7, closures, Start)!;
        Assert.Equal((new DateOnly(2027, 9, 9), 2, End), (biweekly.Date!.Value, biweekly.Interval!.Value, biweekly.Until!.Value));
        Assert.Equal([new SkippedDate(new(2027, 10, 21), "Herfstvakantie")], biweekly.ExcludedDates);
    }

    [Fact]
    public void Dates_already_past_are_left_out_and_the_lane_keeps_its_weeks()
    {
        var form = PublishSeason.Form(Start, End, 4, Frequency.EveryOtherWeek, 1, 7, [], new DateOnly(2027, 9, 10))!;
        Assert.Equal(new DateOnly(2027, 9, 16), form.Date);
        Assert.Null(PublishSeason.Form(Start, End, 4, Frequency.Weekly, 0, 7, [], new DateOnly(2027, 11, 1)));
    }
}
