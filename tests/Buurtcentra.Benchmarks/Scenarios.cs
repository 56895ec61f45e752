namespace Buurtcentra.Benchmarks;

/// <summary>What a latency scenario measured over HTTP: server-side and client-side times, DB commands, bad answers.</summary>
internal sealed record HttpLatency(Stats Server, Stats Client, double DbCommandsPerRequest, int NotOk, string? FirstError, Cpu Cpu);

/// <summary>CPU milliseconds per request: this process (app and bench client, or Npgsql for raw SQL) and PostgreSQL.</summary>
internal sealed record Cpu(double Process, double? Postgres)
{
    public override string ToString() => Postgres is { } pg ? $"{Process:F2} / {pg:F2}" : $"{Process:F2} / ?";
}

/// <summary>Where the CPU meter looks: a connection for pg_stat_activity and the bench database's name.</summary>
internal sealed record Probe(Npgsql.NpgsqlDataSource DataSource, string Database)
{
    public Task<CpuMeter> StartAsync() => CpuMeter.StartAsync(DataSource, Database);
}

internal static class Scenarios
{
    /// <summary>
    /// GETs the URLs in turn, one request at a time, over the loopback socket, and (when given) runs the same database
    /// work as raw SQL. Both are warmed up first; the warm-up over HTTP also counts the SQL commands per request. The timed
    /// runs alternate in blocks (HTTP, raw, HTTP, raw, ...) so that a change in how busy the machine is hits both alike.
    /// Over HTTP the time inside the server (<see cref="ServerTimings"/>) and the round trip seen by the client are kept.
    /// </summary>
    public static async Task<(HttpLatency App, Stats? Raw, Cpu? RawCpu)> PairedAsync(BenchApp app, Probe probe, HttpClient client, string tag,
        IReadOnlyList<string> urls, Func<int, Task>? rawCall, int warmup, int iterations, int blocks = 4,
        Action<HttpRequestMessage>? prepare = null, int expectedStatus = 200)
    {
        var notOk = 0;
        string? firstError = null;

        async Task GetAsync(int i, string header)
        {
            var url = urls[i % urls.Count];
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add(ServerTimings.Header, header);
            prepare?.Invoke(request);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != expectedStatus && header == tag)
            {
                notOk++;
                firstError ??= $"{(int)response.StatusCode} {url}: {body[..Math.Min(300, body.Length)]}";
            }
        }

        double commands;
        using (var counter = new DbCommandCounter(tag))
        {
            for (var i = 0; i < warmup; i++) await GetAsync(i, tag + "-warmup");
            commands = (double)counter.Count / warmup;
        }
        await app.Timings.TakeAsync(tag + "-warmup", warmup);
        if (rawCall is not null)
        {
            for (var i = 0; i < warmup; i++) await rawCall(i);
        }

        var clientTimes = new List<double>();
        var rawTimes = new List<double>();
        double appProcess = 0, rawProcess = 0;
        double? appPostgres = 0, rawPostgres = 0;
        for (var block = 0; block < blocks; block++)
        {
            var from = block * iterations / blocks;
            var count = (block + 1) * iterations / blocks - from;
            var meter = await probe.StartAsync();
            clientTimes.AddRange(await Measure.SequentialAsync(count, i => GetAsync(from + i, tag)));
            var (process, postgres) = await meter.ElapsedAsync();
            appProcess += process;
            appPostgres += postgres;
            if (rawCall is null) continue;
            meter = await probe.StartAsync();
            rawTimes.AddRange(await Measure.SequentialAsync(count, i => rawCall(from + i)));
            (process, postgres) = await meter.ElapsedAsync();
            rawProcess += process;
            rawPostgres += postgres;
        }
        var server = await app.Timings.TakeAsync(tag, iterations);
        var result = new HttpLatency(Stats.Of(server), Stats.Of(clientTimes), commands, notOk, firstError,
            new Cpu(appProcess / iterations, appPostgres / iterations));
        return rawCall is null
            ? (result, null, null)
            : (result, Stats.Of(rawTimes), new Cpu(rawProcess / iterations, rawPostgres / iterations));
    }

    /// <summary>The public pages the bench measured before (centre finder, centre page, centres API): server time only.</summary>
    public static readonly (string Name, string Url)[] Pages =
    [
        ("Public centre list", "/buurtcentra"),
        ("Centre list, filtered", "/buurtcentra?capacity=40&facility=beamer&accessibility=rolstoeltoegankelijk"),
        ("Centre page", "/buurtcentra/hart-van-hoograven"),
        ("API /api/v1/centres", "/api/v1/centres"),
    ];
}
