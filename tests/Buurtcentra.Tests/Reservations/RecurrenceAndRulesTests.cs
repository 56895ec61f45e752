using Buurtcentra.Web.Features.Reservations;

namespace Buurtcentra.Tests.Reservations;

public sealed class RecurrenceTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void Weekly_until_a_date_includes_the_last_date()
    {
        var dates = new Recurrence { Kind = Recurrence.Weekly, Until = D(2027, 3, 23) }.Expand(D(2027, 3, 2));
        Assert.Equal([D(2027, 3, 2), D(2027, 3, 9), D(2027, 3, 16), D(2027, 3, 23)], dates);
    }

    [Fact]
    public void Every_other_week_with_a_count()
    {
        var dates = new Recurrence { Kind = Recurrence.Weekly, Interval = 2, Count = 3 }.Expand(D(2027, 3, 2));
        Assert.Equal([D(2027, 3, 2), D(2027, 3, 16), D(2027, 3, 30)], dates);
    }

    [Fact]
    public void Second_tuesday_of_the_month()
    {
        var dates = new Recurrence { Kind = Recurrence.MonthlyNthWeekday, WeekOfMonth = 2, Count = 4 }.Expand(D(2027, 1, 12));
        Assert.Equal([D(2027, 1, 12), D(2027, 2, 9), D(2027, 3, 9), D(2027, 4, 13)], dates);
    }

    [Fact]
    public void Last_friday_of_the_month()
    {
        var dates = new Recurrence { Kind = Recurrence.MonthlyNthWeekday, WeekOfMonth = -1, Until = D(2027, 3, 31) }.Expand(D(2027, 1, 29));
        Assert.Equal([D(2027, 1, 29), D(2027, 2, 26), D(2027, 3, 26)], dates);
    }

    [Theory]
    [InlineData(Recurrence.Weekly, 2, null)]
    [InlineData(Recurrence.MonthlyNthWeekday, 1, null)]
    [InlineData(Recurrence.MonthlyNthWeekday, 1, -1)]
    public void Splitting_a_series_gives_two_parts_with_exactly_the_dates_of_the_whole(string kind, int interval, int? weekOfMonth)
    {
        var first = D(2027, 1, 26); // the last (and fourth) Tuesday of January
        var whole = new Recurrence { Kind = kind, Interval = interval, WeekOfMonth = weekOfMonth, Count = 7 };
        var dates = whole.Expand(first);
        var laterFirst = dates[3];

        var (before, after) = whole.SplitAt(first, laterFirst);

        Assert.Equal(dates.Take(3), before.Expand(first));
        Assert.Equal(dates.Skip(3), after.Expand(laterFirst));
        Assert.Equal("COUNT=3", before.ToRRule(first)!.Split(';')[^1]);
    }

    [Fact]
    public void Splitting_a_list_of_dates_keeps_each_date_in_one_part()
    {
        var whole = new Recurrence { Kind = Recurrence.DateList, Dates = [D(2027, 3, 9), D(2027, 4, 20), D(2027, 5, 4)] };
        var (before, after) = whole.SplitAt(D(2027, 3, 2), D(2027, 4, 20));
        Assert.Equal([D(2027, 3, 2), D(2027, 3, 9)], before.Expand(D(2027, 3, 2)));
        Assert.Equal([D(2027, 4, 20), D(2027, 5, 4)], after.Expand(D(2027, 4, 20)));
    }

    [Fact]
    public void A_fifth_weekday_counts_as_the_last()
    {
        Assert.Equal(-1, Recurrence.WeekOfMonthOf(D(2027, 3, 30)));
        Assert.Equal(2, Recurrence.WeekOfMonthOf(D(2027, 3, 9)));
    }

    [Fact]
    public void Date_list_is_sorted_without_duplicates_and_starts_with_the_first_date()
    {
        var dates = new Recurrence { Kind = Recurrence.DateList, Dates = [D(2027, 5, 1), D(2027, 4, 1), D(2027, 4, 1)] }.Expand(D(2027, 3, 1));
        Assert.Equal([D(2027, 3, 1), D(2027, 4, 1), D(2027, 5, 1)], dates);
        Assert.Null(new Recurrence { Kind = Recurrence.DateList }.ToRRule(D(2027, 3, 1)));
    }

    [Fact]
    public void RRule_matches_the_expansion()
    {
        Assert.Equal("FREQ=WEEKLY;INTERVAL=2;COUNT=3", new Recurrence { Kind = Recurrence.Weekly, Interval = 2, Count = 3 }.ToRRule(D(2027, 3, 2)));
        Assert.Equal("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3",
            new Recurrence { Kind = Recurrence.MonthlyNthWeekday, WeekOfMonth = -1, Until = D(2027, 3, 31) }.ToRRule(D(2027, 1, 29)));
    }

    [Fact]
    public void Series_are_capped_and_the_cap_is_visible()
    {
        var dates = new Recurrence { Kind = Recurrence.Weekly, Until = D(2040, 1, 1) }.Expand(D(2027, 1, 5));
        Assert.Equal(Recurrence.MaxOccurrences, dates.Count);
    }
}

public sealed class BookingRulesTests
{
    private static readonly RoomRules Room = new(1, "Grote zaal", 1, "De Boog", Capacity: 30, MinMinutes: 60, MaxMinutes: 240,
        SetupMinutes: 15, CleanupMinutes: 30, LeadTimeDays: 3, HorizonDays: 400, Active: true);

    private static readonly OpeningPeriod[] Hours =
        [.. Enumerable.Range(1, 7).Select(d => new OpeningPeriod(d, new TimeOnly(9, 0), new TimeOnly(17, 0))),
         .. Enumerable.Range(1, 5).Select(d => new OpeningPeriod(d, new TimeOnly(18, 30), new TimeOnly(22, 30)))];

    private static readonly DateOnly Today = new(2026, 11, 23);

    private static BookingPlan Plan(DateOnly[] dates, int startHour = 19, int endHour = 21, int participants = 10, bool staff = false,
        Closure[]? closures = null) =>
        BookingRules.Plan(Room, Hours, closures ?? [], new BookingRequest(dates, new TimeOnly(startHour, 0), new TimeOnly(endHour, 0), participants, staff), Today);

    [Fact]
    public void Nineteen_hundred_stays_nineteen_hundred_local_across_both_DST_changes()
    {
        var dates = new[] { new DateOnly(2027, 3, 23), new DateOnly(2027, 3, 30), new DateOnly(2027, 10, 26), new DateOnly(2027, 11, 2) };
        var plan = Plan(dates);
        Assert.True(plan.IsValid);
        Assert.Equal([18, 17, 17, 18], plan.Occurrences.Select(o => o.StartUtc.Hour));
        Assert.All(plan.Occurrences, o => Assert.Equal(DateTimeKind.Utc, o.StartUtc.Kind));
        Assert.Equal(plan.Occurrences[0].StartUtc.AddMinutes(-15), plan.Occurrences[0].BlockedFromUtc);
        Assert.Equal(plan.Occurrences[0].EndUtc.AddMinutes(30), plan.Occurrences[0].BlockedUntilUtc);
    }

    [Fact]
    public void Too_many_participants_names_the_capacity()
    {
        var plan = Plan([new DateOnly(2027, 3, 2)], participants: 31);
        var v = Assert.Single(plan.Violations);
        Assert.Equal("Participants", v.Field);
        Assert.Contains("maximaal 30 mensen", v.Message);
    }

    [Fact]
    public void Duration_outside_the_rooms_limits_is_refused()
    {
        Assert.Contains(Plan([new DateOnly(2027, 3, 2)], 9, 14).Violations, v => v.Message.Contains("hoogstens 4 uur"));
        var shortPlan = BookingRules.Plan(Room, Hours, [], new BookingRequest([new DateOnly(2027, 3, 2)], new TimeOnly(19, 0), new TimeOnly(19, 30), 5, false), Today);
        Assert.Contains(shortPlan.Violations, v => v.Message.Contains("minstens 1 uur"));
    }

    [Fact]
    public void Outside_opening_hours_says_when_the_centre_is_open()
    {
        var plan = Plan([new DateOnly(2027, 3, 2)], 17, 19);
        var v = Assert.Single(plan.Violations);
        Assert.Contains("open van 09:00 tot 17:00 en 18:30 tot 22:30", v.Message);
    }

    [Fact]
    public void Lead_time_applies_to_requests_but_not_to_beheerders()
    {
        var soon = new[] { Today.AddDays(1) };
        Assert.Contains(Plan(soon, 10, 12).Violations, v => v.Message.Contains("minstens 3 dagen van tevoren"));
        Assert.True(Plan(soon, 10, 12, staff: true).IsValid);
        Assert.Contains(Plan([Today.AddDays(-1)], 10, 12, staff: true).Violations, v => v.Message.Contains("al voorbij"));
    }

    [Fact]
    public void A_closure_refuses_a_single_date_but_is_skipped_in_a_series()
    {
        var closure = new Closure(new DateOnly(2027, 4, 27), new DateOnly(2027, 4, 27), "Koningsdag");
        var single = Plan([new DateOnly(2027, 4, 27)], closures: [closure]);
        Assert.Contains(single.Violations, v => v.Message.Contains("gesloten (Koningsdag)"));

        var series = Plan([new DateOnly(2027, 4, 20), new DateOnly(2027, 4, 27), new DateOnly(2027, 5, 4)], closures: [closure]);
        Assert.True(series.IsValid);
        Assert.Equal([new DateOnly(2027, 4, 20), new DateOnly(2027, 5, 4)], series.Occurrences.Select(o => o.SeriesDate));
        Assert.Equal("Koningsdag", Assert.Single(series.Skipped).Reason);
    }

    [Fact]
    public void A_time_that_does_not_exist_on_the_DST_night_is_refused()
    {
        var sunday = new DateOnly(2027, 3, 28);
        var hours = Enumerable.Range(1, 7).Select(d => new OpeningPeriod(d, new TimeOnly(0, 0), new TimeOnly(23, 0))).ToArray();
        var plan = BookingRules.Plan(Room with { MinMinutes = 15 }, hours, [], new BookingRequest([sunday], new TimeOnly(2, 30), new TimeOnly(4, 0), 5, true), Today);
        Assert.Contains(plan.Violations, v => v.Message.Contains("bestaat 02:30 niet"));
    }
}
