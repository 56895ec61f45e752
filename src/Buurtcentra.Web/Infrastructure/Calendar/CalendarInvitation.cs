using Buurtcentra.Web.Infrastructure.Mail;
using Buurtcentra.Web.Infrastructure.Time;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using IcalCalendar = Ical.Net.Calendar;

namespace Buurtcentra.Web.Infrastructure.Calendar;

/// <summary>
/// Builds the iTIP invitation (RFC 5545/5546) that goes with an approved, changed or cancelled reservation.
/// Outlook, Google and Apple calendars accept it: METHOD, a VTIMEZONE for Europe/Amsterdam generated from the
/// tz database (so DST is right), DTSTART/DTEND with TZID, a stable UID and a SEQUENCE that the caller raises with
/// every change. Moved or cancelled single dates are extra VEVENTs with the same UID and a RECURRENCE-ID.
/// A CANCEL cancels the whole series (STATUS:CANCELLED on the master; moved dates need no separate component).
/// Output: CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character.
/// </summary>
public static class CalendarInvitation
{
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";
    public const string ProductId = "-//Gemeente Utrecht//Buurtcentra//NL";
    public const string TimeZoneId = "Europe/Amsterdam";

    /// <param name="method">"REQUEST" (new or changed) or "CANCEL" (the whole series is off).</param>
    /// <param name="stamp">DTSTAMP: when the invitation was written (pass the handler's TimeProvider now); default: the system clock.</param>
    public static string Build(CalendarSeries series, string method, DateTimeOffset? stamp = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (method is not (Request or Cancel)) throw new ArgumentException("Method must be REQUEST or CANCEL.", nameof(method));
        if (series.Duration <= TimeSpan.Zero) throw new ArgumentException("Duration must be positive.", nameof(series));
        if (string.IsNullOrWhiteSpace(series.Uid)) throw new ArgumentException("A UID is required.", nameof(series));

        var dtStamp = new CalDateTime((stamp ?? DateTimeOffset.UtcNow).UtcDateTime, true);
        var calendar = new IcalCalendar { Method = method, ProductId = ProductId };
        // From a year before the first date, so every date in the invitation falls under a rule of the VTIMEZONE.
        calendar.AddTimeZone(AmsterdamZone(Local(series.FirstStart).Year - 1));

        var start = Local(series.FirstStart);
        var master = NewEvent(series, method, dtStamp, series.Sequence, series.Location);
        master.Status = method == Cancel ? "CANCELLED" : "CONFIRMED";
        var recurring = !string.IsNullOrWhiteSpace(series.RRule) || series.RDates.Count > 0;
        if (!recurring)
        {
            // A single event: its own instants, in UTC where the local time is ambiguous.
            master.DtStart = Instant(series.FirstStart);
            master.DtEnd = Instant(series.FirstStart + series.Duration);
        }
        else
        {
            // The rule is expanded in local time from DTSTART. Clients take the length of every date from the first
            // (RFC 5545: DTEND gives an exact length); when that first date spans a clock change or is ambiguous, the
            // length is written as DURATION instead, and the first date itself comes as an override.
            master.DtStart = At(start);
            if (ExactLength(start, series.Duration) == series.Duration) master.DtEnd = At(start + series.Duration);
            else master.Duration = Ical.Net.DataTypes.Duration.FromTimeSpanExact(series.Duration);
        }
        if (!string.IsNullOrWhiteSpace(series.RRule))
        {
            master.RecurrenceRule = new RecurrenceRule(series.RRule.Trim());
        }
        // DTSTART is repeated in the RDATEs: readers such as ical.js drop the DTSTART instance of an RDATE-only series.
        foreach (var date in series.RDates.Select(Local).Distinct().Order())
        {
            master.RecurrenceDates.Add(At(date));
        }
        foreach (var date in series.ExDates.Select(Local).Distinct().Order())
        {
            master.ExceptionDates.Add(At(date));
        }
        calendar.Events.Add(master);

        if (method == Request)
        {
            foreach (var change in series.Overrides.OrderBy(o => o.OriginalStart))
            {
                if (Utc(change.End) <= Utc(change.Start)) throw new ArgumentException("An override must end after it starts.", nameof(series));
                var instance = NewEvent(series, method, dtStamp, Math.Max(series.Sequence, change.Sequence), change.Location ?? series.Location);
                // The RECURRENCE-ID names the date as the rule gives it (local time, read the same way as the rule);
                // the new start and end are instants.
                instance.RecurrenceIdentifier = new RecurrenceIdentifier(At(Local(change.OriginalStart)), null);
                instance.DtStart = Instant(change.Start);
                instance.DtEnd = Instant(change.End);
                instance.Status = change.Cancelled ? "CANCELLED" : "CONFIRMED";
                calendar.Events.Add(instance);
            }
        }

        var text = new CalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException("The calendar could not be serialised.");
        return Fold(text);
    }

    /// <summary>
    /// The tz database's rules for Europe/Amsterdam as a VTIMEZONE whose yearly RRULEs hold from <paramref name="fromYear"/>
    /// (at the latest from 2020) on. Ical.Net reads the zone's transitions from that year up to the machine's own clock and
    /// fails for a year past it, so a series more than a year ahead would break the invitation; the rules have not
    /// changed since 1996, and a VTIMEZONE that starts earlier covers every later date.
    /// </summary>
    internal static VTimeZone AmsterdamZone(int fromYear) =>
        VTimeZone.FromDateTimeZone(TimeZoneId, new DateTime(Math.Min(fromYear, 2020), 1, 1), includeHistoricalData: false);

    /// <summary>The invitation as the outbox stores it.</summary>
    public static CalendarAttachment Attachment(CalendarSeries series, string method, DateTimeOffset stamp) =>
        new(method, Build(series, method, stamp));

    private static CalendarEvent NewEvent(CalendarSeries series, string method, CalDateTime stamp, int sequence, string location)
    {
        var calendarEvent = new CalendarEvent
        {
            Uid = series.Uid,
            Sequence = sequence,
            DtStamp = stamp,
            Summary = series.Summary,
            Location = location,
            Transparency = "OPAQUE",
            Organizer = new Organizer("mailto:" + series.OrganizerEmail.Trim()) { CommonName = ParameterText(series.OrganizerName) },
        };
        if (!string.IsNullOrWhiteSpace(series.Description)) calendarEvent.Description = series.Description;
        var attendee = new Attendee("mailto:" + series.AttendeeEmail.Trim())
        {
            CommonName = ParameterText(series.AttendeeName),
            Role = "REQ-PARTICIPANT",
            Rsvp = false,
        };
        if (method == Request) attendee.ParticipationStatus = "NEEDS-ACTION";
        calendarEvent.Attendees.Add(attendee);
        return calendarEvent;
    }

    private static CalDateTime At(DateTime local) => new(local, TimeZoneId, true);

    /// <summary>
    /// An instant as DTSTART/DTEND: local time with TZID, or UTC when that local time occurs twice (the night the clocks
    /// go back). RFC 5545 reads an ambiguous local time as the first, but readers differ (ical.js takes the
    /// second), so only UTC says it for all. A value that is not UTC is taken as Utrecht wall-clock time, as it is.
    /// </summary>
    private static CalDateTime Instant(DateTime value)
    {
        if (value.Kind != DateTimeKind.Utc) return At(DateTime.SpecifyKind(value, DateTimeKind.Unspecified));
        return AmsterdamTime.IsAmbiguous(value) ? new CalDateTime(value, CalDateTime.UtcTzId, true) : At(Local(value));
    }

    /// <summary>How long a series' first date really lasts, as a client reads DTSTART and DTEND (ambiguous: the first).</summary>
    private static TimeSpan? ExactLength(DateTime localStart, TimeSpan duration)
    {
        var start = AmsterdamTime.ToUtc(DateOnly.FromDateTime(localStart), TimeOnly.FromDateTime(localStart));
        var endLocal = localStart + duration;
        var end = AmsterdamTime.ToUtc(DateOnly.FromDateTime(endLocal), TimeOnly.FromDateTime(endLocal));
        if (start is null || end is null) return null;
        if (AmsterdamTime.IsAmbiguous(start.Value.UtcDateTime) || AmsterdamTime.IsAmbiguous(end.Value.UtcDateTime)) return null;
        return end - start;
    }

    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc
        ? value
        : AmsterdamTime.ToUtc(DateOnly.FromDateTime(value), TimeOnly.FromDateTime(value))?.UtcDateTime ?? DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>Wall-clock Utrecht time; a UTC value is converted, any other kind is taken as Utrecht wall-clock time.</summary>
    private static DateTime Local(DateTime value) => value.Kind == DateTimeKind.Utc
        ? AmsterdamTime.ToLocal(new DateTimeOffset(value))
        : DateTime.SpecifyKind(value, DateTimeKind.Unspecified);

    /// <summary>Parameter values (CN) cannot hold double quotes or line breaks.</summary>
    private static string ParameterText(string value) =>
        string.Join(' ', value.Replace('"', '\'').Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// Unfolds and folds again at 75 octets (RFC 5545 3.1) on character boundaries, with CRLF line ends:
    /// the same result whatever the serialiser did.
    /// </summary>
    internal static string Fold(string text)
    {
        var unfolded = text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal);
        var output = new System.Text.StringBuilder(unfolded.Length + unfolded.Length / 70 * 3);
        foreach (var line in unfolded.Split("\r\n").Where(l => l.Length > 0))
        {
            var octets = 0;
            var limit = 75;
            for (var i = 0; i < line.Length; i++)
            {
                var width = char.IsHighSurrogate(line[i]) && i + 1 < line.Length
                    ? System.Text.Encoding.UTF8.GetByteCount(line.AsSpan(i, 2))
                    : System.Text.Encoding.UTF8.GetByteCount(line.AsSpan(i, 1));
                if (octets + width > limit)
                {
                    output.Append("\r\n ");
                    octets = 0;
                    limit = 74; // the leading space counts
                }
                output.Append(line[i]);
                if (width == 4) output.Append(line[++i]);
                octets += width;
            }
            output.Append("\r\n");
        }
        return output.ToString();
    }
}
