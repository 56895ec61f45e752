using System.Globalization;

namespace Buurtcentra.Benchmarks;

/// <summary>Prints the results as one markdown table, columns as wide as their contents.</summary>
internal static class TablePrinter
{
    private static readonly string[] Headers =
        ["scenario", "n", "p50 ms", "p95 ms", "rate /s", "target", "met", "CPU ms/req app / PG", "raw SQL p50 / p95 ms (or /s)", "raw CPU ms/req", "ratio app/raw", "SQL cmds/req", "measured"];

    public static void Print(TextWriter output, IReadOnlyList<ResultRow> rows)
    {
        var cells = rows.Select(r => new[]
        {
            r.Scenario,
            r.N.ToString(CultureInfo.InvariantCulture),
            Number(r.App?.P50),
            Number(r.App?.P95),
            r.RatePerSecond is { } rate ? rate.ToString("F0", CultureInfo.InvariantCulture) : "",
            r.Target,
            r.TargetMet switch { true => "yes", false => "NO", null => "" },
            r.AppCpu?.ToString() ?? "",
            r.Raw,
            r.RawCpu?.ToString() ?? "",
            r.Ratio,
            r.DbCommandsPerRequest is { } commands ? commands.ToString("F1", CultureInfo.InvariantCulture) : "",
            r.Measured,
        }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, cells.Select(c => c[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        string Line(IReadOnlyList<string> values) => "| " + string.Join(" | ", values.Select((v, i) => i is >= 1 and <= 4 || i == 11 ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))) + " |";
        output.WriteLine(Line(Headers));
        output.WriteLine("|" + string.Join("|", widths.Select((w, i) => i is >= 1 and <= 4 || i == 11 ? new string('-', w + 1) + ":" : new string('-', w + 2))) + "|");
        foreach (var row in cells) output.WriteLine(Line(row));
    }

    private static string Number(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("F2", CultureInfo.InvariantCulture) : "";
}
