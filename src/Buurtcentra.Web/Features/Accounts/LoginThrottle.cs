using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Accounts;

/// <summary>
/// Slows down password guessing without locking anyone out. Failures are counted per typed e-mail address and client
/// address (table login_throttle, so every app instance counts together). The first <see cref="FreeFailures"/> cost
/// nothing; then that client waits <see cref="FirstWait"/>, and twice as long after every further failure, up to
/// <see cref="LongestWait"/>. The owner, from their own address, is not affected, and a login link always works.
/// A success from that address clears its count; failures are forgotten <see cref="ForgetAfter"/> after the last one.
/// </summary>
public static class LoginThrottle
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(24);

    /// <param name="Refused">The client must still wait; the password was not looked at.</param>
    /// <param name="Failures">This attempt's number in the count (it counts as failed until it succeeds).</param>
    /// <param name="WaitUntil">From when the next attempt is allowed, if the client has to wait.</param>
    public sealed record Attempt(bool Refused, int Failures, DateTimeOffset? WaitUntil);

    public static byte[] Hash(string email) => SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()));

    /// <summary>
    /// Counts the attempt as a failure before the password is checked, in one statement: parallel guesses cannot slip
    /// past the limit, whichever instance they reach. <see cref="SucceededAsync"/> takes it back.
    /// </summary>
    public static async Task<Attempt> BeginAsync(NpgsqlConnection connection, byte[] emailHash, string address, DateTimeOffset now)
    {
        var parameters = new
        {
            emailHash, address, now, free = FreeFailures, firstWait = FirstWait, longestWait = LongestWait, forgetBefore = now - ForgetAfter,
        };
        var counted = await connection.QuerySingleOrDefaultAsync<(int Failures, DateTime? BlockedUntil)?>("""
            insert into login_throttle as t (email_hash, address, failures, last_failure_at, blocked_until)
            values (@emailHash, @address, 1, @now, case when @free <= 1 then @now + @firstWait end)
            on conflict (email_hash, address) do update
            -- The new count is one more, or 1 again when the last failure is too long ago.
            set failures = case when t.last_failure_at < @forgetBefore then 0 else t.failures end + 1,
                last_failure_at = @now,
                blocked_until = case when case when t.last_failure_at < @forgetBefore then 0 else t.failures end + 1 >= @free
                    then @now + least(@longestWait, @firstWait * power(2, least(
                        case when t.last_failure_at < @forgetBefore then 0 else t.failures end + 1 - @free, 20))) end
            where t.blocked_until is null or t.blocked_until <= @now
            returning t.failures, t.blocked_until
            """, parameters);
        if (counted is { } row) return new Attempt(false, row.Failures, Utc(row.BlockedUntil));

        var blockedUntil = await connection.ExecuteScalarAsync<DateTime?>(
            "select blocked_until from login_throttle where email_hash = @emailHash and address = @address", new { emailHash, address });
        return new Attempt(true, 0, Utc(blockedUntil) ?? now + FirstWait);
    }

    public static Task SucceededAsync(NpgsqlConnection connection, byte[] emailHash, string address) =>
        connection.ExecuteAsync("delete from login_throttle where email_hash = @emailHash and address = @address", new { emailHash, address });

    /// <summary>Failures of this e-mail address from every client address in the last day (old counts are removed first).</summary>
    public static async Task<int> RecentFailuresAsync(NpgsqlConnection connection, byte[] emailHash, DateTimeOffset now)
    {
        await connection.ExecuteAsync("delete from login_throttle where last_failure_at < @before", new { before = now - ForgetAfter });
        return await connection.ExecuteScalarAsync<int>(
            "select coalesce(sum(failures), 0)::int from login_throttle where email_hash = @emailHash", new { emailHash });
    }

    /// <summary>"1 minuut", "4 minuten", "1 uur": rounded up to whole minutes.</summary>
    public static string WaitText(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes - 1e-9));
        if (minutes == 60) return "1 uur";
        return minutes == 1 ? "1 minuut" : $"{minutes} minuten";
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
