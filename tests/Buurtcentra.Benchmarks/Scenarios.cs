namespace Buurtcentra.Benchmarks;

/// <summary>What a latency scenario measured over HTTP: server-side and client-side times, DB commands, bad answers.</summary>
internal sealed record HttpLatency(Stats Server, Stats Client, double DbCommandsPerRequest, int NotOk, string? FirstError);

internal static class Scenarios
{
    /// <summary>
    /// GETs the URLs in turn, one request at a time, over the loopback socket. The warm-up pass also counts the SQL
    /// commands per request; the timed pass records the time inside the server (<see cref="ServerTimings"/>) and the
    /// round trip seen by the client.
    /// </summary>
    public static async Task<HttpLatency> HttpAsync(BenchApp app, HttpClient client, string tag, IReadOnlyList<string> urls, int warmup, int iterations)
    {
        var notOk = 0;
        string? firstError = null;

        async Task GetAsync(string url, string header)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add(ServerTimings.Header, header);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != 200 && header == tag)
            {
                notOk++;
                firstError ??= $"{(int)response.StatusCode} {url}: {body[..Math.Min(300, body.Length)]}";
            }
        }

        double commands;
        using (var counter = new DbCommandCounter())
        {
            for (var i = 0; i < warmup; i++) await GetAsync(urls[i % urls.Count], tag + "-warmup");
            commands = (double)counter.Count / warmup;
        }
        await app.Timings.TakeAsync(tag + "-warmup", warmup);
        var clientTimes = await Measure.SequentialAsync(iterations, i => GetAsync(urls[i % urls.Count], tag));
        var server = await app.Timings.TakeAsync(tag, iterations);
        return new HttpLatency(Stats.Of(server), Stats.Of(clientTimes), commands, notOk, firstError);
    }

    /// <summary>The same work as raw SQL, one call at a time, timed around the call (connection from the pool included).</summary>
    public static async Task<Stats> RawAsync(int warmup, int iterations, Func<int, Task> call)
    {
        for (var i = 0; i < warmup; i++) await call(i);
        return Stats.Of(await Measure.SequentialAsync(iterations, call));
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
