using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Buurtcentra.Benchmarks;

public static class Bench
{
    public static async Task Main()
    {
        // `make bench`: the app with the 22 demo centres on a fresh database, measured in-process over HTTP.
        // Prints one table: latency percentiles and allocated memory per request. No thresholds here: read the numbers.
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Default")
            ?? throw new InvalidOperationException("Run with 'make bench' (it starts PostgreSQL).");
        var target = new NpgsqlConnectionStringBuilder(configured);
        var databaseName = target.Database ?? "buurtcentra_bench";
        await using (var maintenance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await maintenance.ExecuteAsync($"drop database if exists \"{databaseName}\" with (force)");
            await maintenance.ExecuteAsync($"create database \"{databaseName}\"");
        }

        // The web project's folder holds wwwroot and the views' content root.
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Buurtcentra.sln"))) repository = repository.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BUURTCENTRA_WEB",
            Path.Combine(repository?.FullName ?? ".", "src", "Buurtcentra.Web"));

        await using var app = new BenchApp(target.ConnectionString);
        using var client = app.CreateClient();
        var slug = "hart-van-hoograven";

        var scenarios = new (string Name, string Url)[]
        {
            ("Public centre list", "/buurtcentra"),
            ("Centre list, filtered", "/buurtcentra?capacity=40&facility=beamer&accessibility=rolstoeltoegankelijk"),
            ("Centre page", $"/buurtcentra/{slug}"),
            ("API /api/v1/centres", "/api/v1/centres"),
            ("Login page", "/inloggen"),
            ("Health ready", "/healthz/ready"),
        };

        const int warmup = 30, iterations = 300;
        Console.WriteLine();
        Console.WriteLine($"Buurtcentra bench – 22 demo centres, {iterations} requests per row after {warmup} warm-up, in-process HTTP, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"| {"scenario",-24} | {"status",6} | {"p50 ms",8} | {"p95 ms",8} | {"max ms",8} | {"KB alloc/req",12} |");
        Console.WriteLine($"|{new string('-', 26)}|{new string('-', 8)}|{new string('-', 10)}|{new string('-', 10)}|{new string('-', 10)}|{new string('-', 14)}|");
        foreach (var (name, url) in scenarios)
        {
            var status = 0;
            for (var i = 0; i < warmup; i++) status = (int)(await client.GetAsync(url)).StatusCode;
            var timings = new double[iterations];
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url);
                await response.Content.ReadAsByteArrayAsync();
                timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                status = (int)response.StatusCode;
            }
            var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / iterations;
            Array.Sort(timings);
            Console.WriteLine($"| {name,-24} | {status,6} | {Percentile(timings, 0.50),8:F2} | {Percentile(timings, 0.95),8:F2} | {timings[^1],8:F2} | {allocated,12:F0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Working set after run: {Process.GetCurrentProcess().WorkingSet64 / 1024 / 1024} MB");

    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

internal sealed class BenchApp(string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Default", connectionString);
        builder.UseSetting("Demo:Load", "true");
        builder.UseSetting("Mail:PickupDirectory", Path.Combine(Path.GetTempPath(), "buurtcentra-bench-mail"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
