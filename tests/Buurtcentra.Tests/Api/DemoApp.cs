using System.Collections.Concurrent;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Planning.Runs;
using Buurtcentra.Web.Infrastructure.Database;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Buurtcentra.Tests.Api;

/// <summary>
/// The app as `make run` shows it: its own database with the demo data (db/demo) loaded at start-up, the test clock
/// (<see cref="AppFactory.Start"/>) and every logged error recorded. On Kestrel (a real port, for curl) or on the
/// in-memory test server. The optimiser's worker is left out: a walk that queues planning runs needs no CP-SAT.
/// </summary>
public sealed class DemoApp : AppFactory
{
    private readonly TestDatabase database;

    public DemoApp(TestDatabase database, bool kestrel) : base(database)
    {
        this.database = database;
        if (kestrel) UseKestrel(0);
    }

    public ErrorLog Errors { get; } = new();

    /// <summary>http://127.0.0.1:port of the Kestrel server.</summary>
    public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
        .First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:Load", "true");
        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        builder.ConfigureServices(services =>
        {
            foreach (var worker in services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(RunWorker)).ToList())
            {
                services.Remove(worker);
            }
        });
    }

    /// <summary>Back to the demo data as loaded, the clock at its start, no errors recorded.</summary>
    public async Task ResetAsync()
    {
        StartServer();
        await database.ResetAsync();
        await Services.GetRequiredService<DemoData>().LoadAsync();
        ResetTime();
        Errors.Clear();
    }
}

/// <summary>Every log entry at Error or above, with its exception: "no unhandled exception logged" is checked against this.</summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> entries = new();

    public IReadOnlyList<string> Entries => entries.ToList();

    public void Clear() => entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries);

    public void Dispose() { }

    private sealed class Recorder(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error) return;
            var text = $"{category}: {formatter(state, exception)}";
            if (exception is not null) text += $"\n{exception.GetType().Name}: {exception.Message}\n{exception.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Buurtcentra", StringComparison.Ordinal))?.Trim()}";
            entries.Enqueue(text);
        }
    }
}

/// <summary>One demo app per purpose, each on its own database (created and migrated by the tests).</summary>
public abstract class DemoFixture(string purpose, bool kestrel) : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public DemoApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(TestDatabase.NameFor(purpose));
        App = new DemoApp(Database, kestrel);
        App.StartServer();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>Kestrel on a real port, for the README's and the docs' curl lines.</summary>
public sealed class DemoServerFixture() : DemoFixture("demo", kestrel: true);

[CollectionDefinition(Name)]
public sealed class DemoServerCollection : ICollectionFixture<DemoServerFixture>
{
    public const string Name = "demo server";
}

/// <summary>The in-memory test server (no request-line limit, so a 10,000-character query reaches the app), for the malformed-input walk.</summary>
public sealed class DemoWalkFixture() : DemoFixture("walk", kestrel: false);

[CollectionDefinition(Name)]
public sealed class DemoWalkCollection : ICollectionFixture<DemoWalkFixture>
{
    public const string Name = "demo walk";
}
