using Buurtcentra.Web.Infrastructure.Calendar;
using Buurtcentra.Web.Infrastructure.Mail;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// Turns a reservation into an iCalendar invitation: one UID for the whole series. The invitation is derived from the
/// stored occurrences, not from the rule as asked, so every client shows exactly the booked dates and instants:
/// <list type="bullet">
/// <item>DTSTART is the first stored date at the series' time; the rule is an RRULE ending with UNTIL on the last
/// stored date (never a COUNT, which would count again from DTSTART), or for a date list the dates as RDATEs with
/// DTSTART among them (ical.js and others read RDATE-only series without the DTSTART instance).</item>
/// <item>Every date the rule gives that does not take place (closure days, other skipped dates, cancelled dates) is
/// an EXDATE.</item>
/// <item>Every date that does not start and end exactly where the rule puts it is an override with RECURRENCE-ID:
/// moved dates, and dates on a night the clocks change whose wall-clock time is ambiguous or whose length differs.
/// Its DTSTART/DTEND are written in UTC when the local time is ambiguous, so no client has to guess which one.</item>
/// </list>
/// </summary>
public static class ReservationInvitation
{
    public const string OrganizerEmail = "noreply@buurtcentra.utrecht.example";

    public static CalendarAttachment Request(ReservationDetails r, DateTimeOffset stamp) => CalendarInvitation.Attachment(Series(r), "REQUEST", stamp);

    public static CalendarAttachment Cancel(ReservationDetails r, DateTimeOffset stamp) => CalendarInvitation.Attachment(Series(r), "CANCEL", stamp);

    public static CalendarSeries Series(ReservationDetails r)
    {
        var all = r.Occurrences;
        var location = $"{r.RoomName}, {r.CentreName}, {r.CentreAddress}";
        CalendarSeries Make(DateTime firstStart, TimeSpan duration, string? rrule, IReadOnlyList<DateTime> rdates, IReadOnlyList<DateTime> exdates,
            IReadOnlyList<CalendarOverride> overrides) => new(
            Uid: $"{r.Uid}@buurtcentra.utrecht.example",
            Sequence: r.Sequence,
            Summary: r.Activity,
            Description: $"{r.Activity} in {r.RoomName}, {r.CentreName}. Reservering {r.Id}.",
            Location: location,
            OrganizerName: r.CentreName,
            OrganizerEmail: OrganizerEmail,
            AttendeeName: r.ContactName,
            AttendeeEmail: r.ContactEmail ?? "",
            FirstStart: firstStart,
            Duration: duration,
            RRule: rrule,
            RDates: rdates,
            ExDates: exdates,
            Overrides: overrides);

        if (all.Count == 1)
        {
            // One date: a plain event at its exact instants (UTC values; the builder writes them with TZID or in UTC).
            var only = all[0];
            var single = Make(Utc(only.StartsAt), only.EndsAt - only.StartsAt, null, [], [], []);
            return only.RoomId == r.RoomId ? single : single with { Location = $"{only.RoomName}, {r.CentreName}, {r.CentreAddress}" };
        }

        var ruleTime = TimeOnly.FromDateTime(RuleOccurrence(r).LocalStart);
        var duration = RuleDuration(r);
        DateTime Key(DateOnly date) => date.ToDateTime(ruleTime);

        var first = all[0].SeriesDate;
        var last = all[^1].SeriesDate;
        var stored = all.Select(o => o.SeriesDate).ToHashSet();
        var active = all.Where(IsActive).Select(o => o.SeriesDate).ToHashSet();

        // The rule from the first stored date to the last; it is a date of the rule, so the dates from it are the same.
        string? rrule = null;
        IReadOnlyList<DateOnly> produced = [first];
        if (r.Recurrence is { IsDateList: false } rule)
        {
            var fromFirst = (rule with { Count = null, Until = last, FirstDate = first }).Expand(first);
            if (fromFirst.Count > 0 && fromFirst[0] == first)
            {
                rrule = rule.ToRRule(first, last);
                produced = fromFirst;
            }
        }
        var producedSet = produced.ToHashSet();
        // A date list repeats DTSTART in its RDATEs; a rule gets an RDATE only for a stored date it does not give.
        var rdates = rrule is null ? all.Select(o => o.SeriesDate).ToList() : stored.Where(d => !producedSet.Contains(d)).Order().ToList();
        var exdates = produced.Concat(rdates).Distinct().Where(d => !active.Contains(d)).Order().ToList();

        var overrides = new List<CalendarOverride>();
        foreach (var o in all.Where(IsActive))
        {
            if (!o.IsException && o.RoomId == r.RoomId && Regular(o, Key(o.SeriesDate), duration)) continue;
            overrides.Add(new CalendarOverride(Key(o.SeriesDate), Utc(o.StartsAt), Utc(o.EndsAt), Math.Max(o.Sequence, r.Sequence), false,
                o.RoomId == r.RoomId ? null : $"{o.RoomName}, {r.CentreName}, {r.CentreAddress}"));
        }

        return Make(Key(first), duration, rrule, rdates.Select(Key).ToList(), exdates.Select(Key).ToList(), overrides);
    }

    private static bool IsActive(OccurrenceRow o) => o.Status is not ("geannuleerd" or "afgewezen");

    /// <summary>
    /// True when every client computes this occurrence itself from the series: it starts at the series' local time,
    /// that time is not ambiguous, and it lasts exactly the series' length (no clock change in between).
    /// </summary>
    private static bool Regular(OccurrenceRow o, DateTime key, TimeSpan duration)
    {
        var expected = AmsterdamTime.ToUtc(DateOnly.FromDateTime(key), TimeOnly.FromDateTime(key));
        if (expected is null || expected.Value.UtcDateTime != Utc(o.StartsAt)) return false;
        if (Utc(o.EndsAt) - Utc(o.StartsAt) != duration) return false;
        return !AmsterdamTime.IsAmbiguous(o.StartsAt) && !AmsterdamTime.IsAmbiguous(o.EndsAt)
            && AmsterdamTime.ToLocal(new DateTimeOffset(Utc(o.EndsAt))) == key + duration;
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>
    /// The occurrence that shows the series' own time: one not moved on its own, preferably still active (after a
    /// change of the whole series, cancelled dates keep their old time but follow the rule in the calendar).
    /// </summary>
    private static OccurrenceRow RuleOccurrence(ReservationDetails r) =>
        r.Active.FirstOrDefault(o => !o.IsException) ?? r.Occurrences.FirstOrDefault(o => !o.IsException) ?? r.Occurrences[0];

    /// <summary>The series' length on the wall clock (19:00–21:00 is two hours, also on a night the clocks change).</summary>
    private static TimeSpan RuleDuration(ReservationDetails r)
    {
        var o = RuleOccurrence(r);
        return o.LocalEnd - o.LocalStart;
    }
}
