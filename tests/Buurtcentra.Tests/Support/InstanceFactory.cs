using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Buurtcentra.Tests.Support;

/// <summary>
/// One more app instance on a given database, with its own settings (and environment, and services when a test
/// replaces one): two of these on one database are two instances behind a load balancer. Each has its own fake clock.
/// </summary>
public sealed class InstanceFactory(TestDatabase database, IReadOnlyDictionary<string, string?> settings, string? environment = null,
    Action<IServiceCollection>? services = null) : AppFactory(database)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (environment is not null) builder.UseEnvironment(environment);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (services is not null) builder.ConfigureServices(services);
    }

    /// <summary>Starts the instance (its background services too) with its clock at <paramref name="now"/>.</summary>
    public InstanceFactory Started(DateTimeOffset? now = null)
    {
        if (now is { } instant) Time.SetUtcNow(instant);
        _ = Services;
        return this;
    }
}

/// <summary>Bounded waits on a condition: never a sleep followed by an assertion.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting: {what}");
            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
