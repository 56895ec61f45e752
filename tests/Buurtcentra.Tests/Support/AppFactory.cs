using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Buurtcentra.Tests.Support;

/// <summary>The real app (real routing, auth, anti-forgery, database) on a test server.</summary>
public class AppFactory(TestDatabase database) : WebApplicationFactory<Program>
{
    public string MailFolder { get; } = Directory.CreateTempSubdirectory("buurtcentra-mail-").FullName;

    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly SwitchableTimeProvider clock = new(new FakeTimeProvider(Start));

    /// <summary>The app's clock. Every test starts it again at <see cref="Start"/> (see <see cref="ResetTime"/>).</summary>
    public FakeTimeProvider Time => clock.Current;

    /// <summary>A fake clock cannot run backwards, so each test gets a fresh one at the known instant.</summary>
    public void ResetTime() => clock.Current = new FakeTimeProvider(Start);

    /// <summary>A fresh clock at another instant, for a test that needs dates before <see cref="Start"/> to lie ahead.</summary>
    public void ResetTime(DateTimeOffset start) => clock.Current = new FakeTimeProvider(start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Default", database.ConnectionString);
        builder.UseSetting("Mail:PickupDirectory", MailFolder);
        builder.UseSetting("RateLimits:LoginPerMinute", "100000");
        builder.UseSetting("RateLimits:PublicFormsPerMinute", "100000");
        builder.UseSetting("Demo:Load", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IStartupFilter, TestPeerAddress>();
        });
    }

    /// <summary>
    /// Mail delivered to the pickup folder for the current test, oldest first. Mail goes out through the outbox in the
    /// background, so only files whose Message-ID is in the outbox count: a late delivery of the previous test's mail
    /// (whose outbox rows the reset removed) never shows up in the next test.
    /// </summary>
    public IReadOnlyList<string> SentMails()
    {
        var files = Directory.GetFiles(MailFolder, "*.eml").Order().ToList();
        if (files.Count == 0) return [];
        using var connection = database.DataSource.OpenConnection();
        var current = connection.Query<string>("select message_id from outbox").ToHashSet(StringComparer.Ordinal);
        return files.Where(f => current.Contains(MimeKit.MimeMessage.Load(f).MessageId ?? "")).Select(File.ReadAllText).ToList();
    }

    /// <summary>Waits (real time, by default up to 10 s) until at least <paramref name="count"/> mails have been delivered; returns what is there.</summary>
    public async Task<IReadOnlyList<string>> WaitForMailsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var mails = SentMails();
            if (mails.Count >= count || DateTime.UtcNow >= deadline) return mails;
            await Task.Delay(50);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(MailFolder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Delegates to a replaceable fake clock, so tests that move time do not move it for the next test.</summary>
internal sealed class SwitchableTimeProvider(FakeTimeProvider initial) : TimeProvider
{
    public FakeTimeProvider Current { get; set; } = initial;

    public override DateTimeOffset GetUtcNow() => Current.GetUtcNow();
    public override TimeZoneInfo LocalTimeZone => Current.LocalTimeZone;
    public override long TimestampFrequency => Current.TimestampFrequency;
    public override long GetTimestamp() => Current.GetTimestamp();
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Current.CreateTimer(callback, state, dueTime, period);
}

/// <summary>
/// The test server has no socket, so no client address: a request with <see cref="Header"/> comes from that address
/// (the proxy, when the test sends X-Forwarded-For as well). It runs before the app's own pipeline.
/// </summary>
public sealed class TestPeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && System.Net.IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }
            return following(context);
        });
        next(app);
    };
}
