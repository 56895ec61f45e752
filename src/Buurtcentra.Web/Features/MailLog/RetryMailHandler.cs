using Buurtcentra.Web.Infrastructure.Mail;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.MailLog;

public enum RetryResult { Retried, NotFailed, NotFound }

/// <summary>
/// Functioneel beheer puts a failed mail back in the queue (after fixing an address or the mail server): it waits
/// again, due now, with a fresh series of attempts. Only a 'mislukt' mail changes, so a mail is never sent twice this way.
/// </summary>
public sealed class RetryMailHandler(NpgsqlDataSource dataSource, TimeProvider time, OutboxSignal signal)
{
    public async Task<RetryResult> HandleAsync(long id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var retried = await connection.ExecuteAsync("""
            update outbox set status = 'wachtend', attempts = 0, next_attempt_at = @now, locked_until = null
            where id = @id and status = 'mislukt'
            """, new { id, now = time.GetUtcNow() });
        if (retried == 1)
        {
            signal.Notify();
            return RetryResult.Retried;
        }
        var exists = await connection.ExecuteScalarAsync<bool>("select exists (select 1 from outbox where id = @id)", new { id });
        return exists ? RetryResult.NotFailed : RetryResult.NotFound;
    }
}
