using System.Net;
using System.Net.Http.Json;
using Buurtcentra.Tests.Planning.Board;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Meldingen;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Buurtcentra.Tests.Faults;

/// <summary>
/// Two app instances on one database, as behind a load balancer: the database keeps the invariants, the outbox is
/// shared with SKIP LOCKED, and background work is claimed once.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class TwoInstancesTests(FaultsFixture faults) : IClassFixture<FaultsFixture>, IAsyncLifetime
{
    private TestData Data => faults.Data;

    public Task InitializeAsync() => faults.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Conflicting_bookings_fired_at_both_instances_at_once_give_one_winner_per_slot_no_overlap_and_each_mail_once()
    {
        var centre = await Data.CentreAsync("De Boog");
        var room = await Data.RoomAsync(centre, "Grote zaal", capacity: 40);
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centre, day, new TimeOnly(9, 0), new TimeOnly(23, 0));
        var email = await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centre]));
        await using var first = faults.Instance().Started();
        await using var second = faults.Instance().Started();
        Browser[] instances = [new Browser(first), new Browser(second)];
        foreach (var browser in instances) await browser.SignInAsync(email);

        // 31 rounds of 20 requests, half to each instance, all at once; every two requests of a round overlap.
        const int rounds = 31, perRound = 20;
        for (var round = 0; round < rounds; round++)
        {
            var date = new DateOnly(2027, 3, 1).AddDays(round);
            var responses = await Task.WhenAll(Enumerable.Range(0, perRound).Select(k =>
            {
                var start = new TimeOnly(18, 0).AddMinutes(5 * k);
                return instances[k % 2].Client.PostAsJsonAsync("/api/v1/reservations", new
                {
                    roomId = room, start = $"{date:yyyy-MM-dd}T{start:HH:mm}", end = $"{date:yyyy-MM-dd}T{start.AddMinutes(135):HH:mm}",
                    activity = $"Ronde {round} verzoek {k}", participants = 15, contactName = "Henk", contactEmail = $"henk.{round}.{k}@test.example",
                });
            }));
            var statuses = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.True(statuses.Count(s => s == 201) == 1 && statuses.Count(s => s == 409) == perRound - 1,
                $"Round {round}: {string.Join(", ", statuses)}");
        }

        Assert.Equal(rounds, await Data.ScalarAsync<int>("select count(*)::int from occurrences where status = 'bevestigd'"));
        Assert.Equal(rounds, await Data.ScalarAsync<int>("select count(distinct series_date)::int from occurrences"));
        Assert.Equal(0, await Data.ScalarAsync<int>("""
            select count(*)::int from occurrences a
            join occurrences b on b.room_id = a.room_id and b.id > a.id and b.blocked && a.blocked
            where a.status in ('aangevraagd', 'bevestigd') and b.status in ('aangevraagd', 'bevestigd')
            """));

        // The winners' confirmation mails, written by either instance, are sent by both senders together: each once.
        var expected = (await QueryAsync<string>("select message_id from outbox")).ToHashSet();
        Assert.True(expected.Count >= rounds, $"{expected.Count} mails for {rounds} bookings");
        await Poll.UntilAsync(async () => await Data.ScalarAsync<long>("select count(*) from outbox where status <> 'verzonden'") == 0,
            "every mail sent");
        var messages = await faults.Smtp.WaitForAsync(m => m.Count >= expected.Count);
        Assert.Equal(expected.Order(), messages.Select(m => m.MessageId).Order());
        Assert.Equal(expected.Count, await Data.ScalarAsync<long>("select count(*) from outbox where attempts = 1"));
    }

    [Fact]
    public async Task The_daily_digest_goes_out_once_per_centre_when_both_instances_run_it_at_once()
    {
        var smo = await Data.OrganisationAsync("Vooruit");
        await Data.UserAsync("smo_coordinator", smo, email: "coordinator@vooruit.example");
        long[] centres = [await Data.CentreAsync("De Boog", smo), await Data.CentreAsync("Hart van Hoograven", smo), await Data.CentreAsync("De Beatrix", smo)];
        foreach (var centre in centres)
        {
            await Data.ScalarAsync<long>("""
                insert into meldingen (centre_id, category, kind, description, urgency, status, reporter_name, reporter_email,
                                       clock_started_at, due_at, created_at, updated_at)
                values (@centre, 'heel', 'technisch', 'De deur klemt', 'normaal', 'nieuw', 'Truus', 'truus@example.org', now(), now() + interval '2 days', now(), now())
                returning id
                """, new { centre });
        }
        await using var first = faults.Instance().Started();
        await using var second = faults.Instance().Started();

        // The handler the background service calls, run by both instances at the same moment (10:00 in Utrecht), twice.
        var outcomes = await Task.WhenAll(new[] { first, second, first, second }.Select(instance => Task.Run(async () =>
        {
            await using var scope = instance.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<MeldingDigestHandler>().RunAsync();
        })));

        Assert.Equal(centres.Length, outcomes.Sum(o => o.Centres));
        Assert.Equal(centres.Length, await Data.ScalarAsync<int>("select count(*)::int from melding_digests"));
        Assert.Equal(centres.Length, outcomes.Sum(o => o.Mails));
        Assert.Equal(centres.Length, await Data.ScalarAsync<int>("select count(*)::int from outbox where kind = 'melding_dagoverzicht'"));
    }

    [Fact]
    public async Task Queued_planning_runs_are_each_run_once_by_the_workers_of_two_instances()
    {
        var seed = new PlanningSeed(faults.Database.DataSource);
        var rounds = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var centre = await Data.CentreAsync($"Buurtcentrum Reken {i}");
            await seed.OpenAllWeekAsync(centre);
            var zaal = await Data.RoomAsync(centre, "Zaal 1", capacity: 40);
            var round = await seed.RoundAsync([centre], name: $"Seizoen 2027 ({i})");
            await seed.PolicyAsync(round);
            await seed.WishAsync(round, centre, "Koor", "Zangvereniging", [new(zaal, 2, "19:00")], "huiskamer", participants: 30, email: $"koor{i}@test.example");
            await seed.WishAsync(round, centre, "Schaak", "Schaakclub", [new(zaal, 2, "19:00"), new(zaal, 3, "19:00")], participants: 12, email: $"schaak{i}@test.example");
            await Data.ScalarAsync<long>("""
                insert into planning_runs (round_id, status, method, progress_note, created_at)
                values (@round, 'wachtend', 'volgorde', 'De berekening staat klaar om te beginnen.', now()) returning id
                """, new { round });
            rounds.Add(round);
        }

        await using var first = faults.Instance().Started();
        await using var second = faults.Instance().Started();

        await Poll.UntilAsync(async () => await Data.ScalarAsync<long>("select count(*) from planning_runs where status in ('wachtend', 'bezig')") == 0,
            "every planning run finished");
        var runs = (await QueryAsync<(long RoundId, string Status, long? ProposalId, string? Error)>(
            "select round_id, status, proposal_id, error from planning_runs order by round_id")).ToList();
        Assert.All(runs, r => Assert.True(r is { Status: "klaar", ProposalId: not null }, $"round {r.RoundId}: {r.Status} {r.Error}"));
        Assert.Equal(rounds.Order(), runs.Select(r => r.RoundId));
        var proposals = await QueryAsync<(long RoundId, int Count)>(
            "select round_id, count(*)::int from planning_proposals group by round_id order by round_id");
        Assert.Equal(rounds.Order().Select(r => (r, 1)), proposals);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await faults.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }
}
