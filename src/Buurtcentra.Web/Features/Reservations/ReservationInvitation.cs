using Buurtcentra.Web.Infrastructure.Calendar;
using Buurtcentra.Web.Infrastructure.Mail;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// Turns a reservation into an iCalendar invitation: one UID for the whole series, the rule as RRULE (or the dates as
/// RDATE), skipped and cancelled dates as EXDATE, moved dates as overrides with RECURRENCE-ID.
/// </summary>
public static class ReservationInvitation
{
    public const string OrganizerEmail = "noreply@buurtcentra.utrecht.example";

    public static CalendarAttachment Request(ReservationDetails r, DateTimeOffset stamp) => CalendarInvitation.Attachment(Series(r), "REQUEST", stamp);

    public static CalendarAttachment Cancel(ReservationDetails r, DateTimeOffset stamp) => CalendarInvitation.Attachment(Series(r), "CANCEL", stamp);

    public static CalendarSeries Series(ReservationDetails r)
    {
        var all = r.Occurrences;
        var first = all[0];
        var ruleStartTime = TimeOnly.FromDateTime(FirstRuleStart(r));
        var duration = RuleDuration(r);
        DateTime RuleStart(DateOnly date) => date.ToDateTime(ruleStartTime);

        var rule = r.Recurrence;
        var rrule = rule?.ToRRule(first.SeriesDate);
        var rdates = rule is { IsDateList: true } ? all.Skip(1).Select(o => RuleStart(o.SeriesDate)).ToList() : [];
        var exdates = new List<DateTime>();
        exdates.AddRange(r.Skipped.Select(s => RuleStart(s.Date)));
        var overrides = new List<CalendarOverride>();
        foreach (var o in all)
        {
            var gone = o.Status is "geannuleerd" or "afgewezen";
            if (gone) exdates.Add(RuleStart(o.SeriesDate));
            else if (o.IsException || o.RoomId != r.RoomId)
            {
                overrides.Add(new CalendarOverride(RuleStart(o.SeriesDate), o.LocalStart, o.LocalEnd, Math.Max(o.Sequence, r.Sequence), false,
                    o.RoomId == r.RoomId ? null : $"{o.RoomName}, {r.CentreName}, {r.CentreAddress}"));
            }
        }

        return new CalendarSeries(
            Uid: $"{r.Uid}@buurtcentra.utrecht.example",
            Sequence: r.Sequence,
            Summary: r.Activity,
            Description: $"{r.Activity} in {r.RoomName}, {r.CentreName}. Reservering {r.Id}.",
            Location: $"{r.RoomName}, {r.CentreName}, {r.CentreAddress}",
            OrganizerName: r.CentreName,
            OrganizerEmail: OrganizerEmail,
            AttendeeName: r.ContactName,
            AttendeeEmail: r.ContactEmail ?? "",
            FirstStart: RuleStart(first.SeriesDate),
            Duration: duration,
            RRule: rrule,
            RDates: rdates,
            ExDates: exdates.Distinct().Order().ToList(),
            Overrides: overrides);
    }

    /// <summary>
    /// The occurrence that shows the series' own time: one not moved on its own, preferably still active (after a
    /// change of the whole series, cancelled dates keep their old time but follow the rule in the calendar).
    /// </summary>
    private static OccurrenceRow RuleOccurrence(ReservationDetails r) =>
        r.Active.FirstOrDefault(o => !o.IsException) ?? r.Occurrences.FirstOrDefault(o => !o.IsException) ?? r.Occurrences[0];

    private static DateTime FirstRuleStart(ReservationDetails r) => RuleOccurrence(r).LocalStart;

    private static TimeSpan RuleDuration(ReservationDetails r)
    {
        var o = RuleOccurrence(r);
        return o.LocalEnd - o.LocalStart;
    }
}
