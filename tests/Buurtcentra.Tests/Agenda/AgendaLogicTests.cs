using Buurtcentra.Web.Features.Agenda;

namespace Buurtcentra.Tests.Agenda;

/// <summary>Weeks, dates and the Vrij/Bezet split: plain logic, no database.</summary>
public sealed class AgendaLogicTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2027, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2027-03-03", "2027-03-01", 9)]
    [InlineData("2027-03-07", "2027-03-01", 9)]
    [InlineData("2027-03-08", "2027-03-08", 10)]
    [InlineData("2027-01-01", "2026-12-28", 53)]
    [InlineData("2026-12-31", "2026-12-28", 53)]
    public void The_week_runs_from_monday_with_the_iso_week_number(string date, string monday, int week)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), AgendaWindow.WeekOf(day).FirstDay);
        Assert.Equal(week, AgendaDates.WeekNumber(day));
    }

    [Fact]
    public void The_window_of_the_week_with_the_dst_change_is_one_hour_shorter_in_utc()
    {
        var week = AgendaWindow.WeekOf(new DateOnly(2027, 3, 28));

        Assert.Equal(Utc(3, 21, 23), week.FromUtc); // maandag 22 maart 00:00 CET
        Assert.Equal(Utc(3, 28, 22), week.ToUtc);   // maandag 29 maart 00:00 CEST
        Assert.Equal(TimeSpan.FromHours(167), week.ToUtc - week.FromUtc);
    }

    [Theory]
    [InlineData("2027-W10", "2027-03-08", "2027-W10")]
    [InlineData("2027-w1", "2027-01-04", "2027-W01")]
    [InlineData("2026-W53", "2026-12-28", "2026-W53")]
    public void Reads_iso_weeks(string text, string monday, string code)
    {
        Assert.True(AgendaDates.TryParseWeek(text, out var day));
        Assert.Equal(monday, AgendaDates.IsoDate(day));
        Assert.Equal(code, AgendaDates.WeekCode(day));
    }

    [Theory]
    [InlineData("2027-W54")]
    [InlineData("2027-W00")]
    [InlineData("2027-10")]
    [InlineData("week 10")]
    [InlineData("2027-W53")] // 2027 has 52 weeks
    [InlineData("")]
    public void Rejects_weeks_that_do_not_exist(string text) => Assert.False(AgendaDates.TryParseWeek(text, out _));

    [Theory]
    [InlineData("2027-03-01", true)]
    [InlineData("1-3-2027", true)]
    [InlineData("01-03-2027", true)]
    [InlineData("2027-02-29", false)]
    [InlineData("morgen", false)]
    [InlineData("1999-12-31", false)]
    [InlineData("9999-12-31", false)]
    public void Reads_dates_as_a_date_field_sends_them_or_people_type_them(string text, bool valid)
    {
        Assert.Equal(valid, AgendaDates.TryParseDate(text, out var day));
        if (valid) Assert.Equal(new DateOnly(2027, 3, 1), day);
    }

    [Fact]
    public void A_block_past_midnight_is_cut_at_the_day_boundary()
    {
        var start = Utc(3, 1, 22); // 23:00 local
        var end = Utc(3, 2, 1);    // 02:00 local

        Assert.Equal("23:00–24:00", AgendaDates.TimeOnDay(new DateOnly(2027, 3, 1), start, end));
        Assert.Equal("00:00–02:00", AgendaDates.TimeOnDay(new DateOnly(2027, 3, 2), start, end));
        Assert.Null(AgendaDates.TimeOnDay(new DateOnly(2027, 3, 3), start, end));
        Assert.Null(AgendaDates.TimeOnDay(new DateOnly(2027, 2, 28), start, end));
    }

    [Fact]
    public void Splits_opening_time_into_vrij_and_bezet_and_merges_touching_and_overlapping_bookings()
    {
        var open = new[] { (Utc(3, 1, 8), Utc(3, 1, 11)), (Utc(3, 1, 18), Utc(3, 1, 21)) }; // 09-12 and 19-22 local
        var busy = new[]
        {
            (Utc(3, 1, 7), Utc(3, 1, 9)),          // 08:00-10:00 local, starts before opening: cut at 09:00
            (Utc(3, 1, 9), Utc(3, 1, 9, 30)),      // 10:00-10:30, touches the previous one
            (Utc(3, 1, 9, 15), Utc(3, 1, 9, 45)),  // 10:15-10:45, overlaps it
            (Utc(3, 1, 13), Utc(3, 1, 14)),        // while closed: not shown
            (Utc(3, 1, 20), Utc(3, 1, 23)),        // runs past closing: cut at 22:00
        };

        var slots = AvailabilitySplitter.Split(open, busy);

        Assert.Equal(
            ["09:00–10:45 Bezet", "10:45–12:00 Vrij", "19:00–21:00 Vrij", "21:00–22:00 Bezet"],
            slots.Select(s => $"{s.Time} {(s.Busy ? "Bezet" : "Vrij")}").ToArray());
    }

    [Fact]
    public void Without_bookings_each_opening_period_is_one_vrij_slot()
    {
        var slots = AvailabilitySplitter.Split([(Utc(3, 1, 8), Utc(3, 1, 11))], []);

        var slot = Assert.Single(slots);
        Assert.False(slot.Busy);
        Assert.Equal("09:00–12:00", slot.Time);
    }
}
