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
/// TZID=Europe/Amsterdam; a time in the repeated autumn hour that is the second (winter-time) one is written in UTC,
/// because RFC 5545 reads an ambiguous local time as the first. Text is escaped (RFC 5545 3.3.11), lines end in CRLF
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
        output.Append(TimeZoneBlock(AmsterdamTime.ToLocal(Utc(earliestUtc)).Year - 1));
    }

    public void Add(FeedEvent e)
    {
        Line("BEGIN:VEVENT");
        Line("UID:" + Escape(e.Uid));
        Line("DTSTAMP:" + UtcText(e.LastModifiedUtc));
        Line("LAST-MODIFIED:" + UtcText(e.LastModifiedUtc));
        Line("SEQUENCE:" + e.Sequence.ToString(CultureInfo.InvariantCulture));
        Line("DTSTART" + TimeText(e.StartUtc));
        Line("DTEND" + TimeText(e.EndUtc));
        Property("SUMMARY", e.Summary);
        Property("LOCATION", e.Location);
        if (!string.IsNullOrWhiteSpace(e.Description)) Property("DESCRIPTION", e.Description);
        if (!string.IsNullOrWhiteSpace(e.Url)) Line("URL:" + e.Url);
        Line("STATUS:" + e.Status);
        Line("CLASS:" + e.Classification);
        Line(e.Status == "CANCELLED" ? "TRANSP:TRANSPARENT" : "TRANSP:OPAQUE");
        Line("END:VEVENT");
    }

    public string Finish()
    {
        Line("END:VCALENDAR");
        return output.ToString();
    }

    /// <summary>The VTIMEZONE of Europe/Amsterdam with rules from the given year on, as folded text with CRLF.</summary>
    internal static string TimeZoneBlock(int fromYear) => TimeZones.GetOrAdd(fromYear, year =>
    {
        var calendar = new IcalCalendar();
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(CalendarInvitation.TimeZoneId, new DateTime(year, 1, 1), includeHistoricalData: false));
        var text = CalendarInvitation.Fold(new CalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException("The time zone could not be serialised."));
        var start = text.IndexOf("BEGIN:VTIMEZONE\r\n", StringComparison.Ordinal);
        const string end = "END:VTIMEZONE\r\n";
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        if (start < 0 || stop < start) throw new InvalidOperationException("No VTIMEZONE in the serialised time zone.");
        return text[start..(stop + end.Length)];
    });

    /// <summary>RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped; other control characters dropped.</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case ';': builder.Append(@"\;"); break;
                case ',': builder.Append(@"\,"); break;
                case '\r':
                    if (i + 1 < value.Length && value[i + 1] == '\n') i++;
                    builder.Append(@"\n");
                    break;
                case '\n': builder.Append(@"\n"); break;
                default:
                    if (!char.IsControl(c)) builder.Append(c);
                    else if (c == '\t') builder.Append(' ');
                    break;
            }
        }
        return builder.ToString();
    }

    private void Property(string name, string value) => Line(name + ":" + Escape(value));

    /// <summary>":20270302T190000Z" style suffix after the property name: with TZID when the local time is unambiguous.</summary>
    private static string TimeText(DateTime utc)
    {
        var instant = Utc(utc);
        var local = AmsterdamTime.ToLocal(instant);
        if (AmsterdamTime.Zone.IsAmbiguousTime(local) && AmsterdamTime.Zone.GetUtcOffset(instant) != AmsterdamTime.Zone.GetAmbiguousTimeOffsets(local).Max())
        {
            return ":" + UtcText(utc);
        }
        return ";TZID=" + CalendarInvitation.TimeZoneId + ":" + local.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
    }

    private static string UtcText(DateTime utc) => Utc(utc).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static string Duration(TimeSpan span) => span.TotalHours >= 1 && span.Minutes == 0
        ? $"PT{(int)span.TotalHours}H"
        : $"PT{Math.Max(1, (int)span.TotalMinutes)}M";

    /// <summary>Appends one content line, folded at 75 octets on character boundaries (RFC 5545 3.1).</summary>
    private void Line(string line)
    {
        if (line.Length <= 75 && Ascii(line))
        {
            output.Append(line).Append("\r\n");
            return;
        }
        var octets = 0;
        var limit = 75;
        for (var i = 0; i < line.Length; i++)
        {
            var pair = char.IsHighSurrogate(line[i]) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]);
            var width = pair ? 4 : line[i] < 0x80 ? 1 : line[i] < 0x800 ? 2 : 3;
            if (octets + width > limit)
            {
                output.Append("\r\n ");
                octets = 0;
                limit = 74; // the leading space counts
            }
            output.Append(line[i]);
            if (pair) output.Append(line[++i]);
            octets += width;
        }
        output.Append("\r\n");
    }

    private static bool Ascii(string line)
    {
        foreach (var c in line)
        {
            if (c >= 0x80) return false;
        }
        return true;
    }
}
