using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Buurtcentra.Web.Infrastructure.Time;
using Ical.Net.CalendarComponents;
using Ical.Net.Serialization;
using IcalCalendar = Ical.Net.Calendar;

namespace Buurtcentra.Web.Infrastructure.Calendar;

/// <summary>One expanded occurrence in a published calendar (METHOD:PUBLISH). Instants are UTC.</summary>
/// <param name="Uid">Stable for the life of the occurrence: moves, series changes and splits keep it.</param>
/// <param name="Sequence">Never decreases for a UID; rises with every change of the event.</param>
/// <param name="LastModifiedUtc">Last change of anything the event shows; also written as DTSTAMP, so the text is the same for the same data.</param>
/// <param name="Status">CONFIRMED, TENTATIVE or CANCELLED.</param>
/// <param name="Classification">PUBLIC or PRIVATE.</param>
public sealed record FeedEvent(
    string Uid,
    long Sequence,
    DateTime StartUtc,
    DateTime EndUtc,
    DateTime LastModifiedUtc,
    string Summary,
    string? Description,
    string Location,
    string Status,
    string Classification,
    string? Url = null);

/// <summary>
/// Writes published calendars (subscription feeds and single "Zet in mijn agenda" files) straight into a
/// StringBuilder: a feed of a busy centre holds thousands of events, and the object model of Ical.Net is far too slow
/// for that. Ical.Net is only used, once per year and cached, for the VTIMEZONE of Europe/Amsterdam generated from
/// the tz database, the same way <see cref="CalendarInvitation"/> does it. Times are written with
/// TZID=Europe/Amsterdam; a time in the repeated autumn hour (either of the two) is written in UTC: RFC 5545 reads an
/// ambiguous local time as the first, but readers differ (ical.js reads the second). Text is escaped (RFC 5545 3.3.11), lines end in CRLF
/// and are folded at 75 octets without splitting a UTF-8 character. The output depends only on the arguments.
/// </summary>
public sealed class CalendarFeedWriter
{
    public const string ContentType = "text/calendar; charset=utf-8";

    private static readonly ConcurrentDictionary<int, string> TimeZones = new();
    private readonly StringBuilder output;

    /// <param name="calendarName">X-WR-CALNAME and NAME: how the calendar app titles the subscription.</param>
    /// <param name="refreshInterval">REFRESH-INTERVAL and X-PUBLISHED-TTL: how often apps should fetch again.</param>
    /// <param name="earliestUtc">The earliest instant in the calendar; the VTIMEZONE covers from a year before it.</param>
    public CalendarFeedWriter(string calendarName, string? calendarDescription, TimeSpan refreshInterval, DateTime earliestUtc, int capacityHint = 4096)
    {
        output = new StringBuilder(capacityHint);
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:" + CalendarInvitation.ProductId);
        Line("CALSCALE:GREGORIAN");
        Line("METHOD:PUBLISH");
        Property("X-WR-CALNAME", calendarName);
        Property("NAME", calendarName);
        if (!string.IsNullOrWhiteSpace(calendarDescription))
        {
            Property("X-WR-CALDESC", calendarDescription);
            Property("DESCRIPTION", calendarDescription);
        }
        Line("X-WR-TIMEZONE:" + CalendarInvitation.TimeZoneId);
        var ttl = Duration(refreshInterval);
        Line("REFRESH-INTERVAL;VALUE=DURATION:" + ttl);
        Line("X-PUBLISHED-TTL:" + ttl);
        output.Append(TimeZoneBlock(AmsterdamTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(earliestUtc, DateTimeKind.Utc))).Year - 1));
    }

    public void Add(FeedEvent e)
    {
        Line("BEGIN:VEVENT");
        Start("UID:"); Text(e.Uid); End();
        Start("DTSTAMP:"); Utc(e.LastModifiedUtc); End();
        Start("LAST-MODIFIED:"); Utc(e.LastModifiedUtc); End();
        Start("SEQUENCE:"); output.Append(e.Sequence); End();
        Start("DTSTART"); Time(e.StartUtc); End();
        Start("DTEND"); Time(e.EndUtc); End();
        Start("SUMMARY:"); Text(e.Summary); End();
        Start("LOCATION:"); Text(e.Location); End();
        if (!string.IsNullOrWhiteSpace(e.Description)) { Start("DESCRIPTION:"); Text(e.Description); End(); }
        if (!string.IsNullOrWhiteSpace(e.Url)) { Start("URL:"); Text(e.Url, escape: false); End(); }
        Line(e.Status switch
        {
            "CANCELLED" => "STATUS:CANCELLED",
            "TENTATIVE" => "STATUS:TENTATIVE",
            _ => "STATUS:CONFIRMED",
        });
        Line(e.Classification == "PUBLIC" ? "CLASS:PUBLIC" : "CLASS:PRIVATE");
        Line(e.Status == "CANCELLED" ? "TRANSP:TRANSPARENT" : "TRANSP:OPAQUE");
        Line("END:VEVENT");
    }

    public string Finish()
    {
        Line("END:VCALENDAR");
        return output.ToString();
    }

    /// <summary>The VTIMEZONE of Europe/Amsterdam with rules from the given year on, as folded text with CRLF.</summary>
    internal static string TimeZoneBlock(int fromYear) => TimeZones.GetOrAdd(Math.Min(fromYear, 2020), year =>
    {
        var calendar = new IcalCalendar();
        calendar.AddTimeZone(CalendarInvitation.AmsterdamZone(year));
        var text = CalendarInvitation.Fold(new CalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException("The time zone could not be serialised."));
        var start = text.IndexOf("BEGIN:VTIMEZONE\r\n", StringComparison.Ordinal);
        const string end = "END:VTIMEZONE\r\n";
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        if (start < 0 || stop < start) throw new InvalidOperationException("No VTIMEZONE in the serialised time zone.");
        return text[start..(stop + end.Length)];
    });

    private void Property(string name, string value)
    {
        Start(name);
        output.Append(':');
        lineOctets++;
        Text(value);
        End();
    }

    // Content lines are written straight into the builder: Start, then values, then End. lineOctets counts the
    // octets on the current physical line, to fold at 75 (74 after the leading space of a continuation line).
    private int lineOctets;
    private int lineLimit = 75;

    private void Start(string asciiName)
    {
        output.Append(asciiName);
        lineOctets = asciiName.Length;
        lineLimit = 75;
    }

    private void End() => output.Append("\r\n");

    /// <summary>A whole line that is known to be short ASCII.</summary>
    private void Line(string line)
    {
        if (line.Length > 75) { Start(""); Text(line, escape: false); End(); return; }
        output.Append(line).Append("\r\n");
    }

    /// <summary>Appends text, escaped as RFC 5545 TEXT (or as is, for a URI), folding where needed.</summary>
    private void Text(string value, bool escape = true)
    {
        // Fast path: printable ASCII that fits on the line (UIDs, most titles and locations).
        if (escape && PlainAscii(value) is { } ready && lineOctets + ready.Length <= lineLimit)
        {
            output.Append(ready);
            lineOctets += ready.Length;
            return;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (escape)
            {
                switch (c)
                {
                    case '\\': Pair('\\', '\\'); continue;
                    case ';': Pair('\\', ';'); continue;
                    case ',': Pair('\\', ','); continue;
                    case '\n': Pair('\\', 'n'); continue;
                    case '\r':
                        if (i + 1 < value.Length && value[i + 1] == '\n') i++;
                        Pair('\\', 'n');
                        continue;
                    case '\t': Put(' ', 1); continue;
                }
                if (char.IsControl(c)) continue;
            }
            else if (char.IsControl(c))
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                Fold(4);
                output.Append(c).Append(value[++i]);
                lineOctets += 4;
                continue;
            }
            Put(c, c < 0x80 ? 1 : c < 0x800 ? 2 : 3);
        }
    }

    // Values that repeat in every event (a room's location, "Bezet", an activity) are escaped once per feed.
    private readonly Dictionary<string, string> escaped = new(StringComparer.Ordinal);

    /// <summary>The escaped form of a value that is all printable ASCII; null for anything else (the slow path handles it).</summary>
    private string? PlainAscii(string value)
    {
        var special = false;
        foreach (var c in value)
        {
            if (c is < ' ' or > '~') return null;
            if (c is '\\' or ';' or ',') special = true;
        }
        if (!special) return value;
        if (escaped.TryGetValue(value, out var known)) return known;
        var text = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal);
        if (escaped.Count < 4096) escaped[value] = text;
        return text;
    }

    private void Put(char c, int octets)
    {
        Fold(octets);
        output.Append(c);
        lineOctets += octets;
    }

    /// <summary>An escape sequence stays on one line, so that even a reader that forgets to unfold sees it whole.</summary>
    private void Pair(char first, char second)
    {
        Fold(2);
        output.Append(first).Append(second);
        lineOctets += 2;
    }

    private void Fold(int octets)
    {
        if (lineOctets + octets <= lineLimit) return;
        output.Append("\r\n ");
        lineOctets = 0;
        lineLimit = 74; // the leading space counts
    }

    /// <summary>
    /// ";TZID=Europe/Amsterdam:20270302T190000", or ":20271031T003000Z" for a time in the repeated autumn hour: only
    /// UTC says which of the two is meant to every reader.
    /// </summary>
    private void Time(DateTime utc)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        var offset = OffsetAt(utc);
        var local = DateTime.SpecifyKind(utc + offset, DateTimeKind.Unspecified);
        if (TransitionDay(utc) && AmsterdamTime.Zone.IsAmbiguousTime(local))
        {
            output.Append(':');
            Utc(utc);
            lineOctets += 1;
            return;
        }
        output.Append(";TZID=").Append(CalendarInvitation.TimeZoneId).Append(':');
        Digits(local);
        lineOctets += 7 + CalendarInvitation.TimeZoneId.Length + 15;
    }

    private void Utc(DateTime utc)
    {
        Digits(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        output.Append('Z');
        lineOctets += 16;
    }

    /// <summary>yyyyMMddTHHmmss without a format string: feeds write two of these per event.</summary>
    private void Digits(DateTime t)
    {
        Span<char> text = stackalloc char[15];
        Two(text, 0, t.Year / 100); Two(text, 2, t.Year % 100); Two(text, 4, t.Month); Two(text, 6, t.Day);
        text[8] = 'T';
        Two(text, 9, t.Hour); Two(text, 11, t.Minute); Two(text, 13, t.Second);
        output.Append(text);

        static void Two(Span<char> into, int at, int value)
        {
            into[at] = (char)('0' + value / 10);
            into[at + 1] = (char)('0' + value % 10);
        }
    }

    // Offsets per UTC day, start and end: on all but two days a year they are equal and hold for the whole day.
    private static readonly ConcurrentDictionary<int, (TimeSpan Start, TimeSpan End)> DayOffsets = new();

    private static (TimeSpan Start, TimeSpan End) Offsets(DateTime utc) => DayOffsets.GetOrAdd(DateOnly.FromDateTime(utc).DayNumber, _ =>
    {
        var day = DateTime.SpecifyKind(utc.Date, DateTimeKind.Utc);
        return (AmsterdamTime.Zone.GetUtcOffset(day), AmsterdamTime.Zone.GetUtcOffset(day.AddDays(1).AddTicks(-1)));
    });

    private static bool TransitionDay(DateTime utc)
    {
        var (start, end) = Offsets(utc);
        return start != end;
    }

    private static TimeSpan OffsetAt(DateTime utc)
    {
        var (start, end) = Offsets(utc);
        return start == end ? start : AmsterdamTime.Zone.GetUtcOffset(utc);
    }

    private static string Duration(TimeSpan span) => span.TotalHours >= 1 && span.Minutes == 0
        ? $"PT{(int)span.TotalHours}H"
        : $"PT{Math.Max(1, (int)span.TotalMinutes)}M";
}
