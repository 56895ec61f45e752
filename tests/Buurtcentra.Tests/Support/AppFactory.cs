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

    /// <summary>Tests that need a fixed clock set it; otherwise the clock starts at a fixed, known instant.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

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
            services.AddSingleton<TimeProvider>(Time);
        });
    }

    public IReadOnlyList<string> SentMails() =>
        Directory.GetFiles(MailFolder, "*.eml").Order().Select(File.ReadAllText).ToList();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(MailFolder, recursive: true); } catch (IOException) { }
    }
}
