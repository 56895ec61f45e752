using System.Collections.Concurrent;
using System.Net.Sockets;
using Dapper;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Mail;

/// <summary>
/// Delivers the outbox. Each round claims due rows with <c>FOR UPDATE SKIP LOCKED</c> and gives them a lease
/// (locked_until) and one more attempt, then sends them one by one. A row is marked sent or failed only while it
/// is still this round's (same message_id and attempt number, still 'wachtend'), so two instances never both own
/// a row. The only window for a second copy: a crash, or a lost database, between the SMTP server's "250 OK" and
/// the status update; the copy then carries the same Message-ID. While a round runs, a heartbeat renews the lease of
/// the rows it still holds; an instance that dies stops renewing, and its rows are sent by another once the lease ends.
/// "Now" for due times, leases and back-off comes from <see cref="TimeProvider"/>; the waiting between rounds is
/// real time (a short wait on <see cref="OutboxSignal"/>), so tests with a fake clock still see mail go out.
/// </summary>
public sealed partial class OutboxSender(
    NpgsqlDataSource dataSource,
    IMailer mailer,
    TimeProvider time,
    OutboxSignal signal,
    IOptions<MailOptions> options,
    ILogger<OutboxSender> logger) : BackgroundService
{
    /// <summary>After this many failed attempts a mail is 'mislukt'; functioneel beheer can try it again from the mail log.</summary>
    public const int MaxAttempts = 10;

    /// <summary>
    /// How long a claimed row stays this instance's without news from it (Mail:LeaseSeconds, default 2 minutes). While
    /// a round runs, a heartbeat renews the lease of every row it still holds each quarter lease, so the lease only has
    /// to outlive a missed heartbeat or two, not the whole round. An instance that dies stops renewing: its rows go to
    /// another instance once the lease has run out.
    /// </summary>
    private TimeSpan Lease => options.Value.Lease;

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(5);
    private const int MaxErrorLength = 1000;

    /// <summary>Wait before the next attempt, after <paramref name="attempts"/> failed ones: 30 s, 2 min, 10 min, 30 min, then hourly.</summary>
    public static TimeSpan BackOff(int attempts) => attempts switch
    {
        <= 1 => TimeSpan.FromSeconds(30),
        2 => TimeSpan.FromMinutes(2),
        3 => TimeSpan.FromMinutes(10),
        4 => TimeSpan.FromMinutes(30),
        _ => TimeSpan.FromHours(1),
    };

    private int BatchSize => Math.Clamp(options.Value.BatchSize, 1, 100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SenderEnabled)
        {
            LogDisabled();
            return;
        }
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = PollInterval;
            try
            {
                // A full batch means more may be due: go on at once.
                if (await SendDueAsync(stoppingToken) >= BatchSize) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogRoundFailed(e);
                pause = PauseAfterError;
            }
            try
            {
                await signal.WaitAsync(pause, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One round: claim up to a batch of due rows and send them. Returns the number claimed.</summary>
    internal async Task<int> SendDueAsync(CancellationToken stoppingToken)
    {
        var claimed = await ClaimAsync(stoppingToken);
        if (claimed.Count == 0) return 0;
        var held = new ConcurrentDictionary<long, ClaimedMail>(claimed.Select(m => KeyValuePair.Create(m.Id, m)));
        using var roundDone = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(held, roundDone.Token);
        try
        {
            for (var i = 0; i < claimed.Count; i++)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    // Shutting down: rows not yet tried go back untouched, for this or another instance.
                    foreach (var rest in claimed.Skip(i)) await ReleaseAsync(rest);
                    break;
                }
                await SendOneAsync(claimed[i]);
                held.TryRemove(claimed[i].Id, out _);
            }
        }
        finally
        {
            await roundDone.CancelAsync();
            await heartbeat;
        }
        return claimed.Count;
    }

    /// <summary>Renews the lease of the rows this round still holds, every quarter lease, until the round is done.</summary>
    private async Task HeartbeatAsync(ConcurrentDictionary<long, ClaimedMail> held, CancellationToken roundDone)
    {
        using var timer = new PeriodicTimer(Lease / 4, time);
        try
        {
            while (await timer.WaitForNextTickAsync(roundDone))
            {
                var rows = held.Values.ToArray();
                if (rows.Length == 0) continue;
                try
                {
                    await using var connection = await dataSource.OpenConnectionAsync(roundDone);
                    await connection.ExecuteAsync(new CommandDefinition("""
                        update outbox o set locked_until = @leaseUntil
                        from unnest(@ids, @messageIds, @attempts) as h(id, message_id, attempts)
                        where o.id = h.id and o.message_id = h.message_id and o.attempts = h.attempts and o.status = 'wachtend'
                          and o.locked_until is not null
                        """, new
                    {
                        ids = rows.Select(r => r.Id).ToArray(), messageIds = rows.Select(r => r.MessageId).ToArray(),
                        attempts = rows.Select(r => r.Attempts).ToArray(), leaseUntil = time.GetUtcNow() + Lease,
                    }, cancellationToken: roundDone));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next beat tries again; the lease is long enough for a missed one.
                    LogHeartbeatFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<IReadOnlyList<ClaimedMail>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One statement, so one short transaction: the rows are locked, leased and counted, then committed.
        var rows = await connection.QueryAsync<ClaimedMail>(new CommandDefinition("""
            with due as (
                select id from outbox
                where status = 'wachtend' and next_attempt_at <= @now and (locked_until is null or locked_until <= @now)
                order by next_attempt_at, id
                limit @batch
                for update skip locked
            )
            update outbox o set locked_until = @leaseUntil, attempts = o.attempts + 1
            from due
            where o.id = due.id
            returning o.id, o.message_id, o.attempts, o.to_address, o.to_name, o.subject, o.text_body, o.html_body,
                      o.calendar_method, o.calendar_ics, o.created_at
            """, new { now, leaseUntil = now + Lease, batch = BatchSize }, cancellationToken: cancellationToken));
        return rows.OrderBy(r => r.Id).ToList();
    }

    private async Task SendOneAsync(ClaimedMail mail)
    {
        try
        {
            // Renew the lease right before the hand-off; if the row is no longer ours, leave it alone.
            if (!await RenewAsync(mail))
            {
                LogNoLongerOurs(mail.Id);
                return;
            }
            var outgoing = new OutgoingMail(mail.ToAddress, mail.ToName, mail.Subject, mail.TextBody, mail.HtmlBody)
            {
                MessageId = mail.MessageId,
                Date = new DateTimeOffset(DateTime.SpecifyKind(mail.CreatedAt, DateTimeKind.Utc)),
                Calendar = mail.CalendarMethod is { } method && mail.CalendarIcs is { } ics ? new CalendarAttachment(method, ics) : null,
            };
            // Not tied to shutdown: a hand-off that has started is finished (or times out), never cut off halfway.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2 * Math.Max(1, options.Value.SmtpTimeoutSeconds) + 5));
            await mailer.SendAsync(outgoing, timeout.Token);
        }
        catch (Exception e)
        {
            await RecordFailureAsync(mail, e);
            return;
        }
        await RecordSentAsync(mail);
    }

    private async Task<bool> RenewAsync(ClaimedMail mail)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync("""
            update outbox set locked_until = @leaseUntil
            where id = @Id and message_id = @MessageId and attempts = @Attempts and status = 'wachtend'
            """, new { mail.Id, mail.MessageId, mail.Attempts, leaseUntil = now + Lease }) == 1;
    }

    private async Task RecordSentAsync(ClaimedMail mail)
    {
        // The mail is out: try hard to record that, or it would be sent again once the lease runs out.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                var updated = await connection.ExecuteAsync("""
                    update outbox set status = 'verzonden', sent_at = @now, locked_until = null, last_error = null
                    where id = @Id and message_id = @MessageId and attempts = @Attempts and status = 'wachtend'
                    """, new { mail.Id, mail.MessageId, mail.Attempts, now = time.GetUtcNow() });
                if (updated == 0) LogSentButNoLongerOurs(mail.Id);
                return;
            }
            catch (Exception e) when (attempt < 3 && e is NpgsqlException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
            catch (Exception e)
            {
                LogSentNotRecorded(e, mail.Id);
                return;
            }
        }
    }

    private async Task RecordFailureAsync(ClaimedMail mail, Exception error)
    {
        var (permanent, message) = Describe(error);
        LogSendFailed(mail.Id, mail.Attempts, message);
        try
        {
            var now = time.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync("""
                update outbox set last_error = @message, locked_until = null, next_attempt_at = @next,
                                  status = case when @permanent or attempts >= @max then 'mislukt' else 'wachtend' end
                where id = @Id and message_id = @MessageId and attempts = @Attempts and status = 'wachtend'
                """, new { mail.Id, mail.MessageId, mail.Attempts, message, permanent, max = MaxAttempts, next = now + BackOff(mail.Attempts) });
        }
        catch (Exception e)
        {
            // The lease runs out and the row is tried again: nothing is lost.
            LogFailureNotRecorded(e, mail.Id);
        }
    }

    private async Task ReleaseAsync(ClaimedMail mail)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync("""
                update outbox set locked_until = null, attempts = attempts - 1
                where id = @Id and message_id = @MessageId and attempts = @Attempts and status = 'wachtend'
                """, new { mail.Id, mail.MessageId, mail.Attempts });
        }
        catch (Exception e)
        {
            LogFailureNotRecorded(e, mail.Id);
        }
    }

    /// <summary>What the mail log shows, in Dutch; permanent errors are not retried.</summary>
    internal static (bool Permanent, string Message) Describe(Exception error)
    {
        var (permanent, message) = error switch
        {
            ParseException or ArgumentException => (true, $"Het e-mailadres of de inhoud klopt niet: {error.Message}"),
            SmtpCommandException smtp when (int)smtp.StatusCode >= 500 =>
                (true, $"De mailserver weigert deze mail ({(int)smtp.StatusCode}): {smtp.Message}"),
            SmtpCommandException smtp => (false, $"De mailserver kan de mail nu niet aannemen ({(int)smtp.StatusCode}): {smtp.Message}"),
            SocketException => (false, $"De mailserver is niet bereikbaar: {error.Message}"),
            System.Security.Authentication.AuthenticationException or MailKit.Security.AuthenticationException =>
                (false, $"Inloggen bij de mailserver lukt niet: {error.Message}"),
            OperationCanceledException or TimeoutException => (false, "De mailserver reageerde niet op tijd."),
            SmtpProtocolException or ServiceNotConnectedException or IOException => (false, $"De verbinding met de mailserver ging mis: {error.Message}"),
            _ => (false, $"{error.GetType().Name}: {error.Message}"),
        };
        return (permanent, message.Length > MaxErrorLength ? message[..MaxErrorLength] : message);
    }

    private sealed record ClaimedMail(long Id, string MessageId, int Attempts, string ToAddress, string ToName, string Subject,
        string TextBody, string HtmlBody, string? CalendarMethod, string? CalendarIcs, DateTime CreatedAt);

    [LoggerMessage(LogLevel.Information, "Outbox sender is disabled (Mail:SenderEnabled=false); another instance sends the mail.")]
    private partial void LogDisabled();

    [LoggerMessage(LogLevel.Warning, "Outbox heartbeat could not renew the lease of the claimed mails; trying again at the next beat.")]
    private partial void LogHeartbeatFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Outbox round failed; trying again shortly.")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Outbox mail {Id}: attempt {Attempt} failed: {Error}")]
    private partial void LogSendFailed(long id, int attempt, string error);

    [LoggerMessage(LogLevel.Warning, "Outbox mail {Id} was taken over by another sender before sending; skipped.")]
    private partial void LogNoLongerOurs(long id);

    [LoggerMessage(LogLevel.Warning, "Outbox mail {Id} was sent, but its row was no longer this sender's.")]
    private partial void LogSentButNoLongerOurs(long id);

    [LoggerMessage(LogLevel.Error, "Outbox mail {Id} was sent, but that could not be recorded; it will be sent again with the same Message-ID.")]
    private partial void LogSentNotRecorded(Exception exception, long id);

    [LoggerMessage(LogLevel.Error, "Outbox mail {Id}: its state could not be recorded; the lease will expire and it is tried again.")]
    private partial void LogFailureNotRecorded(Exception exception, long id);
}
