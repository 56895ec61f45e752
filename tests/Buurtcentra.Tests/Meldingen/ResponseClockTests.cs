using Buurtcentra.Web.Features.Meldingen;

namespace Buurtcentra.Tests.Meldingen;

public sealed class DutchHolidayTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void Easter_sunday_follows_the_gregorian_computus(int year, int month, int day) =>
        Assert.Equal(D(year, month, day), DutchHolidays.EasterSunday(year));

    [Fact]
    public void The_holidays_of_2026()
    {
        Assert.Equal(
            [D(2026, 1, 1), D(2026, 4, 5), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 14), D(2026, 5, 24), D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26)],
            DutchHolidays.Of(2026).Select(h => h.Date));
    }

    [Fact]
    public void Koningsdag_moves_to_saturday_when_27_april_is_a_sunday()
    {
        Assert.Equal(DayOfWeek.Sunday, D(2025, 4, 27).DayOfWeek);
        Assert.True(DutchHolidays.IsHoliday(D(2025, 4, 26)));
        Assert.False(DutchHolidays.IsHoliday(D(2025, 4, 27)));
    }

    [Fact]
    public void Bevrijdingsdag_is_a_day_off_only_in_lustrum_years()
    {
        Assert.False(DutchHolidays.IsWorkingDay(D(2025, 5, 5)));
        Assert.True(DutchHolidays.IsWorkingDay(D(2026, 5, 5)));
        Assert.True(DutchHolidays.IsHoliday(D(2030, 5, 5)));
    }

    [Fact]
    public void Goede_vrijdag_is_a_working_day_and_weekends_are_not()
    {
        Assert.True(DutchHolidays.IsWorkingDay(D(2027, 3, 26)));
        Assert.False(DutchHolidays.IsWorkingDay(D(2026, 11, 28)));
        Assert.False(DutchHolidays.IsWorkingDay(D(2026, 11, 29)));
    }
}

public sealed class ResponseClockTests
{
    private static readonly ResponseTarget FourHours = new("spoed", 4, ResponseTarget.Hours);
    private static ResponseTarget WorkingDays(int n) => new("normaal", n, ResponseTarget.WorkingDays);

    /// <summary>A local Utrecht time (wall clock) as an instant.</summary>
    private static DateTimeOffset Local(int y, int mo, int d, int h, int mi = 0) =>
        Web.Infrastructure.Time.AmsterdamTime.ToUtc(new DateOnly(y, mo, d), new TimeOnly(h, mi))!.Value;

    private static DateTime LocalOf(DateTimeOffset instant) => Web.Infrastructure.Time.AmsterdamTime.ToLocal(instant);

    [Fact]
    public void Hours_run_through_the_night_and_the_weekend()
    {
        var deadline = ResponseClock.Deadline(Local(2026, 11, 27, 22), FourHours);
        Assert.Equal(new DateTime(2026, 11, 28, 2, 0, 0), LocalOf(deadline));
    }

    [Fact]
    public void Hours_are_real_elapsed_time_across_the_spring_dst_change()
    {
        // 29 March 2026, 01:30 winter time; at 02:00 the clocks jump to 03:00.
        var start = Local(2026, 3, 29, 1, 30);
        var deadline = ResponseClock.Deadline(start, FourHours);
        Assert.Equal(TimeSpan.FromHours(4), deadline - start);
        Assert.Equal(new DateTime(2026, 3, 29, 6, 30, 0), LocalOf(deadline));
    }

    [Fact]
    public void One_working_day_from_friday_afternoon_ends_monday_afternoon()
    {
        var deadline = ResponseClock.Deadline(Local(2026, 11, 27, 14), WorkingDays(1));
        Assert.Equal(new DateTime(2026, 11, 30, 14, 0, 0), LocalOf(deadline));
    }

    [Fact]
    public void Reported_on_saturday_the_clock_starts_on_monday_morning()
    {
        var deadline = ResponseClock.Deadline(Local(2026, 11, 28, 11), WorkingDays(1));
        Assert.Equal(new DateTime(2026, 12, 1, 0, 0, 0), LocalOf(deadline));
    }

    [Fact]
    public void Christmas_days_do_not_count()
    {
        var deadline = ResponseClock.Deadline(Local(2026, 12, 24, 10), WorkingDays(1));
        Assert.Equal(new DateTime(2026, 12, 28, 10, 0, 0), LocalOf(deadline));
    }

    [Fact]
    public void Easter_monday_does_not_count_good_friday_does_and_the_wall_clock_time_survives_the_dst_change()
    {
        // Thursday 25 March 2027 09:00 (winter time) + 2 working days: Good Friday (1), Easter Monday skipped, Tuesday (2).
        var start = Local(2027, 3, 25, 9);
        var deadline = ResponseClock.Deadline(start, WorkingDays(2));
        Assert.Equal(new DateTime(2027, 3, 30, 9, 0, 0), LocalOf(deadline));
        Assert.Equal(TimeSpan.FromHours(5 * 24 - 1), deadline - start); // an hour shorter: summer time began on Sunday
    }

    [Fact]
    public void The_wall_clock_time_survives_the_autumn_dst_change()
    {
        var start = Local(2026, 10, 23, 16);
        var deadline = ResponseClock.Deadline(start, WorkingDays(1));
        Assert.Equal(new DateTime(2026, 10, 26, 16, 0, 0), LocalOf(deadline));
        Assert.Equal(TimeSpan.FromHours(3 * 24 + 1), deadline - start);
    }

    [Fact]
    public void Koningsdag_and_a_lustrum_bevrijdingsdag_do_not_count_an_ordinary_5_may_does()
    {
        Assert.Equal(new DateTime(2026, 4, 28, 10, 0, 0), LocalOf(ResponseClock.Deadline(Local(2026, 4, 24, 10), WorkingDays(1))));
        Assert.Equal(new DateTime(2025, 5, 6, 10, 0, 0), LocalOf(ResponseClock.Deadline(Local(2025, 5, 2, 10), WorkingDays(1))));
        Assert.Equal(new DateTime(2026, 5, 5, 10, 0, 0), LocalOf(ResponseClock.Deadline(Local(2026, 5, 4, 10), WorkingDays(1))));
    }

    [Fact]
    public void Five_working_days_over_ascension_day()
    {
        // Monday 11 May 2026 + 5: Tue 12, Wed 13, (Thu 14 Hemelvaart), Fri 15, Mon 18, Tue 19.
        Assert.Equal(new DateTime(2026, 5, 19, 8, 30, 0), LocalOf(ResponseClock.Deadline(Local(2026, 5, 11, 8, 30), WorkingDays(5))));
    }

    [Fact]
    public void The_state_tells_the_time_left_or_how_late()
    {
        var deadline = Local(2026, 11, 30, 14);
        var before = ResponseClock.State(deadline, deadline.AddHours(-3).AddMinutes(-20), stoppedAt: null);
        Assert.False(before.Overdue);
        Assert.Equal("nog 3 uur en 20 minuten", before.Text);

        var late = ResponseClock.State(deadline, deadline.AddDays(2).AddHours(4), stoppedAt: null);
        Assert.True(late.Overdue);
        Assert.Equal("2 dagen en 4 uur te laat", late.Text);

        var solvedInTime = ResponseClock.State(deadline, deadline.AddDays(10), stoppedAt: deadline.AddMinutes(-1));
        Assert.True(solvedInTime.Stopped);
        Assert.False(solvedInTime.Overdue);
        Assert.Equal("binnen de streeftijd afgehandeld", solvedInTime.Text);

        Assert.Equal("maandag 30 november 2026 om 14:00", before.DeadlineText);
    }

    [Fact]
    public void Missing_targets_get_the_standard_value()
    {
        var all = ResponseTargets.Complete([new ResponseTarget("laag", 30, ResponseTarget.WorkingDays)]);
        Assert.Equal(["spoed", "hoog", "normaal", "laag"], all.Select(t => t.Urgency));
        Assert.Equal(30, all[3].Amount);
        Assert.Equal(4, all[0].Amount);
    }
}

public sealed class StatusMachineTests
{
    private const MeldingActor R = MeldingActor.Reporter, B = MeldingActor.Beheerder, S = MeldingActor.Stadsbedrijven;

    /// <summary>Every legal move, written out by hand from the issue; everything else must be refused.</summary>
    private static readonly HashSet<(string From, string To, MeldingActor Actor)> Legal = BuildLegal();

    private static HashSet<(string, string, MeldingActor)> BuildLegal()
    {
        var set = new HashSet<(string, string, MeldingActor)>();
        foreach (var from in new[] { "nieuw", "heropend", "in_behandeling", "wacht_op_derden" })
        foreach (var to in new[] { "in_behandeling", "wacht_op_derden", "opgelost", "afgewezen" })
        foreach (var actor in new[] { B, S })
        {
            if (from == "wacht_op_derden" && to == "wacht_op_derden") continue;
            set.Add((from, to, actor));
        }
        set.Add(("opgelost", "gesloten", R));
        set.Add(("opgelost", "gesloten", B));
        set.Add(("opgelost", "heropend", R));
        set.Add(("opgelost", "heropend", B));
        set.Add(("opgelost", "heropend", S));
        set.Add(("afgewezen", "heropend", B));
        set.Add(("afgewezen", "heropend", S));
        return set;
    }

    [Fact]
    public void Exactly_the_legal_transitions_are_allowed()
    {
        var checkedCount = 0;
        foreach (var from in MeldingStatus.All)
        foreach (var to in MeldingStatus.All)
        foreach (var actor in Enum.GetValues<MeldingActor>())
        {
            Assert.True(Legal.Contains((from, to, actor)) == StatusMachine.IsAllowed(from, to, actor), $"{from} -> {to} by {actor}");
            checkedCount++;
        }
        Assert.Equal(7 * 7 * 3, checkedCount);
    }

    [Fact]
    public void A_closed_melding_is_final_and_nothing_goes_back_to_new()
    {
        foreach (var actor in Enum.GetValues<MeldingActor>())
        {
            Assert.Empty(StatusMachine.Next("gesloten", actor));
            Assert.All(MeldingStatus.All, from => Assert.False(StatusMachine.IsAllowed(from, "nieuw", actor)));
        }
    }

    [Fact]
    public void The_reporter_can_only_close_or_reopen_a_solved_melding()
    {
        Assert.Equal(["gesloten", "heropend"], StatusMachine.Next("opgelost", R));
        Assert.Empty(StatusMachine.Next("nieuw", R));
        Assert.Empty(StatusMachine.Next("afgewezen", R));
    }

    [Fact]
    public void Stadsbedrijven_cannot_close_for_the_reporter()
    {
        Assert.Equal(["heropend"], StatusMachine.Next("opgelost", S));
        Assert.NotNull(StatusMachine.Check("opgelost", new StatusChange("gesloten"), S));
    }

    [Fact]
    public void In_progress_needs_a_date_and_a_person_rejected_and_reopened_a_reason()
    {
        Assert.Equal("PlannedOn", StatusMachine.Check("nieuw", new StatusChange("in_behandeling", Assignee: "Jan"), S)!.Value.Field);
        Assert.Equal("Assignee", StatusMachine.Check("nieuw", new StatusChange("in_behandeling", new DateOnly(2026, 12, 1), " "), S)!.Value.Field);
        Assert.Null(StatusMachine.Check("nieuw", new StatusChange("in_behandeling", new DateOnly(2026, 12, 1), "Jan"), S));
        Assert.Equal("Reason", StatusMachine.Check("nieuw", new StatusChange("afgewezen"), S)!.Value.Field);
        Assert.Equal("Reason", StatusMachine.Check("opgelost", new StatusChange("heropend", Reason: ""), R)!.Value.Field);
        Assert.Null(StatusMachine.Check("opgelost", new StatusChange("heropend", Reason: "Lekt nog steeds"), R));
        Assert.Equal("To", StatusMachine.Check("nieuw", new StatusChange("onzin"), S)!.Value.Field);
        Assert.Equal("To", StatusMachine.Check("nieuw", new StatusChange("gesloten"), B)!.Value.Field);
    }
}
