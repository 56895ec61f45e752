using Buurtcentra.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Buurtcentra.Tests.Mail;

/// <summary>The app configured the documented way for SMTP (Smtp:Host, Smtp:Port), sending to the test server.</summary>
public sealed class SmtpAppFactory(TestDatabase database, int smtpPort) : AppFactory(database)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Mail:SmtpTimeoutSeconds", "10");
        // Small rounds, so two instances take turns on one queue.
        builder.UseSetting("Mail:BatchSize", "5");
        // Failed attempts are expected here (the server is taken away on purpose); the tests check the outbox instead.
        builder.UseSetting("Logging:LogLevel:Buurtcentra.Web.Infrastructure.Mail.OutboxSender", "Critical");
    }
}

/// <summary>Its own database, an SMTP server process and an app that delivers to it.</summary>
public sealed class MailFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public SmtpTestServer Smtp { get; private set; } = null!;
    public SmtpAppFactory App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(TestDatabase.NameFor("mail"));
        Smtp = new SmtpTestServer();
        await Smtp.StartAsync();
        App = new SmtpAppFactory(Database, Smtp.Port);
        _ = App.Services; // starts the app and its outbox sender
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Smtp is not null) await Smtp.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}
