using System.Diagnostics;
using System.Globalization;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Benchmarks;

/// <summary>
/// `make bench`: the app on a Utrecht-scale data set (22 centres, 180 rooms, 10 years, over a million occurrences),
/// measured over a real loopback socket, each scenario next to the same database work as raw SQL.
/// Prints one table, then the voorkeursplanning table (in memory, no database). No thresholds fail the run: read the
/// numbers (docs/bench.md explains them). `--only planning` runs just the planning scenario (no database needed);
/// `--planning-seconds 30` gives the optimiser another time limit than 9 s.
/// </summary>
public static class Bench
{
    private const int LatencyWarmup = 60, LatencyIterations = 400, PageWarmup = 20, PageIterations = 200;
    private const int ReservationWarmup = 400, Reservations = 5000, SingleClientReservations = 300;

    public static async Task Main(string[] args)
    {
        var run = Stopwatch.StartNew();
        var loadAtStart = LoadAverage();
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        if (only is not null && only != "planning") throw new ArgumentException($"Unknown scenario '{only}': only 'planning' can run alone.");
        var planningSeconds = args.SkipWhile(a => a != "--planning-seconds").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(PlanningScenario.DefaultSeconds).First();

        // Voorkeursplanning first (CPU-bound, no database), before the app and PostgreSQL get busy.
        var planning = PlanningScenario.Run(planningSeconds);
        if (only == "planning")
        {
            Console.WriteLine();
            foreach (var line in planning) Console.WriteLine(line);
            Console.WriteLine($"Load average {loadAtStart} at the start, {LoadAverage()} now. Whole run: {run.Elapsed.TotalSeconds:F0} s.");
            return;
        }
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Default")
            ?? throw new InvalidOperationException("Run with 'make bench' (it starts PostgreSQL), or set ConnectionStrings__Default.");
        var today = AmsterdamTime.Today(TimeProvider.System);

        // The web project's folder holds wwwroot and the views' content root.
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Buurtcentra.sln"))) repository = repository.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BUURTCENTRA_WEB",
            Path.Combine(repository?.FullName ?? ".", "src", "Buurtcentra.Web"));

        Console.WriteLine();
        Console.WriteLine($"Buurtcentra bench – database {new NpgsqlConnectionStringBuilder(configured).Database}");
        var reuse = await DataGenerator.PrepareDatabaseAsync(configured, today);
        Console.WriteLine(reuse ? "Generated data set found: reusing it." : "Empty database: migrating, loading the demo data and generating the data set.");

        await using var app = new BenchApp(configured);
        app.Start(); // migrations and demo data (22 centres, 103 rooms, demo series)
        await using var raw = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(configured) { MaxPoolSize = 40 }.ConnectionString).Build();
        var data = await DataGenerator.EnsureAsync(raw, today, reuse);
        var probe = new Probe(raw, new NpgsqlConnectionStringBuilder(configured).Database!);
        string serverVersion, fsync;
        await using (var connection = await raw.OpenConnectionAsync())
        {
            serverVersion = await connection.ExecuteScalarAsync<string>("show server_version") ?? "?";
            fsync = await connection.ExecuteScalarAsync<string>("show fsync") ?? "?";
        }
        Console.WriteLine(reuse
            ? $"Data set of {data.GeneratedOn:yyyy-MM-dd} reused (generation took {data.GenerationSeconds:F0} s then)."
            : $"Data set generated in {data.GenerationSeconds:F1} s.");
        Console.WriteLine($"{data.Centres} centres, {data.Rooms} rooms, {data.Reservations:N0} reservations, {data.Occurrences:N0} occurrences "
            + $"({data.ConfirmedOccurrences:N0} confirmed), {data.FirstDay:yyyy-MM-dd} to {data.LastDay:yyyy-MM-dd}.");
        Console.WriteLine();

        // 1. Availability search, public JSON API.
        Console.WriteLine("Measuring: availability search …");
        var queries = AvailabilityQuery.Varied(60, today, data.LastDay);
        using var publicClient = app.CreateSocketClient();
        var (availability, availabilityRaw, availabilityRawCpu) = await Scenarios.PairedAsync(app, probe, publicClient, "availability",
            queries.Select(q => q.Url).ToList(), i => RawAvailability.RunAsync(raw, queries[i % queries.Count], today), LatencyWarmup, LatencyIterations);

        // 2. Week grid, signed in as functioneel beheerder.
        Console.WriteLine("Measuring: week grid …");
        using var staff = app.CreateSocketClient(cookies: true);
        var userId = await StaffLogin.SignInAsync(staff, raw);
        List<long> centreIds;
        await using (var connection = await raw.OpenConnectionAsync())
        {
            centreIds = (await connection.QueryAsync<long>("select id from centres where active order by id")).ToList();
        }
        var weeks = WeekQuery.Varied(60, centreIds, data.FirstDay, data.LastDay);
        var (week, weekRaw, weekRawCpu) = await Scenarios.PairedAsync(app, probe, staff, "week",
            weeks.Select(w => w.Url).ToList(), i => RawWeekGrid.RunAsync(raw, weeks[i % weeks.Count], userId), LatencyWarmup, LatencyIterations);
        var perWeek = await RawWeekGrid.AverageOccurrencesAsync(raw, weeks);

        // 3. The public pages measured before.
        Console.WriteLine("Measuring: public pages …");
        var pages = new List<(string Name, HttpLatency Result)>();
        foreach (var (name, url) in Scenarios.Pages)
        {
            pages.Add((name, (await Scenarios.PairedAsync(app, probe, publicClient, "page:" + url, [url], null, PageWarmup, PageIterations)).App));
        }

        // 4. The public calendar feed of the busiest centre (13-month window), built in full and answered with 304.
        Console.WriteLine("Measuring: calendar feed …");
        var (feedSlug, feedEvents) = await FeedScenario.BusiestCentreAsync(raw, today);
        var feedUrl = $"/agenda/buurtcentra/{feedSlug}.ics";
        var (feed, _, _) = await Scenarios.PairedAsync(app, probe, publicClient, "feed", [feedUrl], null, PageWarmup, PageIterations);
        var etag = await FeedScenario.ETagAsync(publicClient, feedUrl);
        var (feed304, _, _) = await Scenarios.PairedAsync(app, probe, publicClient, "feed304", [feedUrl], null, PageWarmup, PageIterations,
            prepare: request => request.Headers.TryAddWithoutValidation("If-None-Match", etag), expectedStatus: 304);

        // 5. Reservations created per second, 16 clients.
        Console.WriteLine($"Measuring: {Reservations} reservations over HTTP, then as raw SQL …");
        var (http, single, rawInserts) = await new ReservationScenario(app, probe, raw, data, today)
            .RunAsync(ReservationWarmup, Reservations, SingleClientReservations);

        var rows = new List<ResultRow>
        {
            new("Availability search GET /api/v1/availability", LatencyIterations, availability.Server, null, "p95 ≤ 10 ms",
                availability.Server.P95 <= 10, availability.Cpu, Measure.Pair(availabilityRaw!), availabilityRawCpu,
                Measure.RatioPair(availability.Server, availabilityRaw!), availability.DbCommandsPerRequest, "server, 1 client"),
            new("Week grid /beheer/buurtcentra/{id}/week", LatencyIterations, week.Server, null, "p95 ≤ 30 ms",
                week.Server.P95 <= 30, week.Cpu, Measure.Pair(weekRaw!), weekRawCpu,
                Measure.RatioPair(week.Server, weekRaw!), week.DbCommandsPerRequest, "server, 1 client"),
            new("Reservations POST /api/v1/reservations", http.Count, http.Latency, http.PerSecond, "≥ 1000/s on 2 cores",
                http.PerSecond >= 1000, http.Cpu, $"{rawInserts.PerSecond:F0}/s (p50 / p95 {Measure.Pair(rawInserts.Latency)})", rawInserts.Cpu,
                $"×{rawInserts.PerSecond / http.PerSecond:F1} (raw/s ÷ app/s)", http.DbCommandsPerRequest, "client, 16 connections"),
            new($"Centre feed GET {feedUrl} ({feedEvents:N0} events)", PageIterations, feed.Server, null, "p95 ≤ 50 ms",
                feed.Server.P95 <= 50, feed.Cpu, "", null, "", feed.DbCommandsPerRequest, "server, 1 client"),
            new("Centre feed, If-None-Match → 304", PageIterations, feed304.Server, null, "p95 ≤ 2 ms",
                feed304.Server.P95 <= 2, feed304.Cpu, "", null, "", feed304.DbCommandsPerRequest, "server, 1 client"),
            new("Reservation POST, one client at a time", single.Count, single.Server, single.PerSecond, "–", null, single.Cpu, "", null, "",
                single.DbCommandsPerRequest, "server, 1 client"),
        };
        rows.AddRange(pages.Select(p => new ResultRow(p.Name, PageIterations, p.Result.Server, null, "–", null, p.Result.Cpu, "", null, "",
            p.Result.DbCommandsPerRequest, "server, 1 client")));

        Console.WriteLine();
        Console.WriteLine($"Buurtcentra bench – {data.Centres} centres, {data.Rooms} rooms, {data.Occurrences:N0} occurrences "
            + $"({data.FirstDay:yyyy-MM-dd} – {data.LastDay:yyyy-MM-dd}), {Environment.ProcessorCount} cores (load average {loadAtStart} at the start, "
            + $"{LoadAverage()} now), PostgreSQL {serverVersion} (fsync={fsync}), Release");
        Console.WriteLine();
        TablePrinter.Print(Console.Out, rows);
        Console.WriteLine();
        Console.WriteLine("server = time inside the app per request (first middleware to last, no socket, no client); one request at a time.");
        Console.WriteLine("client = round trip over the loopback socket as the 16 clients saw it; rate = reservations created per second of wall time.");
        Console.WriteLine("CPU ms/req = CPU time per request while measuring, whatever else runs on the machine: this process (app and bench clients"
            + " together; for raw SQL: Npgsql and Dapper) / the PostgreSQL backends of the bench database.");
        if (http.Cpu.Postgres is { } pgPerReservation)
        {
            var ceiling = Environment.ProcessorCount * 1000 / (http.Cpu.Process + pgPerReservation);
            var rawCeiling = Environment.ProcessorCount * 1000 / (rawInserts.Cpu.Process + (rawInserts.Cpu.Postgres ?? 0));
            Console.WriteLine($"If that CPU per reservation were all {Environment.ProcessorCount} cores did: about {ceiling:F0} reservations/s over HTTP "
                + $"(bench clients included), {rawCeiling:F0}/s for the raw inserts (CPU per request grows when the machine is busy).");
        }
        Console.WriteLine($"Round trip seen by the client (p50 / p95 ms): availability {Measure.Pair(availability.Client)}, week grid {Measure.Pair(week.Client)}.");
        Console.WriteLine($"Raw SQL = the same statements on a plain pooled NpgsqlConnection with Dapper; reservations: the inserts only "
            + $"({rawInserts.DbCommandsPerRequest:F1} commands per booking), 16 connections.");
        Console.WriteLine($"Week grid: {perWeek:F0} occurrences per measured week on average (dense: every room used most parts of most days).");
        var statuses = string.Join(", ", http.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Value} × {s.Key}"));
        Console.WriteLine($"Reservation answers: {statuses}; time inside the server p50 / p95 {Measure.Pair(http.Server!)} ms (of the client's {Measure.Pair(http.Latency)})."
            + (http.FirstError is null ? "" : $" First non-201: {http.FirstError}"));
        if (rawInserts.Statuses.Count > 0) Console.WriteLine($"Raw inserts failed: {rawInserts.Statuses.Values.Sum()} ({rawInserts.FirstError}).");
        foreach (var (name, result) in new[] { ("availability", availability), ("week grid", week), ("feed", feed), ("feed 304", feed304) }.Concat(pages))
        {
            if (result.NotOk > 0) Console.WriteLine($"{name}: {result.NotOk} answers were not 200. First: {result.FirstError}");
        }
        if (DbCommandCounter.Profile)
        {
            Console.WriteLine();
            Console.WriteLine("SQL profile (warm-up passes; ms include waiting for a CPU):");
            foreach (var scenario in DbCommandCounter.Statements.GroupBy(s => s.Key[..s.Key.IndexOf(':', StringComparison.Ordinal)]))
            {
                foreach (var (text, (count, ms)) in scenario.OrderByDescending(s => s.Value.Milliseconds).Take(12))
                {
                    Console.WriteLine($"  {ms,9:F1} ms {count,6} × {ms / count,7:F2} ms  {text}");
                }
            }
        }
        Console.WriteLine();
        foreach (var line in planning) Console.WriteLine(line);
        Console.WriteLine();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"Working set (bench client and app in one process): {process.WorkingSet64 / 1024 / 1024} MB now, "
            + $"{process.PeakWorkingSet64 / 1024 / 1024} MB peak. Whole run: {run.Elapsed.TotalSeconds:F0} s.");
    }

    /// <summary>The 1-minute load average (runnable processes on the machine), or "?" off Linux.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
