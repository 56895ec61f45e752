using Buurtcentra.Web.Features.Availability;

namespace Buurtcentra.Tests.Availability;

/// <summary>The pure free-slot arithmetic: no database, no clock.</summary>
public sealed class FreeSlotsTests
{
    // Tuesday 2 March 2027, winter time: local = UTC + 1. Helpers take UTC wall times on that day.
    private static readonly DateTimeOffset Day = new(2027, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static DateTimeOffset At(int hour, int minute = 0) => Day.AddHours(hour).AddMinutes(minute);
    private static Interval Span(int fromHour, int fromMinute, int toHour, int toMinute) => new(At(fromHour, fromMinute), At(toHour, toMinute));
    private static readonly Interval WholeDay = new(Day, Day.AddDays(1));
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);
    private static TimeSpan Min(int minutes) => TimeSpan.FromMinutes(minutes);

    private static IReadOnlyList<Interval> Compute(Interval[] open, Interval[] busy, int duration, int setup = 0, int cleanup = 0, Interval? window = null) =>
        FreeSlots.Compute(open, busy, window ?? WholeDay, Min(duration), Min(setup), Min(cleanup), Quarter);

    [Fact]
    public void Without_bookings_the_whole_opening_period_is_free()
    {
        var slots = Compute([Span(8, 0, 16, 0)], [], 60);

        Assert.Equal([Span(8, 0, 16, 0)], slots);
    }

    [Fact]
    public void Only_the_part_inside_the_time_window_counts()
    {
        var slots = Compute([Span(8, 0, 16, 0)], [], 60, window: Span(9, 0, 11, 30));

        Assert.Equal([Span(9, 0, 11, 30)], slots);
    }

    [Fact]
    public void Several_opening_periods_give_a_slot_each()
    {
        var slots = Compute([Span(18, 0, 21, 0), Span(8, 0, 11, 0)], [], 60, window: Span(10, 0, 19, 30));

        Assert.Equal([Span(10, 0, 11, 0), Span(18, 0, 19, 30)], slots);
    }

    [Fact]
    public void A_slot_must_fit_inside_one_opening_period_even_when_periods_touch()
    {
        Assert.Empty(Compute([Span(8, 0, 11, 0), Span(11, 0, 14, 0)], [], 240));
        Assert.Empty(Compute([Span(8, 0, 11, 0), Span(12, 0, 16, 0)], [], 300));
        Assert.Equal([Span(12, 0, 16, 0)], Compute([Span(8, 0, 11, 0), Span(12, 0, 16, 0)], [], 240));
    }

    [Fact]
    public void A_duration_longer_than_the_free_time_gives_nothing_and_an_exact_fit_gives_one_slot()
    {
        Assert.Empty(Compute([Span(8, 0, 9, 0)], [], 90));
        Assert.Equal([Span(8, 0, 9, 0)], Compute([Span(8, 0, 9, 0)], [], 60));
    }

    [Fact]
    public void The_rooms_set_up_and_clean_up_keep_the_activity_away_from_a_booking()
    {
        // Booking blocks 12:00-14:00; this room needs 30 min set-up before and 15 min clean-up after an activity.
        var slots = Compute([Span(8, 0, 16, 0)], [Span(12, 0, 14, 0)], 60, setup: 30, cleanup: 15);

        // Before: activity + 15 min clean-up must end by 12:00. After: 30 min set-up may start at 14:00.
        Assert.Equal([Span(8, 0, 11, 45), Span(14, 30, 16, 0)], slots);
    }

    [Fact]
    public void An_activity_whose_buffers_touch_a_booking_exactly_fits_and_one_minute_more_does_not()
    {
        // Blocks 8:00-9:00 and 10:30-12:00; set-up and clean-up 15 min each: the gap for the activity is 9:15-10:15.
        Interval[] busy = [Span(8, 0, 9, 0), Span(10, 30, 12, 0)];

        Assert.Equal([Span(9, 15, 10, 15)], Compute([Span(7, 0, 13, 0)], busy, 60, setup: 15, cleanup: 15));
        Assert.Empty(Compute([Span(7, 0, 13, 0)], busy, 61, setup: 15, cleanup: 15));
    }

    [Fact]
    public void Blocks_outside_the_period_or_from_the_night_before_are_handled()
    {
        // A block from the previous evening until 9:00, two overlapping blocks, and one after closing time.
        Interval[] busy = [new(At(-4), At(9)), Span(11, 0, 12, 0), Span(11, 30, 12, 30), Span(17, 0, 18, 0)];

        var slots = Compute([Span(8, 0, 16, 0)], busy, 60);

        Assert.Equal([Span(9, 0, 11, 0), Span(12, 30, 16, 0)], slots);
    }

    [Fact]
    public void Starts_are_on_the_quarter_hour()
    {
        // The room is free from 9:05; the first quarter hour is 9:15.
        Assert.Equal([Span(9, 15, 12, 0)], Compute([Span(8, 0, 12, 0)], [Span(8, 0, 9, 5)], 60));
        // From 9:05 to 10:10 there is 65 minutes, but from 9:15 only 55.
        Assert.Empty(Compute([Span(8, 0, 10, 10)], [Span(8, 0, 9, 5)], 60));
    }

    [Fact]
    public void A_fully_booked_period_has_no_slots()
    {
        Assert.Empty(Compute([Span(8, 0, 12, 0)], [Span(7, 0, 12, 0)], 15));
    }

    [Fact]
    public void Nothing_starts_before_now()
    {
        var date = new DateOnly(2027, 3, 2);
        var now = new DateTimeOffset(2027, 3, 2, 9, 7, 0, TimeSpan.Zero); // 10:07 local

        var slots = FreeSlots.ForDay(date, [new LocalPeriod(new TimeOnly(9, 0), new TimeOnly(17, 0))], 0, 1440, [], Min(60), Min(0), Min(0), Quarter, now);

        Assert.Equal([Local(date, 10, 15, 17, 0)], slots);
    }

    [Fact]
    public void Local_opening_hours_and_window_become_instants_for_that_date()
    {
        var date = new DateOnly(2027, 3, 2);
        LocalPeriod[] hours = [new(new TimeOnly(9, 0), new TimeOnly(12, 0)), new(new TimeOnly(19, 0), new TimeOnly(22, 0))];

        var slots = FreeSlots.ForDay(date, hours, 11 * 60, 20 * 60 + 30, [], Min(60), Min(0), Min(0), Quarter, DateTimeOffset.MinValue);

        Assert.Equal([Local(date, 11, 0, 12, 0), Local(date, 19, 0, 20, 30)], slots);
        Assert.Equal(new DateTimeOffset(2027, 3, 2, 18, 0, 0, TimeSpan.Zero), slots[1].Start);
    }

    [Theory]
    [InlineData("2027-03-27", 18)] // Saturday before the spring change: CET, UTC+1
    [InlineData("2027-03-28", 17)] // the change itself (02:00 -> 03:00): CEST, UTC+2
    [InlineData("2027-10-30", 17)] // Saturday before the autumn change: CEST
    [InlineData("2027-10-31", 18)] // the change itself (03:00 -> 02:00): CET
    public void Local_19_00_stays_19_00_across_daylight_saving_changes(string day, int utcHour)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var slots = FreeSlots.ForDay(date, [new LocalPeriod(new TimeOnly(19, 0), new TimeOnly(22, 0))], 0, 1440, [],
            Min(120), Min(0), Min(0), Quarter, DateTimeOffset.MinValue);

        var slot = Assert.Single(slots);
        Assert.Equal(new DateTimeOffset(date.ToDateTime(new TimeOnly(utcHour, 0)), TimeSpan.Zero), slot.Start);
        Assert.Equal(TimeSpan.FromHours(3), slot.Length);
        Assert.Equal(new TimeOnly(19, 0), TimeOnly.FromDateTime(LocalClock.ToAmsterdam(slot.Start).DateTime));
        Assert.Equal(new TimeOnly(22, 0), TimeOnly.FromDateTime(LocalClock.ToAmsterdam(slot.End).DateTime));
    }

    [Fact]
    public void A_booking_on_the_spring_change_day_blocks_its_local_hour()
    {
        var date = new DateOnly(2027, 3, 28);
        // Confirmed 19:00-20:00 local summer time = 17:00-18:00 UTC.
        Interval[] busy = [new(new DateTimeOffset(2027, 3, 28, 17, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 28, 18, 0, 0, TimeSpan.Zero))];

        var slots = FreeSlots.ForDay(date, [new LocalPeriod(new TimeOnly(19, 0), new TimeOnly(22, 0))], 0, 1440, busy,
            Min(60), Min(0), Min(0), Quarter, DateTimeOffset.MinValue);

        var slot = Assert.Single(slots);
        Assert.Equal("20:00–22:00", $"{LocalClock.ToAmsterdam(slot.Start):HH:mm}–{LocalClock.ToAmsterdam(slot.End):HH:mm}");
        Assert.Equal(TimeSpan.FromHours(2), LocalClock.ToAmsterdam(slot.Start).Offset);
    }

    [Fact]
    public void A_period_across_the_missing_spring_hour_is_one_hour_shorter()
    {
        // 01:00-04:00 local on 28 March 2027 is only two real hours: 02:00-03:00 does not exist.
        var date = new DateOnly(2027, 3, 28);
        LocalPeriod[] hours = [new(new TimeOnly(1, 0), new TimeOnly(4, 0))];

        var fits = FreeSlots.ForDay(date, hours, 0, 1440, [], Min(120), Min(0), Min(0), Quarter, DateTimeOffset.MinValue);
        var tooLong = FreeSlots.ForDay(date, hours, 0, 1440, [], Min(150), Min(0), Min(0), Quarter, DateTimeOffset.MinValue);

        Assert.Equal(TimeSpan.FromHours(2), Assert.Single(fits).Length);
        Assert.Empty(tooLong);
        // A window starting inside the gap starts when the clock resumes: 02:30 does not exist, it becomes 03:30.
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 30, 0, TimeSpan.Zero), LocalClock.ToUtc(date, 2 * 60 + 30));
    }

    [Fact]
    public void Midnight_at_the_end_of_the_day_is_the_next_day()
    {
        Assert.Equal(LocalClock.ToUtc(new DateOnly(2027, 3, 3), 0), LocalClock.ToUtc(new DateOnly(2027, 3, 2), 1440));
    }

    private static Interval Local(DateOnly date, int fromHour, int fromMinute, int toHour, int toMinute) =>
        new(LocalClock.ToUtc(date, fromHour * 60 + fromMinute), LocalClock.ToUtc(date, toHour * 60 + toMinute));
}
