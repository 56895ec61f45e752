using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Buurtcentra.Benchmarks;

/// <summary>
/// The real app (Program.cs unchanged, Production environment, demo data) on a real Kestrel loopback socket.
/// The only additions are test-side: a startup filter that times every tagged request inside the server
/// (<see cref="ServerTimings"/>), the background mail sender switched off and the mail folder in /tmp.
/// </summary>
internal sealed class BenchApp(string connectionString) : WebApplicationFactory<Program>
{
    public ServerTimings Timings { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Default", connectionString);
        builder.UseSetting("Demo:Load", "true");
        // Mail stays in the outbox: the bench measures the request, not SMTP (Mail:SenderEnabled is a normal setting).
        builder.UseSetting("Mail:SenderEnabled", "false");
        builder.UseSetting("Mail:PickupDirectory", Path.Combine(Path.GetTempPath(), "buurtcentra-bench-mail"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        // The key ring is stored unencrypted in the bench database; the warning about it says nothing about performance.
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ServerTimingFilter(Timings)));
    }

    /// <summary>An HttpClient over the loopback socket; its own connection pool, so 16 clients are 16 connections.</summary>
    public HttpClient CreateSocketClient(bool cookies = false) =>
        new(new SocketsHttpHandler
        {
            UseCookies = cookies,
            CookieContainer = new System.Net.CookieContainer(),
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        })
        { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
}

/// <summary>
/// Server-side time per request: from the first middleware to the last (routing, auth, handler, SQL, view rendering,
/// JSON), without the socket and the client. Only requests with an X-Bench header are recorded, under that name.
/// </summary>
internal sealed class ServerTimings
{
    public const string Header = "X-Bench";
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> byTag = new();

    public void Record(string tag, double milliseconds) => byTag.GetOrAdd(tag, _ => new()).Enqueue(milliseconds);

    /// <summary>The times recorded under <paramref name="tag"/>; waits briefly for the last request to finish its bookkeeping.</summary>
    public async Task<double[]> TakeAsync(string tag, int expected)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
        while (Count(tag) < expected && Stopwatch.GetTimestamp() < deadline) await Task.Delay(5);
        return byTag.TryRemove(tag, out var queue) ? queue.ToArray() : [];
    }

    private int Count(string tag) => byTag.TryGetValue(tag, out var queue) ? queue.Count : 0;
}

internal sealed class ServerTimingFilter(ServerTimings timings) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (HttpContext context, RequestDelegate nextMiddleware) =>
        {
            var tag = context.Request.Headers[ServerTimings.Header].ToString();
            if (tag.Length == 0)
            {
                await nextMiddleware(context);
                return;
            }
            var started = Stopwatch.GetTimestamp();
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                timings.Record(tag, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        next(app);
    };
}

/// <summary>
/// Counts the SQL commands Npgsql sends (one per round trip; a batch of statements is one), from its ActivitySource.
/// Switched on only while warming up a scenario, so the timed runs carry no tracing cost. With BENCH_SQL_PROFILE=1 it
/// also keeps the time per command text, printed after the table (where the time of a request goes in PostgreSQL).
/// </summary>
internal sealed class DbCommandCounter : IDisposable
{
    public static readonly bool Profile = Environment.GetEnvironmentVariable("BENCH_SQL_PROFILE") == "1";
    public static readonly ConcurrentDictionary<string, (long Count, double Milliseconds)> Statements = new();

    private readonly ActivityListener listener;
    private long count;

    public DbCommandCounter(string scenario = "")
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                var text = activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement");
                if (text is null) return;
                Interlocked.Increment(ref count);
                if (!Profile) return;
                var key = $"{scenario}: {string.Join(' ', text.ToString()!.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))}";
                key = key[..Math.Min(key.Length, 150)];
                Statements.AddOrUpdate(key, (1, activity.Duration.TotalMilliseconds),
                    (_, old) => (old.Count + 1, old.Milliseconds + activity.Duration.TotalMilliseconds));
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public long Count => Interlocked.Read(ref count);

    public void Dispose() => listener.Dispose();
}
