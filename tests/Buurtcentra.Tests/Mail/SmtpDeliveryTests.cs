using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Calendar;
using Buurtcentra.Web.Infrastructure.Mail;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Buurtcentra.Tests.Mail;

/// <summary>
/// The outbox end to end: handlers' transactions, the background sender, MailKit and a real SMTP server on loopback.
/// Runs with the other database tests, one after another (its own database and app, though).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class SmtpDeliveryTests(MailFixture mail) : IClassFixture<MailFixture>, IAsyncLifetime
{
    private SmtpAppFactory App => mail.App;
    private SmtpTestServer Smtp => mail.Smtp;

    public async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await mail.Database.ResetAsync();
        Smtp.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_committed_mail_arrives_over_smtp_with_text_html_and_calendar_parts()
    {
        var (text, html) = MailTemplate.Compose("Truus de Vries", ["Uw aanvraag is goedgekeurd."],
            [("Ruimte", "Grote zaal"), ("Wanneer", "Elke maandag, 19:00 tot 21:00")], ("Bekijk uw reservering", "https://buurtcentra.example/reserveringen/1"));
        var ics = CalendarInvitation.Build(Series(), CalendarInvitation.Request, App.Time.GetUtcNow());
        var id = await EnqueueAsync(new OutboxMail("bevestigd", "truus@klaverjas.example", "Truus de Vries", "Uw reservering is goedgekeurd", text, html)
        {
            Calendar = new CalendarAttachment(CalendarInvitation.Request, ics),
        });
        var messageId = await MessageIdAsync(id);

        var message = Assert.Single(await Smtp.WaitForMessageIdAsync(messageId));

        Assert.Equal(messageId, message.MessageId);
        Assert.Equal("truus@klaverjas.example", Assert.IsType<MailboxAddress>(Assert.Single(message.To)).Address);
        Assert.Equal("Uw reservering is goedgekeurd", message.Subject);
        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Contains("Uw aanvraag is goedgekeurd.", ((TextPart)alternative[0]).Text);
        Assert.Contains("Ruimte: Grote zaal", ((TextPart)alternative[0]).Text);
        Assert.Contains("<th scope=\"row\"", ((TextPart)alternative[1]).Text);
        var calendar = (TextPart)alternative[2];
        Assert.Equal("REQUEST", calendar.ContentType.Parameters["method"]);
        Assert.Equal("utf-8", calendar.ContentType.Charset, ignoreCase: true);
        Assert.Equal(ics, MailMessageTests.Decoded(calendar));
        var attachment = Assert.IsType<MimePart>(mixed[1]);
        Assert.True(attachment.IsAttachment);
        Assert.Equal("invite.ics", attachment.FileName);
        using (var content = new MemoryStream())
        {
            await attachment.Content!.DecodeToAsync(content);
            Assert.Equal(ics, System.Text.Encoding.UTF8.GetString(content.ToArray()));
        }

        // The SMTP server has the message a moment before the sender records it as sent.
        var row = await WaitForRowAsync(id, r => r.Status == "verzonden");
        Assert.Equal(("verzonden", 1), (row.Status, row.Attempts));
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime, row.SentAt);
        Assert.Null(row.LockedUntil);
    }

    [Fact]
    public async Task A_rolled_back_transaction_sends_nothing()
    {
        var outbox = App.Services.GetRequiredService<Outbox>();
        await using (var connection = await mail.Database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await outbox.EnqueueAsync(connection, transaction, Mail("teruggedraaid@test.example"));
            await transaction.RollbackAsync();
        }
        // A mail after it shows the sender has had its chance at anything before it.
        var marker = await MessageIdAsync(await EnqueueAsync(Mail("daarna@test.example")));

        var messages = await Smtp.WaitForMessageIdAsync(marker);

        Assert.Equal(["daarna@test.example"], messages.Select(m => ((MailboxAddress)m.To.Single()).Address));
        Assert.Equal(1, await CountAsync("select count(*) from outbox"));
    }

    [Fact]
    public async Task During_an_outage_attempts_back_off_and_the_mail_arrives_exactly_once_when_the_server_is_back()
    {
        await Smtp.StopAsync();
        var enqueuedAt = App.Time.GetUtcNow().UtcDateTime;
        var id = await EnqueueAsync(Mail("geduldig@test.example"));
        var messageId = await MessageIdAsync(id);

        var failed = await WaitForRowAsync(id, r => r.LastError is not null);
        Assert.Equal("wachtend", failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("niet bereikbaar", failed.LastError);
        Assert.Equal(enqueuedAt + OutboxSender.BackOff(1), failed.NextAttemptAt);
        Assert.Null(failed.LockedUntil);

        await Smtp.StartAsync();
        App.Time.Advance(OutboxSender.BackOff(1) + TimeSpan.FromSeconds(1));
        await Smtp.WaitForMessageIdAsync(messageId);
        var sent = await WaitForRowAsync(id, r => r.Status == "verzonden");
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.LastError);

        // Give any retry every chance to happen: time moves on and a later mail goes out after it.
        App.Time.Advance(TimeSpan.FromHours(2));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var marker = await MessageIdAsync(await EnqueueAsync(Mail("daarna@test.example")));
        var messages = await Smtp.WaitForMessageIdAsync(marker);

        Assert.Equal(1, messages.Count(m => m.MessageId == messageId));
        Assert.Equal(2, messages.Count);
    }

    [Fact]
    public async Task Two_app_instances_on_one_database_deliver_each_of_fifty_mails_exactly_once()
    {
        await using var second = new SmtpAppFactory(mail.Database, Smtp.Port);
        second.Time.SetUtcNow(App.Time.GetUtcNow());
        _ = second.Services;

        var outbox = App.Services.GetRequiredService<Outbox>();
        await using (var connection = await mail.Database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < 50; i++) await outbox.EnqueueAsync(connection, transaction, Mail($"bewoner{i}@test.example"));
            await transaction.CommitAsync();
        }
        second.Services.GetRequiredService<OutboxSignal>().Notify();
        var expected = (await QueryAsync<string>("select message_id from outbox")).ToHashSet();

        await Smtp.WaitForAsync(m => m.Select(x => x.MessageId).Distinct().Count() >= 50, TimeSpan.FromSeconds(90));
        await WaitUntilAsync(async () => await CountAsync("select count(*) from outbox where status = 'verzonden'") == 50);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var marker = await MessageIdAsync(await EnqueueAsync(Mail("daarna@test.example")));
        var messages = await Smtp.WaitForMessageIdAsync(marker);

        var delivered = messages.Where(m => m.MessageId != marker).GroupBy(m => m.MessageId ?? "").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.Order(), delivered.Keys.Order());
        Assert.All(delivered, d => Assert.True(d.Value == 1, $"{d.Key} arrived {d.Value} times"));
        Assert.Equal(50, (await QueryAsync<long>(
            "select count(*) from outbox where attempts = 1 and status = 'verzonden' and message_id <> @marker", new { marker })).Single());
    }

    [Fact]
    public async Task A_broken_mail_does_not_stop_the_others()
    {
        var broken = await EnqueueAsync(Mail("dit is geen adres"));
        var good = await EnqueueAsync(Mail("goed@test.example"));

        await Smtp.WaitForMessageIdAsync(await MessageIdAsync(good));
        var failed = await WaitForRowAsync(broken, r => r.LastError is not null);

        Assert.Equal("mislukt", failed.Status);
        Assert.Contains("klopt niet", failed.LastError);
        Assert.Equal("verzonden", (await WaitForRowAsync(good, r => r.Status == "verzonden")).Status);
        Assert.DoesNotContain(Smtp.Messages(), m => m.To.Mailboxes.Any(a => a.Address.Contains("geen", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task After_the_last_attempt_a_mail_is_mislukt_and_no_longer_tried()
    {
        await Smtp.StopAsync();
        var id = await InsertAsync("pech@test.example", attempts: OutboxSender.MaxAttempts - 1, lockedUntil: null);

        var failed = await WaitForRowAsync(id, r => r.Status != "wachtend");

        Assert.Equal(("mislukt", OutboxSender.MaxAttempts), (failed.Status, failed.Attempts));
        Assert.NotNull(failed.LastError);
        await Smtp.StartAsync();
        App.Time.Advance(TimeSpan.FromHours(3));
        var marker = await MessageIdAsync(await EnqueueAsync(Mail("daarna@test.example")));
        var messages = await Smtp.WaitForMessageIdAsync(marker);
        Assert.Single(messages);
        Assert.Equal("mislukt", (await RowAsync(id)).Status);
    }

    [Fact]
    public async Task A_mail_claimed_by_an_instance_that_died_is_sent_once_its_lease_has_run_out()
    {
        // As if another instance claimed it and then crashed: leased for five more minutes, one attempt counted.
        var id = await InsertAsync("wees@test.example", attempts: 1, lockedUntil: App.Time.GetUtcNow() + TimeSpan.FromMinutes(5));
        var messageId = await MessageIdAsync(id);

        var marker = await MessageIdAsync(await EnqueueAsync(Mail("daarna@test.example")));
        var before = await Smtp.WaitForMessageIdAsync(marker);
        Assert.DoesNotContain(before, m => m.MessageId == messageId);
        Assert.Equal(("wachtend", 1), ((await RowAsync(id)).Status, (await RowAsync(id)).Attempts));

        App.Time.Advance(TimeSpan.FromMinutes(6));
        var after = await Smtp.WaitForMessageIdAsync(messageId);

        Assert.Single(after, m => m.MessageId == messageId);
        var sent = await WaitForRowAsync(id, r => r.Status == "verzonden");
        Assert.Equal(("verzonden", 2), (sent.Status, sent.Attempts));
    }

    private static OutboxMail Mail(string to) =>
        new("test", to, "Bewoner", "Testmail aan " + to, "Tekst voor " + to, "<p>Tekst voor " + to + "</p>");

    private static CalendarSeries Series() => new(
        "reservering-1@buurtcentra.test", 0, "Klaverjassen", "Wekelijkse klaverjasavond", "Grote zaal, Buurtcentrum De Boog",
        "Buurtcentra Utrecht", "noreply@buurtcentra.test", "Truus de Vries", "truus@klaverjas.example",
        new DateTime(2027, 3, 1, 19, 0, 0), TimeSpan.FromHours(2), "FREQ=WEEKLY;COUNT=8", [], [], []);

    private async Task<long> EnqueueAsync(OutboxMail message)
    {
        var outbox = App.Services.GetRequiredService<Outbox>();
        await using var connection = await mail.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await outbox.EnqueueAsync(connection, transaction, message);
        var id = await connection.ExecuteScalarAsync<long>("select max(id) from outbox", transaction: transaction);
        await transaction.CommitAsync();
        return id;
    }

    private sealed record Row(string Status, int Attempts, string? LastError, DateTime NextAttemptAt, DateTime? LockedUntil, DateTime? SentAt);

    private async Task<Row> RowAsync(long id)
    {
        await using var connection = await mail.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Row>(
            "select status, attempts, last_error, next_attempt_at, locked_until, sent_at from outbox where id = @id", new { id });
    }

    private async Task<Row> WaitForRowAsync(long id, Func<Row, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var row = await RowAsync(id);
            if (done(row) || DateTime.UtcNow > deadline) return row;
            await Task.Delay(50);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await done() && DateTime.UtcNow < deadline) await Task.Delay(100);
    }

    private async Task<string> MessageIdAsync(long id) =>
        (await QueryAsync<string>("select message_id from outbox where id = @id", new { id })).Single();

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await mail.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await mail.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    /// <summary>A waiting row in a given state, written in one statement so the sender never sees it otherwise.</summary>
    private async Task<long> InsertAsync(string to, int attempts, DateTimeOffset? lockedUntil)
    {
        await using var connection = await mail.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            insert into outbox (kind, to_address, to_name, subject, text_body, html_body, message_id, attempts, locked_until,
                                next_attempt_at, created_at)
            values ('test', @to, 'Bewoner', 'Testmail', 'Tekst', '<p>Tekst</p>', @messageId, @attempts, @lockedUntil, @now, @now)
            returning id
            """, new { to, messageId = $"{Guid.NewGuid():N}@buurtcentra.test", attempts, lockedUntil, now = App.Time.GetUtcNow() });
    }
}
