using System.Globalization;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>The rules of one room and its centre that a booking must meet.</summary>
public sealed record RoomRules(
    long RoomId,
    string RoomName,
    long CentreId,
    string CentreName,
    int Capacity,
    int MinMinutes,
    int MaxMinutes,
    int SetupMinutes,
    int CleanupMinutes,
    int LeadTimeDays,
    int HorizonDays,
    bool Active);

public sealed record OpeningPeriod(int Weekday, TimeOnly Opens, TimeOnly Closes);

public sealed record Closure(DateOnly StartsOn, DateOnly EndsOn, string Reason);

/// <summary>One date of a booking, in UTC, with the time the room is held for set-up and clean-up.</summary>
public sealed record PlannedOccurrence(DateOnly SeriesDate, DateTime StartUtc, DateTime EndUtc, DateTime BlockedFromUtc, DateTime BlockedUntilUtc);

public sealed record SkippedDate(DateOnly Date, string Reason)
{
    /// <summary>Left out because the asked time does not exist that night (the clocks go forward), not because of a closure.</summary>
    public bool ClockChange { get; init; }
}

/// <summary>A broken rule: which form field, and a Dutch sentence that says what would fit instead.</summary>
public sealed record RuleViolation(string Field, string Message);

public sealed record BookingPlan(IReadOnlyList<PlannedOccurrence> Occurrences, IReadOnlyList<SkippedDate> Skipped, IReadOnlyList<RuleViolation> Violations)
{
    public bool IsValid => Violations.Count == 0;
}

/// <summary>What is asked: a room, local dates, a local start and end time, a number of people.</summary>
/// <param name="FirstStartOffset">
/// The UTC offset the start on the first date was given with (the API's explicit offset): on the night the clocks go back
/// it says which of the two 02:30s is meant. Null: the first one (summer time).
/// </param>
/// <param name="FirstEndOffset">The same for the end on the first date.</param>
/// <param name="IgnoreHorizon">The voorkeursplanning's season: the centre's horizon does not apply (see <see cref="ReservationForm.IgnoreHorizon"/>).</param>
public sealed record BookingRequest(IReadOnlyList<DateOnly> Dates, TimeOnly Start, TimeOnly End, int Participants, bool IsStaff,
    TimeSpan? FirstStartOffset = null, TimeSpan? FirstEndOffset = null, bool IgnoreHorizon = false);

/// <summary>
/// Checks a booking against the rules of a room and its centre and turns local dates into UTC occurrences.
/// Pure: everything it needs is passed in, so every rule is unit-tested without a database.
/// Closed dates in a series are skipped and listed; for a single date a closure is a refusal.
/// </summary>
public static class BookingRules
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static BookingPlan Plan(RoomRules room, IReadOnlyList<OpeningPeriod> openingHours, IReadOnlyList<Closure> closures,
        BookingRequest request, DateOnly today)
    {
        var violations = new List<RuleViolation>();
        var occurrences = new List<PlannedOccurrence>();
        var skipped = new List<SkippedDate>();

        if (!room.Active)
        {
            violations.Add(new("RoomId", $"{room.RoomName} is op dit moment niet te reserveren. Kies een andere ruimte."));
        }
        if (request.Participants > room.Capacity)
        {
            violations.Add(new("Participants",
                $"In {room.RoomName} passen maximaal {room.Capacity} mensen. Kies een grotere ruimte of verlaag het aantal deelnemers."));
        }

        var minutes = (int)(request.End.ToTimeSpan() - request.Start.ToTimeSpan()).TotalMinutes;
        if (minutes <= 0)
        {
            violations.Add(new("EndTime", "De eindtijd moet na de begintijd liggen."));
            return new BookingPlan(occurrences, skipped, violations);
        }
        if (minutes < room.MinMinutes)
        {
            violations.Add(new("EndTime", $"{room.RoomName} reserveert u voor minstens {Duration(room.MinMinutes)}. U vraagt {Duration(minutes)}."));
        }
        if (minutes > room.MaxMinutes)
        {
            violations.Add(new("EndTime", $"{room.RoomName} reserveert u voor hoogstens {Duration(room.MaxMinutes)} achter elkaar. U vraagt {Duration(minutes)}."));
        }

        if (request.Dates.Count == 0)
        {
            violations.Add(new("Date", "Kies een datum."));
            return new BookingPlan(occurrences, skipped, violations);
        }

        var first = request.Dates[0];
        var last = request.Dates[^1];
        if (first < today)
        {
            violations.Add(new("Date", "Deze datum is al voorbij. Kies een datum vanaf vandaag."));
        }
        else if (!request.IsStaff && first < today.AddDays(room.LeadTimeDays))
        {
            violations.Add(new("Date",
                $"Vraag een ruimte in {room.CentreName} minstens {room.LeadTimeDays} dagen van tevoren aan. De eerste datum die kan is {LongDate(today.AddDays(room.LeadTimeDays))}. Is het dringend? Bel de beheerder."));
        }
        if (!request.IgnoreHorizon && last > today.AddDays(room.HorizonDays))
        {
            violations.Add(new("Date",
                $"U kunt tot {room.HorizonDays} dagen vooruit reserveren, dus tot en met {LongDate(today.AddDays(room.HorizonDays))}. Kies een eerdere einddatum."));
        }

        var isSeries = request.Dates.Count > 1;
        foreach (var date in request.Dates)
        {
            var closure = closures.FirstOrDefault(c => c.StartsOn <= date && date <= c.EndsOn);
            if (closure is not null)
            {
                if (isSeries)
                {
                    skipped.Add(new SkippedDate(date, closure.Reason));
                    continue;
                }
                violations.Add(new("Date", $"Op {LongDate(date)} is {room.CentreName} gesloten ({closure.Reason}). Kies een andere datum."));
                continue;
            }

            var weekday = (int)date.DayOfWeek is 0 ? 7 : (int)date.DayOfWeek;
            var periods = openingHours.Where(p => p.Weekday == weekday).OrderBy(p => p.Opens).ToList();
            if (!periods.Any(p => p.Opens <= request.Start && request.End <= p.Closes))
            {
                violations.Add(new("StartTime", OutsideOpeningHours(room.CentreName, date, periods)));
                break; // the same weekday and times fail on every date of a series: say it once
            }

            var isFirst = date == request.Dates[0];
            var start = AmsterdamTime.ToUtc(date, request.Start, isFirst ? request.FirstStartOffset : null);
            var end = AmsterdamTime.ToUtc(date, request.End, isFirst ? request.FirstEndOffset : null);
            if (start is null || end is null)
            {
                var missing = start is null ? request.Start : request.End;
                var (gapFrom, gapUntil) = AmsterdamTime.Gap(date, missing);
                if (isSeries)
                {
                    // One night a year: book the other dates and say which one is left out and why.
                    skipped.Add(new SkippedDate(date, $"{missing:HH\\:mm} bestaat die nacht niet: de klok gaat om {gapFrom:HH\\:mm} een uur vooruit naar {gapUntil:HH\\:mm}") { ClockChange = true });
                    continue;
                }
                violations.Add(new("StartTime", start is null
                    ? $"Op {LongDate(date)} bestaat {missing:HH\\:mm} niet: de klok gaat die nacht om {gapFrom:HH\\:mm} een uur vooruit naar {gapUntil:HH\\:mm}. Kies een begintijd vóór {gapFrom:HH\\:mm} of vanaf {gapUntil:HH\\:mm}, bijvoorbeeld {gapUntil:HH\\:mm}."
                    : $"Op {LongDate(date)} bestaat {missing:HH\\:mm} niet: de klok gaat die nacht om {gapFrom:HH\\:mm} een uur vooruit naar {gapUntil:HH\\:mm}. Kies een eindtijd tot en met {gapFrom:HH\\:mm} of vanaf {gapUntil:HH\\:mm}, bijvoorbeeld {gapUntil:HH\\:mm}."));
                continue;
            }
            occurrences.Add(new PlannedOccurrence(date, start.Value.UtcDateTime, end.Value.UtcDateTime,
                start.Value.UtcDateTime.AddMinutes(-room.SetupMinutes), end.Value.UtcDateTime.AddMinutes(room.CleanupMinutes)));
        }

        if (isSeries && occurrences.Count == 0 && violations.Count == 0)
        {
            violations.Add(skipped.Any(s => s.ClockChange)
                ? new("Date", $"Op geen van deze data kan het: {string.Join("; ", skipped.Select(s => $"{LongDate(s.Date)} ({s.Reason})"))}. Kies andere data of een andere tijd.")
                : new("Date", $"{room.CentreName} is op al deze data gesloten. Kies andere data."));
        }
        return new BookingPlan(occurrences, skipped, violations);
    }

    private static string OutsideOpeningHours(string centreName, DateOnly date, IReadOnlyList<OpeningPeriod> periods)
    {
        var day = Dutch.DateTimeFormat.GetDayName(date.DayOfWeek);
        if (periods.Count == 0) return $"{centreName} is op {day} gesloten. Kies een andere dag.";
        var open = string.Join(" en ", periods.Select(p => $"{p.Opens:HH\\:mm} tot {p.Closes:HH\\:mm}"));
        return $"{centreName} is op {day} open van {open}. Kies een begin- en eindtijd binnen die tijden.";
    }

    public static string LongDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", Dutch);

    public static string Duration(int minutes) => minutes switch
    {
        < 60 => $"{minutes} minuten",
        _ when minutes % 60 == 0 => minutes == 60 ? "1 uur" : $"{minutes / 60} uur",
        _ => $"{minutes / 60} uur en {minutes % 60} minuten",
    };
}
