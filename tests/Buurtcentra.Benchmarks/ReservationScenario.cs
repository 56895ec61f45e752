using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Buurtcentra.Web.Features.Reservations;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Mail;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Buurtcentra.Benchmarks;

/// <summary>A free 45-minute slot in a room of the demo beheerder: one reservation, one occurrence.</summary>
internal sealed record Slot(long RoomId, long CentreId, DateOnly Date, TimeOnly Start, TimeOnly End, int SetupMinutes, int CleanupMinutes)
{
    public DateTime StartUtc => AmsterdamTime.ToUtc(Date, Start)!.Value.UtcDateTime;
    public DateTime EndUtc => AmsterdamTime.ToUtc(Date, End)!.Value.UtcDateTime;
    public DateTime BlockedFromUtc => StartUtc.AddMinutes(-SetupMinutes);
    public DateTime BlockedUntilUtc => EndUtc.AddMinutes(CleanupMinutes);
}

internal sealed record ThroughputResult(int Count, double PerSecond, Stats Latency, IReadOnlyDictionary<int, int> Statuses, string? FirstError,
    double DbCommandsPerRequest, Cpu Cpu, Stats? Server = null);

/// <summary>
/// Reservations created per second: 16 clients POST /api/v1/reservations over the loopback socket with the demo
/// beheerder's API token (beheerder.hoograven manages Hart van Hoograven and De Boog, so each POST is a direct, confirmed
/// booking with a confirmation mail in the outbox), each to a distinct free slot: no request should meet a conflict.
/// Then the same inserts as raw SQL with 16 connections. The rows it made are deleted before and after.
/// </summary>
internal sealed class ReservationScenario(BenchApp app, Probe probe, NpgsqlDataSource raw, DataSet data, DateOnly today)
{
    public const string Activity = "Benchmark-reservering";
    private const string Beheerder = "beheerder.hoograven@vooruit.example";
    private const int Clients = 16;

    /// <returns>16 clients over HTTP; one client over HTTP (the cost of one request without queueing); raw SQL, 16 connections.</returns>
    public async Task<(ThroughputResult Http, ThroughputResult Single, ThroughputResult Raw)> RunAsync(int warmup, int count, int single)
    {
        await CleanUpAsync();
        var slots = await FreeSlotsAsync(2 * (warmup + count) + single + 20);
        var http = await HttpAsync(slots.Take(warmup + count).ToList(), warmup, Clients, "reservations");
        var one = await HttpAsync(slots.Skip(warmup + count).Take(single + 20).ToList(), 20, 1, "reservation");
        var sample = await SampleAsync();
        var rawResult = await RawAsync(slots.Skip(warmup + count + single + 20).ToList(), warmup, sample);
        await CleanUpAsync();
        return (http, one, rawResult);
    }

    private async Task CleanUpAsync()
    {
        await using var connection = await raw.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            delete from outbox where reservation_id in (select id from reservations where activity = @Activity);
            delete from reservations where activity = @Activity;
            """, new { Activity }, commandTimeout: 300);
    }

    /// <summary>
    /// Weekdays after the generated period and within the centres' booking horizon, every hour 09:00–21:00 a 45-minute
    /// slot (clean-up 15 minutes: the next one starts at the hour), inside the opening hours, not on a closure day and
    /// not overlapping anything confirmed. Ordered date, hour, room: consecutive requests go to different rooms.
    /// </summary>
    private async Task<List<Slot>> FreeSlotsAsync(int needed)
    {
        await using var connection = await raw.OpenConnectionAsync();
        var rooms = (await connection.QueryAsync<(long Id, long CentreId, int SetupMinutes, int CleanupMinutes, int Capacity, int HorizonDays)>("""
            select r.id, r.centre_id, r.setup_minutes, r.cleanup_minutes, r.capacity, c.horizon_days
            from rooms r join centres c on c.id = r.centre_id
            join user_centres uc on uc.centre_id = c.id join users u on u.id = uc.user_id
            where lower(u.email) = @Beheerder and r.active and c.active and r.min_minutes <= 45 and r.max_minutes >= 45
            order by r.id
            """, new { Beheerder })).Where(r => r.SetupMinutes + r.CleanupMinutes <= 15 && r.Capacity >= 3).ToList();
        var first = new[] { today.AddDays(1), data.LastDay.AddDays(1) }.Max();
        var last = today.AddDays(rooms.Min(r => r.HorizonDays));
        var centreIds = rooms.Select(r => r.CentreId).Distinct().ToArray();
        var hours = (await connection.QueryAsync<(long CentreId, int Weekday, TimeOnly OpensAt, TimeOnly ClosesAt)>(
            "select centre_id, weekday::int, opens_at, closes_at from opening_hours where centre_id = any(@centreIds)", new { centreIds })).ToList();
        var closures = (await connection.QueryAsync<(long? CentreId, DateOnly StartsOn, DateOnly EndsOn)>(
            "select centre_id, starts_on, ends_on from closure_days where ends_on >= @first and starts_on <= @last", new { first, last })).ToList();
        var busy = (await connection.QueryAsync<(long RoomId, DateTime BlockedFrom, DateTime BlockedUntil)>("""
            select room_id, blocked_from, blocked_until from occurrences
            where status = 'bevestigd' and room_id = any(@roomIds) and blocked_until > @from and blocked_from < @to
            """, new
        {
            roomIds = rooms.Select(r => r.Id).ToArray(),
            from = AmsterdamTime.ToUtc(first, TimeOnly.MinValue)!.Value.UtcDateTime,
            to = AmsterdamTime.ToUtc(last.AddDays(1), TimeOnly.MinValue)!.Value.UtcDateTime,
        })).ToLookup(b => b.RoomId);

        var slots = new List<Slot>();
        for (var date = first; date <= last && slots.Count < needed; date = date.AddDays(1))
        {
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            var weekday = (int)date.DayOfWeek;
            for (var hour = 9; hour <= 21; hour++)
            {
                foreach (var room in rooms)
                {
                    var slot = new Slot(room.Id, room.CentreId, date, new TimeOnly(hour, 0), new TimeOnly(hour, 45), room.SetupMinutes, room.CleanupMinutes);
                    if (!hours.Any(h => h.CentreId == room.CentreId && h.Weekday == weekday && h.OpensAt <= slot.Start && slot.End <= h.ClosesAt)) continue;
                    if (closures.Any(c => (c.CentreId is null || c.CentreId == room.CentreId) && c.StartsOn <= date && date <= c.EndsOn)) continue;
                    if (busy[room.Id].Any(b => b.BlockedFrom < slot.BlockedUntilUtc && slot.BlockedFromUtc < b.BlockedUntil)) continue;
                    slots.Add(slot);
                }
            }
        }
        if (slots.Count < needed)
        {
            throw new InvalidOperationException($"Only {slots.Count} free slots between {first} and {last}; the reservation scenario needs {needed}.");
        }
        return slots;
    }

    private static string Body(Slot slot) => JsonSerializer.Serialize(new
    {
        roomId = slot.RoomId,
        start = $"{slot.Date:yyyy-MM-dd}T{slot.Start:HH\\:mm}",
        end = $"{slot.Date:yyyy-MM-dd}T{slot.End:HH\\:mm}",
        activity = Activity,
        participants = 3,
        contactName = "Bente Bewoner",
        contactEmail = "bente@bewoners.example",
    });

    private async Task<ThroughputResult> HttpAsync(IReadOnlyList<Slot> slots, int warmup, int clientCount, string tag)
    {
        var clients = Enumerable.Range(0, clientCount).Select(_ =>
        {
            var client = app.CreateSocketClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoData.ApiToken);
            return client;
        }).ToArray();
        var bodies = slots.Select(Body).ToArray();
        var statuses = new ConcurrentDictionary<int, int>();
        string? firstError = null;

        async Task PostAsync(int worker, int index)
        {
            using var content = new StringContent(bodies[index], Encoding.UTF8, "application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reservations") { Content = content };
            request.Headers.Add(ServerTimings.Header, index < warmup ? tag + "-warmup" : tag);
            using var response = await clients[worker].SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (index < warmup) return;
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if ((int)response.StatusCode != 201) Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode}: {text[..Math.Min(400, text.Length)]}", null);
        }

        double commandsPerRequest;
        using (var counter = new DbCommandCounter(tag))
        {
            await Measure.ConcurrentAsync(warmup, clientCount, PostAsync);
            commandsPerRequest = (double)counter.Count / warmup;
        }
        await app.Timings.TakeAsync(tag + "-warmup", warmup);
        var measured = slots.Count - warmup;
        var cpu = await probe.StartAsync();
        var (timings, elapsed) = await Measure.ConcurrentAsync(measured, clientCount, (worker, i) => PostAsync(worker, warmup + i));
        var (process, postgres) = await cpu.PerOperationAsync(measured);
        var server = await app.Timings.TakeAsync(tag, measured);
        foreach (var client in clients) client.Dispose();
        return new ThroughputResult(measured, measured / elapsed.TotalSeconds, Stats.Of(timings), statuses, firstError, commandsPerRequest,
            new Cpu(process, postgres), Stats.Of(server));
    }

    /// <summary>What the app wrote for one booking: the reservation's user and tariff and its confirmation mail (bodies, calendar).</summary>
    private sealed record Sample(long? CreatedByUserId, string Tariff, int RateCents, string ToAddress, string ToName, string Subject,
        string TextBody, string HtmlBody, string? CalendarMethod, string? CalendarIcs, string ActorName);

    private async Task<Sample> SampleAsync()
    {
        await using var connection = await raw.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Sample>("""
            select r.created_by_user_id, r.tariff, r.rate_cents, m.to_address, m.to_name, m.subject, m.text_body, m.html_body,
                   m.calendar_method, m.calendar_ics, e.actor_name
            from reservations r
            join outbox m on m.reservation_id = r.id
            join reservation_events e on e.reservation_id = r.id
            where r.activity = @Activity
            order by r.id desc limit 1
            """, new { Activity });
    }

    /// <summary>
    /// The inserts of one direct booking with the app's own statements (RequestReservationHandler's SQL,
    /// Occurrences.InsertAsync, Outbox.EnqueueAsync): reservation, facilities/skipped dates/event, occurrence, outbox mail,
    /// in one transaction. Without the reads the
    /// request also does (token, room, access, schedule, conflicts, tariff, details twice).
    /// </summary>
    private async Task<ThroughputResult> RawAsync(IReadOnlyList<Slot> slots, int warmup, Sample sample)
    {
        var failures = new ConcurrentDictionary<int, int>();
        string? firstError = null;
        var outbox = app.Services.GetRequiredService<Outbox>();

        async Task InsertAsync(int worker, int index)
        {
            var slot = slots[index];
            var now = DateTime.UtcNow;
            try
            {
                await using var connection = await raw.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                var reservationId = await connection.ExecuteScalarAsync<long>(RequestReservationHandler.InsertReservationSql, new
                {
                    centreId = slot.CentreId, roomId = slot.RoomId, organisationId = (long?)null, requesterUserId = (long?)null,
                    createdBy = sample.CreatedByUserId, ContactName = "Bente Bewoner", ContactEmail = "bente@bewoners.example",
                    ContactPhone = (string?)null, Activity, Category = "bewonersinitiatief", Participants = 3, targetGroups = Array.Empty<string>(),
                    NeedsKey = false, IsPublic = false, StrengthensCentre = (string?)null, Remarks = (string?)null,
                    tariffCode = sample.Tariff, rateCents = sample.RateCents, Wederdienst = (string?)null, status = "bevestigd",
                    recurrence = (string?)null, tokenHash = (byte[]?)null, now,
                }, transaction);

                await connection.ExecuteAsync(RequestReservationHandler.InsertDetailsSql, new
                {
                    reservationId, codes = Array.Empty<string>(), skippedDates = Array.Empty<DateOnly>(), skippedReasons = Array.Empty<string>(),
                    now, actorId = sample.CreatedByUserId, actorName = sample.ActorName, kind = "geboekt",
                }, transaction);

                await Occurrences.InsertAsync(connection, transaction, reservationId, slot.RoomId,
                    [new PlannedOccurrence(slot.Date, slot.StartUtc, slot.EndUtc, slot.BlockedFromUtc, slot.BlockedUntilUtc)], "bevestigd", now);
                await outbox.EnqueueAsync(connection, transaction,
                    new OutboxMail("bevestigd", sample.ToAddress, sample.ToName, sample.Subject, sample.TextBody, sample.HtmlBody)
                    {
                        CentreId = slot.CentreId,
                        ReservationId = reservationId,
                        Calendar = sample.CalendarMethod is null ? null : new CalendarAttachment(sample.CalendarMethod, sample.CalendarIcs!),
                    });
                await transaction.CommitAsync();
            }
            catch (PostgresException e) when (index >= warmup)
            {
                failures.AddOrUpdate(0, 1, (_, n) => n + 1);
                Interlocked.CompareExchange(ref firstError, e.MessageText, null);
            }
        }

        double commandsPerRequest;
        using (var counter = new DbCommandCounter("raw inserts"))
        {
            await Measure.ConcurrentAsync(warmup, Clients, InsertAsync);
            commandsPerRequest = (double)counter.Count / warmup;
        }
        var measured = slots.Count - warmup;
        var cpu = await probe.StartAsync();
        var (timings, elapsed) = await Measure.ConcurrentAsync(measured, Clients, (worker, i) => InsertAsync(worker, warmup + i));
        var (process, postgres) = await cpu.PerOperationAsync(measured);
        return new ThroughputResult(measured, measured / elapsed.TotalSeconds, Stats.Of(timings), failures, firstError, commandsPerRequest,
            new Cpu(process, postgres));
    }
}
