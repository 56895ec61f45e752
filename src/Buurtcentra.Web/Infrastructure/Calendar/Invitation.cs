namespace Buurtcentra.Web.Infrastructure.Calendar;

/// <summary>
/// One calendar event or series as the invitation (iTIP REQUEST/CANCEL) and later the feeds describe it.
/// A DateTime of kind Utc is an instant; any other kind is Europe/Amsterdam wall-clock time. The builder writes times
/// with TZID and a VTIMEZONE, and instants whose local time is ambiguous (the night the clocks go back) in UTC.
/// </summary>
/// <param name="Uid">Stable across every change of the reservation.</param>
/// <param name="Sequence">Increases with every change the attendee must see.</param>
/// <param name="FirstStart">
/// DTSTART: for a series the local start of its first date as the rule gives it; for a single event (no rule, no
/// RDATEs) its start, best as a UTC instant.
/// </param>
/// <param name="Duration">For a series its wall-clock length; for a single event its exact length.</param>
/// <param name="RRule">RFC 5545 RRULE value without "RRULE:", e.g. "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630T215959Z"; null for one date or a date list.</param>
/// <param name="RDates">Local start times of a series given as a list of dates, the first (DTSTART) included.</param>
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
/// <param name="Start">New start: a UTC instant, or local time.</param>
/// <param name="End">New end: a UTC instant, or local time.</param>
public sealed record CalendarOverride(DateTime OriginalStart, DateTime Start, DateTime End, int Sequence, bool Cancelled, string? Location);
