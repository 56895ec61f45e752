namespace Buurtcentra.Web.Infrastructure.Calendar;

/// <summary>
/// One calendar event or series as the invitation (iTIP REQUEST/CANCEL) and later the feeds describe it.
/// Times are Europe/Amsterdam wall-clock; the builder writes them with TZID and a VTIMEZONE.
/// </summary>
/// <param name="Uid">Stable across every change of the reservation.</param>
/// <param name="Sequence">Increases with every change the attendee must see.</param>
/// <param name="FirstStart">Local start of the first occurrence of the series (DTSTART).</param>
/// <param name="RRule">RFC 5545 RRULE value without "RRULE:", e.g. "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630T215959Z"; null for one date or a date list.</param>
/// <param name="RDates">Extra local start times (a series given as a list of dates).</param>
/// <param name="ExDates">Local start times of dates the rule produces that do not take place (skipped or cancelled).</param>
/// <param name="Overrides">Occurrences moved away from the rule (RECURRENCE-ID = their original local start).</param>
public sealed record CalendarSeries(
    string Uid,
    int Sequence,
    string Summary,
    string? Description,
    string Location,
    string OrganizerName,
    string OrganizerEmail,
    string AttendeeName,
    string AttendeeEmail,
    DateTime FirstStart,
    TimeSpan Duration,
    string? RRule,
    IReadOnlyList<DateTime> RDates,
    IReadOnlyList<DateTime> ExDates,
    IReadOnlyList<CalendarOverride> Overrides);

/// <param name="OriginalStart">Local start the rule gave this occurrence (RECURRENCE-ID).</param>
/// <param name="Start">New local start.</param>
/// <param name="End">New local end.</param>
public sealed record CalendarOverride(DateTime OriginalStart, DateTime Start, DateTime End, int Sequence, bool Cancelled, string? Location);
