using System.Net.Sockets;
using Buurtcentra.Web.Infrastructure.Mail;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Buurtcentra.Tests.Mail;

/// <summary>The message as it leaves the app, the configuration keys, and the retry schedule: no database, no server.</summary>
public sealed class MailMessageTests
{
    private const string Ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";

    [Fact]
    public void An_invitation_is_an_alternative_part_and_an_invite_ics_attachment_with_the_same_calendar()
    {
        var mail = new OutgoingMail("truus@klaverjas.example", "Truus", "Afgezegd", "Tekst é", "<p>Tekst é</p>")
        {
            MessageId = "abc123@buurtcentra.test",
            Date = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero),
            Calendar = new CalendarAttachment("CANCEL", Ics),
        };

        var message = Reloaded(mail.ToMime(new MailOptions()));

        Assert.Equal("abc123@buurtcentra.test", message.MessageId);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), message.Date);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal(2, mixed.Count);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        var calendar = (TextPart)alternative[2];
        Assert.Equal("CANCEL", calendar.ContentType.Parameters["method"]);
        Assert.Equal("utf-8", calendar.ContentType.Charset, ignoreCase: true);
        Assert.Equal(Ics, Decoded(calendar));
        var attachment = (MimePart)mixed[1];
        Assert.Equal(("application/ics", "invite.ics", true), (attachment.ContentType.MimeType, attachment.FileName, attachment.IsAttachment));
        using var content = new MemoryStream();
        attachment.Content!.DecodeTo(content);
        Assert.Equal(Ics, System.Text.Encoding.UTF8.GetString(content.ToArray()));
    }

    [Fact]
    public void A_mail_without_invitation_is_just_text_and_html()
    {
        var message = Reloaded(new OutgoingMail("a@test.example", "A", "Onderwerp", "Tekst", "<p>Tekst</p>").ToMime(new MailOptions()));

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal("Buurtcentra Utrecht", message.From.Mailboxes.Single().Name);
    }

    [Fact]
    public void Smtp_settings_come_from_the_Smtp_section_and_win_over_the_old_Mail_keys()
    {
        var options = OptionsFrom(new()
        {
            ["Mail:SmtpHost"] = "oud.example", ["Mail:SmtpPort"] = "2525",
            ["Smtp:Host"] = "smtp.utrecht.example", ["Smtp:Port"] = "587", ["Smtp:User"] = "buurtcentra",
            ["Smtp:Password"] = "geheim", ["Smtp:StartTls"] = "true",
        }, out var services);

        Assert.Equal(("smtp.utrecht.example", 587, "buurtcentra", "geheim", true),
            (options.SmtpHost, options.SmtpPort, options.SmtpUser, options.SmtpPassword, options.SmtpStartTls));
        Assert.IsType<SmtpMailer>(services.GetRequiredService<IMailer>());
    }

    [Fact]
    public void The_old_Mail_keys_still_work_and_without_a_host_mail_goes_to_files()
    {
        var old = OptionsFrom(new() { ["Mail:SmtpHost"] = "oud.example", ["Mail:SmtpPort"] = "2525" }, out _);
        Assert.Equal(("oud.example", 2525), (old.SmtpHost, old.SmtpPort));

        var none = OptionsFrom(new() { ["Mail:PickupDirectory"] = "/tmp/mail" }, out var services);
        Assert.Null(none.SmtpHost);
        Assert.True(none.SenderEnabled);
        Assert.IsType<PickupDirectoryMailer>(services.GetRequiredService<IMailer>());
    }

    [Fact]
    public void Retries_back_off_from_thirty_seconds_to_hourly()
    {
        Assert.Equal(
            [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)],
            Enumerable.Range(1, 7).Select(OutboxSender.BackOff));
    }

    [Fact]
    public void A_refusal_by_the_server_is_final_an_unreachable_server_is_not()
    {
        var refused = OutboxSender.Describe(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "No such user"));
        var busy = OutboxSender.Describe(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "Try later"));
        var down = OutboxSender.Describe(new SocketException((int)SocketError.ConnectionRefused));
        var badAddress = OutboxSender.Describe(new ParseException("Invalid addr-spec", 0, 3));

        Assert.Equal((true, false, false, true), (refused.Permanent, busy.Permanent, down.Permanent, badAddress.Permanent));
        Assert.Contains("550", refused.Message);
        Assert.Contains("niet bereikbaar", down.Message);
        Assert.True(OutboxSender.Describe(new InvalidOperationException(new string('x', 5000))).Message.Length <= 1000);
    }

    private static MailOptions OptionsFrom(Dictionary<string, string?> settings, out ServiceProvider services)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services = new ServiceCollection().AddLogging().AddMail(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<MailOptions>>().Value;
    }

    /// <summary>The part's content byte for byte (TextPart.Text would turn CRLF into LF).</summary>
    internal static string Decoded(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return System.Text.Encoding.UTF8.GetString(content.ToArray());
    }

    /// <summary>Written out and read back, as a mail client would see it.</summary>
    private static MimeMessage Reloaded(MimeMessage message)
    {
        var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }
}
