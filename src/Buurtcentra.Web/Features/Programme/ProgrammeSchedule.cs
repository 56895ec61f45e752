using System.Globalization;
using Buurtcentra.Web.Features.Agenda;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.Programme;

/// <summary>
/// One public activity on the programme: a confirmed occurrence of a reservation that is on the programme (is_public).
/// Holds only what the public may read: no contact, organisation, e-mail or phone (AVG). Instants are UTC.
/// A class, not a positional record: Dapper reports text[] columns as System.Array and finds no matching constructor.
/// </summary>
public sealed class ProgrammeItem
{
    public long OccurrenceId { get; init; }
    public long CentreId { get; init; }
    public string CentreName { get; init; } = "";
    public string CentreSlug { get; init; } = "";
    public string Activity { get; init; } = "";
    public string RoomName { get; init; } = "";
    public DateTime StartsAt { get; init; }
    public DateTime EndsAt { get; init; }
    public string[] TargetGroups { get; init; } = [];
    /// <summary>The room is out of use then (a melding): the activity cannot take place there as planned.</summary>
    public bool RoomOutOfUse { get; init; }

    public DateTimeOffset Start => new(DateTime.SpecifyKind(StartsAt, DateTimeKind.Utc));
    public DateTimeOffset End => new(DateTime.SpecifyKind(EndsAt, DateTimeKind.Utc));

    /// <summary>The Utrecht date the activity starts on; it is listed on that day.</summary>
    public DateOnly LocalDate => DateOnly.FromDateTime(AmsterdamTime.ToLocal(Start));

    /// <summary>"19:00 tot 21:00 uur", or "22:00 tot dinsdag 02:00 uur" when it ends on a later day (Utrecht time).</summary>
    public string TimeText
    {
        get
        {
            var endDate = DateOnly.FromDateTime(AmsterdamTime.ToLocal(End));
            var until = endDate == LocalDate ? AgendaDates.Local(End) : $"{endDate.ToString("dddd", AgendaDates.Dutch)} {AgendaDates.Local(End)}";
            return $"{AgendaDates.Local(Start)} tot {until} uur";
        }
    }

    /// <summary>Read after the link text "Zet in mijn agenda": "Buurtkoor, dinsdag 1 december 2026 om 19:00 uur".</summary>
    public string CalendarLabel => $"{Activity}, {AgendaDates.Long(LocalDate)} om {AgendaDates.Local(Start)} uur";

    /// <summary>The single-event download (Features/Feeds).</summary>
    public string IcsUrl => $"/programma/activiteiten/{OccurrenceId.ToString(CultureInfo.InvariantCulture)}.ics";
}

public sealed record ProgrammeDay(DateOnly Date, IReadOnlyList<ProgrammeItem> Items);

/// <summary>One maandag-to-zondag week with only the days that have activities.</summary>
public sealed record ProgrammeWeek(AgendaWindow Window, IReadOnlyList<ProgrammeDay> Days)
{
    public int Number => AgendaDates.WeekNumber(Window.FirstDay);
    public string Id => $"week-{AgendaDates.WeekCode(Window.FirstDay).ToLowerInvariant()}";
}

/// <summary>The weeks shown on a programme page and the navigation between them.</summary>
public sealed record ProgrammeSchedule(AgendaWindow Window, DateOnly Today, bool IsDefault, string? WeekError, IReadOnlyList<ProgrammeWeek> Weeks)
{
    /// <summary>Weeks per page: this week and next week.</summary>
    public const int WeekCount = 2;

    public bool IsEmpty => Weeks.All(w => w.Days.Count == 0);

    public DateOnly PreviousMonday => Window.FirstDay.AddDays(-7 * WeekCount);
    public DateOnly NextMonday => Window.FirstDay.AddDays(7 * WeekCount);

    public static string WeekQuery(DateOnly monday) => $"?week={AgendaDates.WeekCode(monday)}";

    /// <summary>"Deze week", "Volgende week", "Vorige week" or "Week 10", for a week heading.</summary>
    public string WeekName(ProgrammeWeek week)
    {
        var thisMonday = AgendaDates.MondayOf(Today);
        var first = week.Window.FirstDay;
        if (first == thisMonday) return "Deze week";
        if (first == thisMonday.AddDays(7)) return "Volgende week";
        if (first == thisMonday.AddDays(-7)) return "Vorige week";
        return $"Week {week.Number}";
    }

    /// <summary>Splits the window into weeks and groups the items by the Utrecht day they start on.</summary>
    public static ProgrammeSchedule Build(WeekPick pick, DateOnly today, IReadOnlyList<ProgrammeItem> items)
    {
        var window = new AgendaWindow(pick.Monday, 7 * WeekCount);
        var byDay = items.ToLookup(i => i.LocalDate);
        var weeks = Enumerable.Range(0, WeekCount)
            .Select(w => AgendaWindow.WeekOf(pick.Monday.AddDays(7 * w)))
            .Select(week => new ProgrammeWeek(week, week.Days
                .Where(d => byDay[d].Any())
                .Select(d => new ProgrammeDay(d, byDay[d].ToList()))
                .ToList()))
            .ToList();
        return new ProgrammeSchedule(window, today, pick.IsDefault, pick.Error, weeks);
    }
}

/// <summary>The first maandag to show: from ?week=2027-W10, or this week. A week we cannot read gives this week and a message.</summary>
public sealed record WeekPick(DateOnly Monday, bool IsDefault, string? Error)
{
    public static WeekPick From(string? week, DateOnly today)
    {
        var thisWeek = AgendaDates.MondayOf(today);
        if (string.IsNullOrWhiteSpace(week)) return new(thisWeek, true, null);
        return AgendaDates.TryParseWeek(week, out var monday)
            ? new(monday, monday == thisWeek, null)
            : new(thisWeek, true, AgendaDates.WeekError);
    }
}
