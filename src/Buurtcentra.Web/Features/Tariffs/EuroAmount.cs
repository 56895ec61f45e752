using System.Globalization;
using System.Text.RegularExpressions;

namespace Buurtcentra.Web.Features.Tariffs;

/// <summary>
/// Amounts in euros as people type them in the Netherlands: "12,50", "12", "€ 12,50", "12,-", "1.000" (dot for
/// thousands) and also "12.50" (a dot followed by one or two digits is read as the decimal sign).
/// </summary>
public static partial class EuroAmount
{
    /// <summary>The highest hourly rate, € 1000: the CHECK on rooms.*_rate_cents.</summary>
    public const int MaxCents = 100_000;

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public enum Problem { None, Empty, NotAnAmount, Negative, TooManyDecimals, TooHigh }

    public static (int Cents, Problem Problem) Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return (0, Problem.Empty);
        var text = Spaces().Replace(input, "");
        if (text.StartsWith('€')) text = text[1..];
        else if (text.StartsWith("EUR", StringComparison.OrdinalIgnoreCase)) text = text[3..];
        if (text.EndsWith(",-", StringComparison.Ordinal)) text = text[..^2];
        if (text.StartsWith('-')) return (0, Problem.Negative);

        string whole, fraction;
        if (DecimalComma().Match(text) is { Success: true } comma)
        {
            whole = comma.Groups["whole"].Value.Replace(".", "", StringComparison.Ordinal);
            fraction = comma.Groups["fraction"].Value;
        }
        else if (DecimalDot().Match(text) is { Success: true } dot)
        {
            whole = dot.Groups["whole"].Value;
            fraction = dot.Groups["fraction"].Value;
        }
        else
        {
            return (0, Problem.NotAnAmount);
        }

        if (fraction.Length > 2) return (0, Problem.TooManyDecimals);
        if (whole.Length > 7) return (0, Problem.TooHigh);
        var cents = long.Parse(whole, CultureInfo.InvariantCulture) * 100 + (fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture));
        return cents > MaxCents ? (0, Problem.TooHigh) : ((int)cents, Problem.None);
    }

    /// <summary>"12,50": for form fields and the CSV (no euro sign, no thousands separator).</summary>
    public static string Format(long cents) => (cents / 100m).ToString("0.00", Dutch);

    // 12 | 12,5 | 12,50 | 1.000 | 1.000,50 | ,50 is not accepted (write 0,50)
    [GeneratedRegex(@"^(?<whole>\d{1,3}(\.\d{3})+|\d+)(,(?<fraction>\d*))?$")]
    private static partial Regex DecimalComma();

    // 12.5 | 12.50 (with more digits after the dot it is a thousands separator, handled above, or not an amount)
    [GeneratedRegex(@"^(?<whole>\d+)\.(?<fraction>\d{1,2})$")]
    private static partial Regex DecimalDot();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
