using Buurtcentra.Tests.Mail;
using Buurtcentra.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Buurtcentra.Tests.Faults;

/// <summary>
/// A database of its own and a real SMTP server, on which a test starts as many app instances as it needs
/// (<see cref="Instance"/>): two instances on one database are two servers behind a load balancer.
/// </summary>
public sealed class FaultsFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public SmtpTestServer Smtp { get; private set; } = null!;
    public TestData Data => new(Database.DataSource);

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(TestDatabase.NameFor("faults"));
        Smtp = new SmtpTestServer();
        await Smtp.StartAsync();
    }

    /// <summary>Each test starts from an empty database and an empty mailbox, with the SMTP server running.</summary>
    public async Task ResetAsync()
    {
        await Smtp.StartAsync();
        await Database.ResetAsync();
        Smtp.Clear();
    }

    /// <summary>An app instance that mails through the SMTP server; <paramref name="settings"/> win over the defaults.</summary>
    public InstanceFactory Instance(IReadOnlyDictionary<string, string?>? settings = null, string? environment = null,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:SmtpTimeoutSeconds"] = "10",
            ["Mail:BatchSize"] = "5",
            // Failed attempts are expected here (servers are taken away on purpose); the tests check the outcome instead.
            ["Logging:LogLevel:Buurtcentra.Web.Infrastructure.Mail.OutboxSender"] = "Critical",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return new InstanceFactory(Database, all, environment, services);
    }

    public async Task DisposeAsync()
    {
        if (Smtp is not null) await Smtp.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}
