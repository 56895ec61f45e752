namespace Buurtcentra.Web.Infrastructure.Time;

/// <summary>The one place where UTC instants become Utrecht wall-clock time and back.</summary>
public static class AmsterdamTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(ToLocal(time.GetUtcNow()));

    /// <summary>
    /// Converts a local date and time to UTC; null when the time does not exist (spring-forward gap).
    /// An ambiguous time (the repeated hour in autumn) is the first one (summer time), as RFC 5545 reads it, unless
    /// <paramref name="offset"/> names the other one: an instant given with an explicit offset keeps that offset.
    /// </summary>
    public static DateTimeOffset? ToUtc(DateOnly date, TimeOnly time, TimeSpan? offset = null)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local)) return null;
        if (!Zone.IsAmbiguousTime(local)) return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
        var offsets = Zone.GetAmbiguousTimeOffsets(local);
        var chosen = offset is { } asked && offsets.Contains(asked) ? asked : offsets.Max();
        return new DateTimeOffset(local, chosen).ToUniversalTime();
    }

    /// <summary>True when the instant's Utrecht wall-clock time occurs twice (the night the clocks go back).</summary>
    public static bool IsAmbiguous(DateTime utc) =>
        Zone.IsAmbiguousTime(ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))));

    /// <summary>For a local time in the spring-forward gap: the gap's first and first valid minute after it (02:00 and 03:00).</summary>
    public static (TimeOnly From, TimeOnly Until) Gap(DateOnly date, TimeOnly inside)
    {
        var from = date.ToDateTime(inside);
        while (Zone.IsInvalidTime(from.AddMinutes(-1))) from = from.AddMinutes(-1);
        var until = date.ToDateTime(inside);
        while (Zone.IsInvalidTime(until)) until = until.AddMinutes(1);
        return (TimeOnly.FromDateTime(from), TimeOnly.FromDateTime(until));
    }
}
