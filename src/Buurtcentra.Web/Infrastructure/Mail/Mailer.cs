using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Buurtcentra.Web.Infrastructure.Mail;

public sealed record OutgoingMail(string ToAddress, string ToName, string Subject, string TextBody, string HtmlBody)
{
    /// <summary>The outbox row's Message-ID (without angle brackets): a retried mail is recognisably the same mail.</summary>
    public string? MessageId { get; init; }

    /// <summary>When the mail was written (the Date header); the moment of sending when absent.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>An iCalendar invitation, sent as a text/calendar alternative and as an invite.ics attachment.</summary>
    public CalendarAttachment? Calendar { get; init; }
}

/// <summary>The one way the app sends mail. Features never call it: they write to the <see cref="Outbox"/>.</summary>
public interface IMailer
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

public sealed class MailOptions
{
    public string FromAddress { get; set; } = "noreply@buurtcentra.utrecht.example";
    public string FromName { get; set; } = "Buurtcentra Utrecht";

    /// <summary>Without an SMTP host, mail is written as .eml files to this folder.</summary>
    public string PickupDirectory { get; set; } = ".data/mail";

    /// <summary>Also settable as Smtp:Host (environment: Smtp__Host), the documented way.</summary>
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 25;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    public bool SmtpStartTls { get; set; }

    /// <summary>How long one SMTP hand-off may take before it counts as failed.</summary>
    public int SmtpTimeoutSeconds { get; set; } = 20;

    /// <summary>false: this instance writes to the outbox but does not send (another instance does).</summary>
    public bool SenderEnabled { get; set; } = true;

    /// <summary>Rows claimed per round; each round holds its rows under one lease.</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>
    /// How long claimed rows stay this instance's without a heartbeat (OutboxSender renews them every quarter of it).
    /// Longer than one SMTP hand-off (2 × SmtpTimeoutSeconds + 5) is not needed: the heartbeat runs during a hand-off too.
    /// </summary>
    public int LeaseSeconds { get; set; } = 120;

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Clamp(LeaseSeconds, 4, 3600));
}

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection("Mail"))
            .PostConfigure(options => ApplySmtpSection(options, configuration.GetSection("Smtp")));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<IMailer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MailOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.SmtpHost)
                ? new PickupDirectoryMailer(options)
                : new SmtpMailer(options);
        });
        services.AddHostedService<OutboxSender>();
        return services;
    }

    /// <summary>Smtp:Host, Smtp:Port, Smtp:User, Smtp:Password, Smtp:StartTls win over the older Mail:Smtp* keys.</summary>
    internal static void ApplySmtpSection(MailOptions options, IConfiguration smtp)
    {
        if (!string.IsNullOrWhiteSpace(smtp["Host"])) options.SmtpHost = smtp["Host"]!.Trim();
        if (int.TryParse(smtp["Port"], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            options.SmtpPort = port;
        }
        if (!string.IsNullOrEmpty(smtp["User"])) options.SmtpUser = smtp["User"];
        if (smtp["Password"] is { } password) options.SmtpPassword = password;
        if (bool.TryParse(smtp["StartTls"], out var startTls)) options.SmtpStartTls = startTls;
    }

    /// <summary>
    /// The message as Outlook, Google and Apple expect an invitation: multipart/mixed with a multipart/alternative
    /// (text/plain, text/html, text/calendar; method=...) and the same calendar as an invite.ics attachment.
    /// </summary>
    internal static MimeMessage ToMime(this OutgoingMail mail, MailOptions options)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToAddress));
        message.Subject = mail.Subject;
        if (mail.MessageId is { Length: > 0 } messageId) message.MessageId = messageId;
        if (mail.Date is { } date) message.Date = date;
        // Out-of-office replies and the like stay away from an automatic notification.
        message.Headers.Add("Auto-Submitted", "auto-generated");

        var text = new TextPart("plain");
        text.SetText(System.Text.Encoding.UTF8, mail.TextBody);
        var html = new TextPart("html");
        html.SetText(System.Text.Encoding.UTF8, mail.HtmlBody);
        var alternative = new MultipartAlternative { text, html };

        if (mail.Calendar is not { } calendar)
        {
            message.Body = alternative;
            return message;
        }

        var inline = new TextPart("calendar") { ContentTransferEncoding = ContentEncoding.Base64 };
        inline.SetText(System.Text.Encoding.UTF8, calendar.Ics);
        inline.ContentType.Parameters.Add("method", calendar.Method);
        alternative.Add(inline);

        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(calendar.Ics))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "invite.ics" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        attachment.ContentType.Name = "invite.ics";
        message.Body = new Multipart("mixed") { alternative, attachment };
        return message;
    }
}

/// <summary>For `make run` and tests: every mail becomes an .eml file, written whole (temp file, then rename).</summary>
public sealed class PickupDirectoryMailer(MailOptions options) : IMailer
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetFullPath(options.PickupDirectory);
        Directory.CreateDirectory(folder);
        var message = mail.ToMime(options);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fffffff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(folder, name + ".tmp");
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(folder, name + ".eml"));
    }
}

public sealed class SmtpMailer(MailOptions options) : IMailer
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var message = mail.ToMime(options);
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(Math.Max(1, options.SmtpTimeoutSeconds)).TotalMilliseconds };
        var security = options.SmtpPort == 465 ? SecureSocketOptions.SslOnConnect
            : options.SmtpStartTls ? SecureSocketOptions.StartTls
            : SecureSocketOptions.None;
        await client.ConnectAsync(options.SmtpHost!, options.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(options.SmtpUser))
        {
            await client.AuthenticateAsync(options.SmtpUser, options.SmtpPassword ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        // The server has accepted the mail: a failing QUIT must not make it look unsent (it would be sent again).
        try { await client.DisconnectAsync(true, cancellationToken); }
        catch (Exception e) when (e is IOException or SmtpProtocolException or OperationCanceledException or System.Net.Sockets.SocketException) { }
    }
}
