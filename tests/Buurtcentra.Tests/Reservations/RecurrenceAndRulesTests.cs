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
        Assert.Equal((dates[2], first), (before.Until, before.FirstDate));
        Assert.Equal((dates[6], laterFirst), (after.Until, after.FirstDate));
    }

    [Fact]
    public void A_COUNT_series_whose_first_date_was_left_out_splits_with_the_until_of_its_own_dates()
    {
        // Asked: 6 Tuesdays from 2 March 2027; 2 March was a closure day, so 9 March is the first booked date.
        var whole = new Recurrence { Kind = Recurrence.Weekly, Count = 6, FirstDate = D(2027, 3, 2) };
        var (before, after) = whole.SplitAt(D(2027, 3, 2), D(2027, 3, 23));

        Assert.Equal([D(2027, 3, 2), D(2027, 3, 9), D(2027, 3, 16)], before.Expand(D(2027, 3, 2)));
        Assert.Equal(D(2027, 4, 6), after.Until); // expanding from the first booked date gave 13 April
        Assert.Equal([D(2027, 3, 23), D(2027, 3, 30), D(2027, 4, 6)], after.Expand(D(2027, 3, 23)));
    }

    [Fact]
    public void Every_other_month_on_the_second_tuesday()
    {
        var rule = new Recurrence { Kind = Recurrence.MonthlyNthWeekday, Interval = 2, WeekOfMonth = 2, Count = 3 };
        Assert.Equal([D(2027, 1, 12), D(2027, 3, 9), D(2027, 5, 11)], rule.Expand(D(2027, 1, 12)));
        Assert.Equal("om de 2 maanden op de 2e dinsdag van de maand", rule.Describe(D(2027, 1, 12)));
        Assert.Equal("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;UNTIL=20270511T215959Z", rule.ToRRule(D(2027, 1, 12), D(2027, 5, 11)));
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
        Assert.Null(new Recurrence { Kind = Recurrence.DateList }.ToRRule(D(2027, 3, 1), D(2027, 5, 1)));
    }

    [Fact]
    public void RRule_ends_with_an_until_at_the_end_of_the_last_local_day_never_a_count()
    {
        // 30 March 2027 is in summer time: 23:59:59 there is 21:59:59 UTC.
        Assert.Equal("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270330T215959Z",
            new Recurrence { Kind = Recurrence.Weekly, Interval = 2, Count = 3 }.ToRRule(D(2027, 3, 2), D(2027, 3, 30)));
        Assert.Equal("FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270326T225959Z",
            new Recurrence { Kind = Recurrence.MonthlyNthWeekday, WeekOfMonth = -1, Until = D(2027, 3, 31) }.ToRRule(D(2027, 1, 29), D(2027, 3, 26)));
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
        var violation = Assert.Single(plan.Violations);
        Assert.Contains("bestaat 02:30 niet", violation.Message);
        Assert.Contains("om 02:00 een uur vooruit naar 03:00", violation.Message);
        Assert.Contains("bijvoorbeeld 03:00", violation.Message);
    }

    private static readonly OpeningPeriod[] Night = Enumerable.Range(1, 7).Select(d => new OpeningPeriod(d, new TimeOnly(0, 0), new TimeOnly(23, 0))).ToArray();

    [Theory]
    [InlineData(2, 30, 4, 0, "02:30")]
    [InlineData(1, 0, 2, 30, "02:30")]
    [InlineData(2, 0, 3, 0, "02:00")]
    public void A_series_books_every_date_but_the_night_the_time_does_not_exist_and_says_why(int sh, int sm, int eh, int em, string missing)
    {
        // Sundays around 28 March 2027, when the clocks go from 02:00 to 03:00.
        DateOnly[] sundays = [new(2027, 3, 21), new(2027, 3, 28), new(2027, 4, 4)];
        var plan = BookingRules.Plan(Room with { MinMinutes = 15 }, Night, [],
            new BookingRequest(sundays, new TimeOnly(sh, sm), new TimeOnly(eh, em), 5, true), Today);

        Assert.True(plan.IsValid, string.Join(" ", plan.Violations.Select(v => v.Message)));
        Assert.Equal([new DateOnly(2027, 3, 21), new DateOnly(2027, 4, 4)], plan.Occurrences.Select(o => o.SeriesDate));
        var skipped = Assert.Single(plan.Skipped);
        Assert.Equal(new DateOnly(2027, 3, 28), skipped.Date);
        Assert.True(skipped.ClockChange);
        Assert.Equal($"{missing} bestaat die nacht niet: de klok gaat om 02:00 een uur vooruit naar 03:00", skipped.Reason);
    }

    [Fact]
    public void An_explicit_offset_says_which_of_the_two_times_is_meant_on_the_night_the_clocks_go_back()
    {
        var sunday = new DateOnly(2027, 10, 31);
        BookingPlan At(TimeSpan? start, TimeSpan? end) => BookingRules.Plan(Room with { MinMinutes = 15 }, Night, [],
            new BookingRequest([sunday], new TimeOnly(2, 30), new TimeOnly(2, 50), 5, true, start, end), Today);

        var first = At(null, null).Occurrences.Single();
        Assert.Equal((new DateTime(2027, 10, 31, 0, 30, 0), new DateTime(2027, 10, 31, 0, 50, 0)), (first.StartUtc, first.EndUtc));
        var second = At(TimeSpan.FromHours(1), TimeSpan.FromHours(1)).Occurrences.Single();
        Assert.Equal((new DateTime(2027, 10, 31, 1, 30, 0), new DateTime(2027, 10, 31, 1, 50, 0)), (second.StartUtc, second.EndUtc));
        // Summer time for the start, winter time for the end: 02:30 CEST to 02:50 CET is an hour and twenty minutes.
        var across = At(TimeSpan.FromHours(2), TimeSpan.FromHours(1)).Occurrences.Single();
        Assert.Equal((new DateTime(2027, 10, 31, 0, 30, 0), new DateTime(2027, 10, 31, 1, 50, 0)), (across.StartUtc, across.EndUtc));
    }
}
