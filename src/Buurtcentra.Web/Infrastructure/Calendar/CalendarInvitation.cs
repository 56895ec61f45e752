namespace Buurtcentra.Web.Infrastructure.Calendar;

// Placeholder until the invitation builder lands from feat/mail (replaced on merge).
public static class CalendarInvitation
{
    public static string Build(CalendarSeries series, string method) =>
        $"BEGIN:VCALENDAR\r\nMETHOD:{method}\r\nBEGIN:VEVENT\r\nUID:{series.Uid}\r\nSEQUENCE:{series.Sequence}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}
