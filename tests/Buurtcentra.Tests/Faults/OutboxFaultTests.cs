using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Mail;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Buurtcentra.Tests.Faults;

/// <summary>
/// The outbox under faults, with a real SMTP server and two app instances: a server that refuses and then accepts,
/// an instance that dies in the middle of sending, a hand-off that takes longer than the lease.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class OutboxFaultTests(FaultsFixture faults) : IClassFixture<FaultsFixture>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> OneMinuteLease = new() { ["Mail:LeaseSeconds"] = "60" };

    public Task InitializeAsync() => faults.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Mails_queued_while_the_smtp_server_refuses_are_each_delivered_once_when_it_accepts_again()
    {
        await faults.Smtp.StopAsync();
        await using var first = faults.Instance().Started();
        await using var second = faults.Instance().Started();
        var expected = await EnqueueAsync(first, 40, "geduld");

        // Both senders try every mail while the server refuses: each waits for its next attempt, none is given up.
        await Poll.UntilAsync(async () => await CountAsync("attempts >= 1 and last_error is not null and locked_until is null") == 40,
            "every mail tried while the server refuses");
        Assert.Equal(40, await CountAsync("status = 'wachtend' and last_error like '%niet bereikbaar%'"));

        await faults.Smtp.StartAsync();
        foreach (var instance in new[] { first, second }) instance.Time.Advance(OutboxSender.BackOff(1) + TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(async () => await CountAsync("status = 'verzonden'") == 40, "every mail sent once the server accepts");

        // Time moves on and a later mail goes out last: any second copy would have arrived before it.
        foreach (var instance in new[] { first, second }) instance.Time.Advance(TimeSpan.FromHours(2));
        var marker = (await EnqueueAsync(second, 1, "daarna")).Single();
        var messages = await faults.Smtp.WaitForMessageIdAsync(marker);
        Assert.Equal(expected.Append(marker).Order(), messages.Select(m => m.MessageId).Order());
    }

    [Fact]
    public async Task Mails_claimed_by_an_instance_that_dies_while_sending_are_delivered_once_by_another_after_the_lease()
    {
        var dying = new StuckMailer();
        await using var doomed = faults.Instance(OneMinuteLease, services: s =>
        {
            s.RemoveAll<IMailer>();
            s.AddSingleton<IMailer>(dying);
        }).Started();
        try
        {
            var expected = await EnqueueAsync(doomed, 8, "wees");
            // It claims a batch of five and hangs in the hand-off of the first. From here on its clock stands still, so its
            // heartbeat never beats again: to the database it is exactly like a process that was killed.
            await dying.Entered.WaitAsync(TimeSpan.FromSeconds(30));
            var claimed = (await QueryAsync<string>("select message_id from outbox where locked_until is not null and attempts = 1")).ToHashSet();
            Assert.Equal(5, claimed.Count);

            await using var survivor = faults.Instance(OneMinuteLease).Started(doomed.Time.GetUtcNow());
            // The three it did not claim go out at once; the five stay leased to the dead instance.
            await Poll.UntilAsync(async () => await CountAsync("status = 'verzonden'") == 3, "the unclaimed mails sent");
            Assert.DoesNotContain(faults.Smtp.Messages(), m => claimed.Contains(m.MessageId ?? ""));
            Assert.Equal(5, await CountAsync("status = 'wachtend' and attempts = 1 and locked_until is not null"));

            survivor.Time.Advance(TimeSpan.FromSeconds(61));
            await Poll.UntilAsync(async () => await CountAsync("status = 'verzonden'") == 8, "the dead instance's mails sent after its lease");
            var messages = await faults.Smtp.WaitForAsync(m => m.Count >= 8);
            Assert.Equal(expected.Order(), messages.Select(m => m.MessageId).Order());
            Assert.Equal(5, await CountAsync("attempts = 2"));

            // Should the dead instance wake up after all, its late answer changes nothing: the rows are no longer its own.
            // (Stopping it waits until its sender has finished the round.)
            dying.Release(new IOException("The connection was reset."));
            await doomed.DisposeAsync();
            Assert.Equal(1, dying.Calls);
            Assert.Equal(8, await CountAsync("status = 'verzonden' and last_error is null"));
            Assert.Equal(8, faults.Smtp.Messages().Count);
        }
        finally
        {
            dying.Release(new IOException("The test is over."));
        }
    }

    [Fact]
    public async Task While_a_hand_off_takes_longer_than_the_lease_the_heartbeat_keeps_it_so_no_other_instance_sends_it_too()
    {
        var slow = new StuckMailer();
        await using var busy = faults.Instance(OneMinuteLease, services: s =>
        {
            s.RemoveAll<IMailer>();
            s.AddSingleton<IMailer>(slow);
        }).Started();
        try
        {
            await EnqueueAsync(busy, 2, "traag");
            await slow.Entered.WaitAsync(TimeSpan.FromSeconds(30));
            await using var other = faults.Instance(OneMinuteLease).Started(busy.Time.GetUtcNow());

            // Three leases long, in steps smaller than a lease; after each step the heartbeat has renewed both rows.
            for (var step = 0; step < 9; step++)
            {
                busy.Time.Advance(TimeSpan.FromSeconds(20));
                other.Time.Advance(TimeSpan.FromSeconds(20));
                var renewedBeyond = busy.Time.GetUtcNow() + TimeSpan.FromSeconds(45);
                await Poll.UntilAsync(async () => await CountAsync("locked_until >= @renewedBeyond", new { renewedBeyond }) == 2,
                    $"the heartbeat renewed the lease (step {step})");
            }
            Assert.Equal(2, await CountAsync("status = 'wachtend' and attempts = 1"));
            Assert.Empty(faults.Smtp.Messages());

            slow.Release(null);
            await Poll.UntilAsync(async () => await CountAsync("status = 'verzonden'") == 2, "both mails handed over");
            Assert.Equal(2, await CountAsync("attempts = 1 and locked_until is null"));
            Assert.Empty(faults.Smtp.Messages());
        }
        finally
        {
            slow.Release(null);
        }
    }

    /// <summary>
    /// A mail transport that hangs in the hand-off until released, deaf to time-outs (a process that is gone does not
    /// time out); released with an exception it fails, without one it counts as accepted.
    /// </summary>
    private sealed class StuckMailer : IMailer
    {
        private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<Exception?> released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int calls;

        public Task Entered => entered.Task;
        public int Calls => Volatile.Read(ref calls);

        public void Release(Exception? error) => released.TrySetResult(error);

        public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref calls);
            entered.TrySetResult();
            if (await released.Task is { } error) throw error;
        }
    }

    /// <returns>The Message-IDs of the mails, written in one transaction through the instance's outbox.</returns>
    private async Task<IReadOnlyList<string>> EnqueueAsync(AppFactory instance, int count, string prefix)
    {
        var outbox = instance.Services.GetRequiredService<Outbox>();
        await using var connection = await faults.Database.DataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < count; i++)
            {
                var to = $"{prefix}{i}@test.example";
                await outbox.EnqueueAsync(connection, transaction, new OutboxMail("test", to, "Bewoner", "Testmail aan " + to, "Tekst", "<p>Tekst</p>"));
            }
            await transaction.CommitAsync();
        }
        return (await connection.QueryAsync<string>("select message_id from outbox where to_address like @prefix || '%' order by id", new { prefix })).ToList();
    }

    private async Task<long> CountAsync(string where, object? parameters = null)
    {
        await using var connection = await faults.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"select count(*) from outbox where {where}", parameters);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await faults.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
