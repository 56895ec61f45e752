using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Mail;

/// <summary>An iCalendar attachment (text/calendar; method=REQUEST or CANCEL).</summary>
public sealed record CalendarAttachment(string Method, string Ics);

/// <summary>A mail waiting in the outbox. Kind names the reason ("aanvraag_ontvangen", "bevestigd", ...).</summary>
public sealed record OutboxMail(string Kind, string ToAddress, string ToName, string Subject, string TextBody, string HtmlBody)
{
    public long? CentreId { get; init; }
    public long? ReservationId { get; init; }
    public CalendarAttachment? Calendar { get; init; }
}

/// <summary>
/// Writes mail into the outbox table inside the caller's transaction, so a change and the mail it causes are
/// committed together or not at all. The background sender delivers it.
/// </summary>
public sealed class Outbox(TimeProvider time, OutboxSignal signal, Microsoft.Extensions.Options.IOptions<MailOptions> options)
{
    public async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxMail mail)
    {
        var now = time.GetUtcNow();
        var domain = options.Value.FromAddress.Split('@') is [_, var host] ? host : "buurtcentra.local";
        await connection.ExecuteAsync("""
            insert into outbox (kind, centre_id, reservation_id, to_address, to_name, subject, text_body, html_body,
                                calendar_method, calendar_ics, message_id, next_attempt_at, created_at)
            values (@Kind, @CentreId, @ReservationId, @ToAddress, @ToName, @Subject, @TextBody, @HtmlBody,
                    @method, @ics, @messageId, @now, @now)
            """, new
        {
            mail.Kind, mail.CentreId, mail.ReservationId, mail.ToAddress, mail.ToName, mail.Subject, mail.TextBody, mail.HtmlBody,
            method = mail.Calendar?.Method, ics = mail.Calendar?.Ics,
            messageId = $"{Guid.NewGuid():N}@{domain}", now,
        }, transaction);
        // Wakes the sender once the transaction has committed (it polls as well, so a rollback is harmless).
        signal.Notify();
    }
}

/// <summary>Wakes the outbox sender without waiting for its next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim semaphore = new(0, 1);

    public void Notify()
    {
        try { semaphore.Release(); } catch (SemaphoreFullException) { }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try { await semaphore.WaitAsync(timeout, cancellationToken); } catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
    }
}
