using System.Globalization;
using System.Threading.RateLimiting;
using Dapper;
using Microsoft.AspNetCore.RateLimiting;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>
/// The rate limits of the sign-in and the public forms, counted in PostgreSQL so that they hold across app instances
/// (docs/decisions/0009-limits-across-instances.md). The framework's rate-limiting middleware chooses the partition
/// (who counts: the signed-in user, or else the client's address); <see cref="PostgresWindowLimiter"/> counts in the
/// database. The middleware runs after authentication (Program.cs), so a signed-in member of staff counts as themselves.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddBuurtcentraRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var loginPerMinute = configuration.GetValue("RateLimits:LoginPerMinute", 10);
        var publicFormsPerMinute = configuration.GetValue("RateLimits:PublicFormsPerMinute", 20);
        var signedInFormsPerMinute = configuration.GetValue("RateLimits:SignedInFormsPerMinute", 120);
        var window = TimeSpan.FromMinutes(1);

        services.AddSingleton<RateLimitCounters>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                return ValueTask.CompletedTask;
            };
            // Sign-in, login links: per client address, whoever is signed in.
            options.AddPolicy(WebSetup.LoginRateLimit, context =>
                Partition(context, $"{WebSetup.LoginRateLimit}:ip:{ClientAddress.Of(context)}", loginPerMinute, window));
            // Public forms (a resident's request, a melding): per signed-in user, otherwise per client address.
            options.AddPolicy(WebSetup.PublicFormsRateLimit, context => context.User.Identity?.IsAuthenticated == true
                && context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } userId
                    ? Partition(context, $"{WebSetup.PublicFormsRateLimit}:user:{userId}", signedInFormsPerMinute, window)
                    : Partition(context, $"{WebSetup.PublicFormsRateLimit}:ip:{ClientAddress.Of(context)}", publicFormsPerMinute, window));
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, string key, int permitLimit, TimeSpan window)
    {
        var counters = context.RequestServices.GetRequiredService<RateLimitCounters>();
        return RateLimitPartition.Get(key, k => new PostgresWindowLimiter(counters, k, Math.Max(1, permitLimit), window));
    }
}

/// <summary>
/// A fixed-window limiter whose count lives in PostgreSQL (table rate_limit_counters). Every permit is one atomic
/// upsert, so any number of instances share one count. Its own memory holds nothing but the key; the framework drops
/// it when idle. Asking without waiting is always answered "ask again, asynchronously": the count needs the database.
/// </summary>
public sealed class PostgresWindowLimiter(RateLimitCounters counters, string key, int permitLimit, TimeSpan window) : RateLimiter
{
    private long lastUsed = Environment.TickCount64;

    public override TimeSpan? IdleDuration => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        permitCount == 0 ? Lease.Granted : Lease.NotWithoutWaiting;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount == 0) return Lease.Granted;
        if (permitCount > permitLimit) return new Lease(false, window);
        Interlocked.Exchange(ref lastUsed, Environment.TickCount64);
        var (allowed, retryAfter) = await counters.HitAsync(key, permitLimit, window, cancellationToken);
        return allowed ? Lease.Granted : new Lease(false, retryAfter);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease NotWithoutWaiting = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = value;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}

/// <summary>The shared counts: one row per key and window, raised in one statement; past windows are removed now and then.</summary>
public sealed class RateLimitCounters(NpgsqlDataSource dataSource, TimeProvider time)
{
    private static readonly TimeSpan CleanupEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan KeepWindows = TimeSpan.FromHours(1);
    private long nextCleanupTicks;

    /// <returns>Whether the request is within the limit, and when the current window ends.</returns>
    public async Task<(bool Allowed, TimeSpan RetryAfter)> HitAsync(string key, int permitLimit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var windowStart = new DateTimeOffset(now.UtcTicks - now.UtcTicks % window.Ticks, TimeSpan.Zero);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A full window is not written to any more: no row comes back, and the request is refused.
        var hits = await connection.ExecuteScalarAsync<int?>(new CommandDefinition("""
            insert into rate_limit_counters as c (key, window_start, hits) values (@key, @windowStart, 1)
            on conflict (key, window_start) do update set hits = c.hits + 1 where c.hits < @permitLimit
            returning hits
            """, new { key, windowStart, permitLimit }, cancellationToken: cancellationToken));

        var due = Interlocked.Read(ref nextCleanupTicks);
        if (now.UtcTicks >= due && Interlocked.CompareExchange(ref nextCleanupTicks, (now + CleanupEvery).UtcTicks, due) == due)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from rate_limit_counters where window_start < @before", new { before = now - KeepWindows }, cancellationToken: cancellationToken));
        }
        return (hits is not null, windowStart + window - now);
    }
}
