using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Buurtcentra.Tests.Support;
using Dapper;

namespace Buurtcentra.Tests.Faults;

/// <summary>
/// PostgreSQL goes away in the middle of a booking loop and comes back, on a throwaway cluster of this test's own
/// (<see cref="ThrowawayPostgres"/>). Each booking is one transaction: it is there completely or not at all, and the
/// app recovers without a restart of its own.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class DatabaseRestartTests
{
    private sealed record Attempt(int Number, HttpStatusCode? Status, long? ReservationId);

    private sealed record Stored(long Id, int Occurrences, int Events, int Mails);

    [Fact]
    public async Task A_postgresql_restart_during_a_booking_loop_leaves_no_partial_booking_and_readiness_comes_back_by_itself()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        await using var database = await TestDatabase.CreateAsync("buurtcentra_restart", postgres.ServerConnectionString);
        var data = new TestData(database.DataSource);
        var centre = await data.CentreAsync("De Boog");
        var room = await data.RoomAsync(centre, "Grote zaal", capacity: 40);
        for (var day = 1; day <= 7; day++) await data.OpeningHoursAsync(centre, day, new TimeOnly(9, 0), new TimeOnly(23, 0));
        var email = await data.EmailOfAsync(await data.UserAsync("sociaal_beheerder", centreIds: [centre]));

        await using var app = new InstanceFactory(database, new Dictionary<string, string?>
        {
            // The outage makes every layer complain; the test checks the outcome instead.
            ["Logging:LogLevel:Default"] = "None", ["Logging:LogLevel:Microsoft.AspNetCore"] = "None",
        }).Started();
        var beheerder = new Browser(app);
        await beheerder.SignInAsync(email);
        var health = app.CreateClient();

        // Four clients book one distinct slot each, one after another, until told to stop.
        var attempts = new ConcurrentQueue<Attempt>();
        var next = -1;
        using var stop = new CancellationTokenSource();
        async Task BookAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                // Two hours apart: the room's clean-up time (15 minutes) keeps one hour's booking from touching the next.
                var date = new DateOnly(2027, 1, 4).AddDays(n / 7);
                var hour = 9 + 2 * (n % 7);
                try
                {
                    using var response = await beheerder.Client.PostAsJsonAsync("/api/v1/reservations", new
                    {
                        roomId = room, start = $"{date:yyyy-MM-dd}T{hour:00}:00", end = $"{date:yyyy-MM-dd}T{hour + 1:00}:00",
                        activity = $"Boeking {n}", participants = 10, contactName = "Henk", contactEmail = $"henk{n}@test.example",
                    });
                    long? id = response.StatusCode == HttpStatusCode.Created ? long.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]) : null;
                    attempts.Enqueue(new Attempt(n, response.StatusCode, id));
                }
                catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or Npgsql.NpgsqlException
                                              or System.Net.Sockets.SocketException or TaskCanceledException)
                {
                    // The test server passes on what the app could not answer at all.
                    attempts.Enqueue(new Attempt(n, null, null));
                }
            }
        }
        int Booked() => attempts.Count(a => a.Status == HttpStatusCode.Created);
        int Failed() => attempts.Count(a => a.Status != HttpStatusCode.Created);
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(BookAsync)).ToArray();
        try
        {
            await Poll.UntilAsync(() => Booked() >= 20, "bookings before the outage");
            Assert.True(Failed() == 0, string.Join(", ", attempts.Where(a => a.Status != HttpStatusCode.Created).Select(a => $"{a.Number}: {a.Status}")));

            await postgres.StopAsync();
            await Poll.UntilAsync(() => Failed() >= 8, "bookings failing while the database is away");
            await Poll.UntilAsync(async () => (await health.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
                "readiness reports the outage");
            Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/healthz/live")).StatusCode);

            await postgres.StartAgainAsync();
            var bookedBefore = Booked();
            await Poll.UntilAsync(async () => (await health.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK,
                "readiness back without restarting the app", TimeSpan.FromSeconds(90));
            await Poll.UntilAsync(() => Booked() >= bookedBefore + 20, "bookings after the outage", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        var all = attempts.ToList();
        // Every slot was booked once at most: a conflict would mean a booking was written although its request failed
        // and was not repeated, or written twice.
        Assert.DoesNotContain(all, a => a.Status == HttpStatusCode.Conflict);
        // The test's own pool still holds connections from before the restart.
        database.DataSource.Clear();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var stored = (await connection.QueryAsync<Stored>("""
            select r.id,
                   (select count(*)::int from occurrences o where o.reservation_id = r.id) as occurrences,
                   (select count(*)::int from reservation_events e where e.reservation_id = r.id) as events,
                   (select count(*)::int from outbox m where m.reservation_id = r.id) as mails
            from reservations r order by r.id
            """)).ToList();
        var booked = all.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.ReservationId!.Value).ToHashSet();
        Assert.Subset(stored.Select(s => s.Id).ToHashSet(), booked);
        // A failed request may still have committed (the answer was lost): then it is there completely, like the others.
        Assert.True(stored.Count - booked.Count <= all.Count - booked.Count, $"{stored.Count} stored, {booked.Count} answered as booked");
        var complete = stored.First(s => booked.Contains(s.Id));
        Assert.True(complete is { Occurrences: 1, Events: > 0, Mails: > 0 }, $"a booking: {complete}");
        Assert.All(stored, s => Assert.Equal(complete with { Id = s.Id }, s));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("""
            select count(*)::int from occurrences a
            join occurrences b on b.room_id = a.room_id and b.id > a.id and b.blocked && a.blocked
            where a.status in ('aangevraagd', 'bevestigd') and b.status in ('aangevraagd', 'bevestigd')
            """));
    }
}
