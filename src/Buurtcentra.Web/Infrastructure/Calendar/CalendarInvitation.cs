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
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(TimeZoneId, Local(series.FirstStart).AddYears(-1), includeHistoricalData: false));

        var start = Local(series.FirstStart);
        var master = NewEvent(series, method, dtStamp, series.Sequence, series.Location);
        master.DtStart = At(start);
        master.DtEnd = At(start + series.Duration);
        master.Status = method == Cancel ? "CANCELLED" : "CONFIRMED";
        if (!string.IsNullOrWhiteSpace(series.RRule))
        {
            master.RecurrenceRule = new RecurrenceRule(series.RRule.Trim());
        }
        foreach (var date in series.RDates.Select(Local).Where(d => d != start).Distinct().Order())
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
                if (Local(change.End) <= Local(change.Start)) throw new ArgumentException("An override must end after it starts.", nameof(series));
                var instance = NewEvent(series, method, dtStamp, Math.Max(series.Sequence, change.Sequence), change.Location ?? series.Location);
                instance.RecurrenceIdentifier = new RecurrenceIdentifier(At(Local(change.OriginalStart)), null);
                instance.DtStart = At(Local(change.Start));
                instance.DtEnd = At(Local(change.End));
                instance.Status = change.Cancelled ? "CANCELLED" : "CONFIRMED";
                calendar.Events.Add(instance);
            }
        }

        var text = new CalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException("The calendar could not be serialised.");
        return Fold(text);
    }

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
