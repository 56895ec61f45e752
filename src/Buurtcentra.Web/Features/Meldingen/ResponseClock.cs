using System.Globalization;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>How long Stadsbedrijven may take for a melding of one urgency: hours around the clock, or working days.</summary>
public sealed record ResponseTarget(string Urgency, int Amount, string Unit)
{
    public const string Hours = "uren", WorkingDays = "werkdagen";

    public string Text => Unit == Hours
        ? Amount == 1 ? "1 uur" : $"{Amount} uur"
        : Amount == 1 ? "1 werkdag" : $"{Amount} werkdagen";
}

/// <summary>The standard target times, used when Stadsbedrijven has not set one (no row in melding_target_times).</summary>
public static class ResponseTargets
{
    public static readonly IReadOnlyList<ResponseTarget> Standard =
    [
        new("spoed", 4, ResponseTarget.Hours),
        new("hoog", 1, ResponseTarget.WorkingDays),
        new("normaal", 5, ResponseTarget.WorkingDays),
        new("laag", 20, ResponseTarget.WorkingDays),
    ];

    /// <summary>Fills in the standard value for every urgency that has no configured row.</summary>
    public static IReadOnlyList<ResponseTarget> Complete(IEnumerable<ResponseTarget> configured)
    {
        var byUrgency = configured.ToDictionary(t => t.Urgency, StringComparer.Ordinal);
        return Standard.Select(s => byUrgency.TryGetValue(s.Urgency, out var c) ? c : s).ToList();
    }
}

/// <summary>Where a melding's clock stands: before the deadline, past it, or stopped (solved, closed, rejected).</summary>
public sealed record ClockState(DateTimeOffset Deadline, TimeSpan Remaining, bool Stopped)
{
    public bool Overdue => Remaining < TimeSpan.Zero;

    /// <summary>"nog 3 uur en 20 minuten", "2 dagen en 4 uur te laat", "binnen de tijd opgelost".</summary>
    public string Text => Stopped
        ? Overdue ? $"{ResponseClock.Duration(-Remaining)} na de streeftijd afgehandeld" : "binnen de streeftijd afgehandeld"
        : Overdue ? $"{ResponseClock.Duration(-Remaining)} te laat" : $"nog {ResponseClock.Duration(Remaining)}";

    /// <summary>"dinsdag 24 november 2026 om 14:00" (Utrecht time).</summary>
    public string DeadlineText => ResponseClock.LocalText(Deadline);
}

/// <summary>
/// Response-time arithmetic, free of database and HTTP. Instants are UTC; days and clock times are Utrecht's
/// (Europe/Amsterdam). Hours run around the clock (real elapsed time, also across a DST change). Working days run only
/// on Monday to Friday that are not a public holiday (<see cref="DutchHolidays"/>): reported on a working day at 14:00,
/// "1 werkdag" ends at 14:00 on the next working day; reported on a weekend or holiday, the clock starts at 00:00 of the
/// next working day.
/// </summary>
public static class ResponseClock
{
    private static readonly CultureInfo Dutch = new("nl-NL");

    public static DateTimeOffset Deadline(DateTimeOffset start, ResponseTarget target)
    {
        if (target.Amount < 1) throw new ArgumentOutOfRangeException(nameof(target), "A target is at least 1.");
        var startUtc = start.ToUniversalTime();
        if (target.Unit == ResponseTarget.Hours) return startUtc.AddHours(target.Amount);
        if (target.Unit != ResponseTarget.WorkingDays) throw new ArgumentOutOfRangeException(nameof(target), $"Unknown unit {target.Unit}.");

        var local = AmsterdamTime.ToLocal(startUtc);
        var date = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (!DutchHolidays.IsWorkingDay(date))
        {
            while (!DutchHolidays.IsWorkingDay(date)) date = date.AddDays(1);
            time = TimeOnly.MinValue;
        }
        for (var counted = 0; counted < target.Amount;)
        {
            date = date.AddDays(1);
            if (DutchHolidays.IsWorkingDay(date)) counted++;
        }
        // Working days are Monday-Friday and DST changes on Sundays, so the local time exists; the fallback is defensive.
        return AmsterdamTime.ToUtc(date, time) ?? AmsterdamTime.ToUtc(date, time.AddHours(1))!.Value;
    }

    /// <param name="stoppedAt">When the melding was solved or rejected; the clock then shows how it ended.</param>
    public static ClockState State(DateTimeOffset deadline, DateTimeOffset now, DateTimeOffset? stoppedAt) =>
        new(deadline, deadline - (stoppedAt ?? now), stoppedAt is not null);

    /// <summary>"45 minuten", "3 uur en 5 minuten", "2 dagen en 4 uur" (rounded down to whole minutes).</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = -span;
        var minutes = (long)span.TotalMinutes;
        if (minutes < 60) return minutes == 1 ? "1 minuut" : $"{minutes} minuten";
        var hours = minutes / 60;
        if (hours < 24)
        {
            var rest = minutes % 60;
            return rest == 0 ? $"{hours} uur" : $"{hours} uur en {rest} {(rest == 1 ? "minuut" : "minuten")}";
        }
        var days = hours / 24;
        var restHours = hours % 24;
        var dayText = days == 1 ? "1 dag" : $"{days} dagen";
        return restHours == 0 ? dayText : $"{dayText} en {restHours} uur";
    }

    public static string LocalText(DateTimeOffset instant) =>
        AmsterdamTime.ToLocal(instant).ToString("dddd d MMMM yyyy 'om' HH:mm", Dutch);
}
