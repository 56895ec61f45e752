using System.Diagnostics;

namespace Buurtcentra.Benchmarks;

/// <summary>Percentiles of a set of timings in milliseconds (nearest-rank).</summary>
internal sealed record Stats(int Count, double P50, double P95, double Max)
{
    public static Stats Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0) return new Stats(0, double.NaN, double.NaN, double.NaN);
        var sorted = milliseconds.Order().ToArray();
        return new Stats(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>One line of the result table.</summary>
internal sealed record ResultRow(
    string Scenario,
    int N,
    Stats? App,
    double? RatePerSecond,
    string Target,
    bool? TargetMet,
    Cpu? AppCpu,
    string Raw,
    Cpu? RawCpu,
    string Ratio,
    double? DbCommandsPerRequest,
    string Measured);

internal static class Measure
{
    /// <summary>Runs <paramref name="action"/> <paramref name="count"/> times in a row and returns the wall time of each call.</summary>
    public static async Task<double[]> SequentialAsync(int count, Func<int, Task> action)
    {
        var timings = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await action(i);
            timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return timings;
    }

    /// <summary>
    /// <paramref name="workers"/> loops take the next index until <paramref name="count"/> calls were made. Returns the
    /// time of each call and the wall time of the whole run.
    /// </summary>
    public static async Task<(double[] Timings, TimeSpan Elapsed)> ConcurrentAsync(int count, int workers, Func<int, int, Task> action)
    {
        var timings = new double[count];
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var callStarted = Stopwatch.GetTimestamp();
                await action(worker, i);
                timings[i] = Stopwatch.GetElapsedTime(callStarted).TotalMilliseconds;
            }
        })));
        return (timings, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>"2.31 / 4.80" for p50 / p95.</summary>
    public static string Pair(Stats stats) => $"{stats.P50:F2} / {stats.P95:F2}";

    /// <summary>"×1.8 / ×2.1": how many times the app's p50 / p95 is the raw SQL's.</summary>
    public static string RatioPair(Stats app, Stats raw) => $"×{app.P50 / raw.P50:F1} / ×{app.P95 / raw.P95:F1}";
}

/// <summary>
/// CPU time spent on a piece of work, independent of how busy the machine is: this process (the app and the bench's
/// HTTP clients, which share it) and the PostgreSQL backends serving the bench database (from /proc; Linux only).
/// </summary>
internal sealed class CpuMeter
{
    private readonly Npgsql.NpgsqlDataSource dataSource;
    private readonly string database;
    private TimeSpan processStart;
    private Dictionary<int, long> backendsStart = [];

    private CpuMeter(Npgsql.NpgsqlDataSource dataSource, string database)
    {
        this.dataSource = dataSource;
        this.database = database;
    }

    public static async Task<CpuMeter> StartAsync(Npgsql.NpgsqlDataSource dataSource, string database)
    {
        var meter = new CpuMeter(dataSource, database);
        meter.backendsStart = await meter.BackendTicksAsync();
        meter.processStart = Process.GetCurrentProcess().TotalProcessorTime;
        return meter;
    }

    /// <summary>CPU milliseconds since the start: (this process, PostgreSQL); PostgreSQL is null where /proc cannot be read.</summary>
    public async Task<(double Process, double? Postgres)> ElapsedAsync()
    {
        var process = (Process.GetCurrentProcess().TotalProcessorTime - processStart).TotalMilliseconds;
        var backendsEnd = await BackendTicksAsync();
        double? postgres = null;
        if (backendsEnd.Count > 0)
        {
            var ticks = backendsEnd.Sum(b => b.Value - backendsStart.GetValueOrDefault(b.Key));
            postgres = ticks * 1000.0 / TicksPerSecond;
        }
        return (process, postgres);
    }

    /// <summary>CPU milliseconds per operation since the start.</summary>
    public async Task<(double Process, double? Postgres)> PerOperationAsync(int operations)
    {
        var (process, postgres) = await ElapsedAsync();
        return (process / operations, postgres / operations);
    }

    private const int TicksPerSecond = 100; // USER_HZ on Linux

    private async Task<Dictionary<int, long>> BackendTicksAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var pids = await Dapper.SqlMapper.QueryAsync<int>(connection,
            "select pid from pg_stat_activity where datname = @database and backend_type = 'client backend'", new { database });
        var ticks = new Dictionary<int, long>();
        foreach (var pid in pids)
        {
            try
            {
                var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // after "pid (comm) ": field 3 is state; utime and stime are fields 14 and 15, i.e. index 11 and 12 here
                ticks[pid] = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                             + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // a backend that ended, or no /proc: leave it out
            }
        }
        return ticks;
    }
}
