using System.Net;
using Buurtcentra.Tests.Support;
using Dapper;
using Npgsql;

namespace Buurtcentra.Tests.Meldingen;

public sealed class OutOfUseTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private sealed record Setup(long CentreId, string Slug, long RoomId, long OtherRoomId, long ReservationId, long MeldingId, long StadsbedrijvenId, long BeheerderId);

    private async Task<Setup> SetupAsync()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Grote zaal", capacity: 40);
        var otherRoomId = await Data.RoomAsync(centreId, "Kleine zaal", capacity: 20);
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centreId, day, new TimeOnly(8, 0), new TimeOnly(23, 0));
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        var reservationId = await ReservationAsync(centreId, roomId, "Buurtkoor", "bevestigd", "2026-12-02 18:00Z", "2026-12-02 20:00Z", "koor@example.org");
        var meldingId = await Data.ScalarAsync<long>("""
            insert into meldingen (centre_id, room_id, category, kind, description, urgency, reporter_name, reporter_email, clock_started_at, due_at, created_at, updated_at)
            values (@centreId, @roomId, 'heel', 'technisch', 'Het plafond lekt boven het podium.', 'spoed', 'Melder', 'melder@example.org', now(), now() + interval '4 hours', now(), now())
            returning id
            """, new { centreId, roomId });
        return new Setup(centreId, slug, roomId, otherRoomId, reservationId, meldingId, await Data.UserAsync("stadsbedrijven"),
            await Data.UserAsync("sociaal_beheerder", centreIds: [centreId]));
    }

    private async Task<long> ReservationAsync(long centreId, long roomId, string activity, string status, string from, string until, string? email)
    {
        var id = await Data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, contact_name, contact_email, activity, category, participants, tariff, status, created_at, updated_at)
            values (@centreId, @roomId, 'Contact Koor', @email, @activity, 'bewonersinitiatief', 15, 'om_niet', @status, now(), now()) returning id
            """, new { centreId, roomId, activity, status, email });
        await InsertOccurrenceAsync(id, roomId, status, from, until);
        return id;
    }

    private async Task InsertOccurrenceAsync(long reservationId, long roomId, string status, string from, string until, NpgsqlConnection? connection = null)
    {
        const string sql = """
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@reservationId, @roomId, (@from::timestamptz at time zone 'Europe/Amsterdam')::date, @from::timestamptz, @until::timestamptz,
                    @from::timestamptz, @until::timestamptz, @status, now())
            """;
        if (connection is not null)
        {
            await connection.ExecuteAsync(sql, new { reservationId, roomId, status, from, until });
            return;
        }
        await using var own = await Fixture.Database.DataSource.OpenConnectionAsync();
        await own.ExecuteAsync(sql, new { reservationId, roomId, status, from, until });
    }

    private async Task<Browser> StaffAsync(long userId)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));
        return browser;
    }

    private static (string, string)[] Period(string from = "2026-12-01", string until = "2026-12-05", string reason = "Lekkage: plafond wordt gerepareerd") =>
        [("OutOfUse.FromDate", from), ("OutOfUse.FromTime", ""), ("OutOfUse.UntilDate", until), ("OutOfUse.UntilTime", ""), ("OutOfUse.Reason", reason)];

    [Fact]
    public async Task Taking_a_room_out_of_use_lists_and_mails_the_bookings_in_it_and_the_database_refuses_new_ones()
    {
        var s = await SetupAsync();
        var stadsbedrijven = await StaffAsync(s.StadsbedrijvenId);
        var page = $"/beheer/meldingen/{s.MeldingId}";
        var form = await stadsbedrijven.GetPageAsync(page);
        Assert.Contains("name=\"OutOfUse.FromDate\"", form);

        var bad = await stadsbedrijven.PostFormAsync(page, $"{page}/buiten-gebruik", Period(from: "2026-12-05", until: "2026-12-01", reason: ""));
        var badBody = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Het einde moet na het begin liggen.", badBody);
        Assert.Contains("Vul de reden in.", badBody);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from room_out_of_use"));

        var done = await stadsbedrijven.PostFormAsync(page, $"{page}/buiten-gebruik", Period());
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var mail = await Data.ScalarAsync<string>("select text_body from outbox where kind = 'buiten_gebruik' and to_address = 'koor@example.org'");
        Assert.Contains("De reden: Lekkage: plafond wordt gerepareerd", mail);
        Assert.Contains("Kleine zaal (hier)", mail);
        var after = await stadsbedrijven.GetPageAsync(page);
        Assert.Contains("Buurtkoor", after);
        Assert.DoesNotContain("Contact Koor", after); // Stadsbedrijven sees no bookers' names
        Assert.Contains("Contact Koor", await (await StaffAsync(s.BeheerderId)).GetPageAsync(page));

        // The database refuses new or approved bookings in the period, requests included; outside it, all is normal.
        var other = await ReservationAsync(s.CentreId, s.OtherRoomId, "Yoga", "bevestigd", "2026-12-03 09:00Z", "2026-12-03 10:00Z", null);
        foreach (var status in new[] { "bevestigd", "aangevraagd" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => InsertOccurrenceAsync(other, s.RoomId, status, "2026-12-03 14:00Z", "2026-12-03 15:00Z"));
            Assert.Equal(PostgresErrorCodes.ExclusionViolation, refused.SqlState);
            Assert.Equal("occurrences_room_out_of_use", refused.ConstraintName);
        }
        await InsertOccurrenceAsync(other, s.RoomId, "bevestigd", "2026-12-06 14:00Z", "2026-12-06 15:00Z");
        var moveIn = await Assert.ThrowsAsync<PostgresException>(() => Data.ScalarAsync<int>(
            "update occurrences set blocked_from = blocked_from - interval '2 days', starts_at = starts_at - interval '2 days', ends_at = ends_at - interval '2 days', blocked_until = blocked_until - interval '2 days' where reservation_id = @other and room_id = @room returning 1",
            new { other, room = s.RoomId }));
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, moveIn.SqlState);
        // The existing booking stays; touching it or cancelling it is fine.
        await Data.ScalarAsync<int>("update occurrences set updated_at = now() where reservation_id = @id returning 1", new { id = s.ReservationId });
        await Data.ScalarAsync<int>("update occurrences set status = 'geannuleerd' where reservation_id = @id returning 1", new { id = s.ReservationId });
        Assert.Equal(HttpStatusCode.NotFound, (await (await StaffAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [await Data.CentreAsync()])))
            .Client.GetAsync(page)).StatusCode);
    }

    [Fact]
    public async Task Approving_a_request_in_the_period_is_refused_and_the_booking_form_answers_without_an_error_page()
    {
        var s = await SetupAsync();
        var pending = await ReservationAsync(s.CentreId, s.RoomId, "Kaartclub", "aangevraagd", "2026-12-04 18:00Z", "2026-12-04 20:00Z", "kaart@example.org");
        var stadsbedrijven = await StaffAsync(s.StadsbedrijvenId);
        var page = $"/beheer/meldingen/{s.MeldingId}";
        await stadsbedrijven.PostFormAsync(page, $"{page}/buiten-gebruik", Period());
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from outbox where kind = 'buiten_gebruik'"));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => Data.ScalarAsync<int>(
            "update occurrences set status = 'bevestigd' where reservation_id = @pending returning 1", new { pending }));
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, refused.SqlState);

        var beheerder = await StaffAsync(s.BeheerderId);
        var booking = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw",
            ("centrum", s.Slug), ("RoomId", s.RoomId.ToString()), ("Date", "2026-12-03"), ("StartTime", "10:00"), ("EndTime", "11:00"),
            ("Repeat", "eenmalig"), ("EndsBy", "datum"), ("Activity", "Overleg"), ("Category", "bewonersinitiatief"), ("Participants", "5"),
            ("ContactName", "Beheer"), ("ContactEmail", "beheer@example.org"), ("actie", "versturen"));
        Assert.Equal(HttpStatusCode.OK, booking.StatusCode);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from reservations where activity = 'Overleg'"));
    }

    [Fact]
    public async Task A_booking_that_waited_for_the_out_of_use_transaction_is_refused_after_it_commits()
    {
        var s = await SetupAsync();
        var other = await ReservationAsync(s.CentreId, s.OtherRoomId, "Yoga", "bevestigd", "2026-12-03 09:00Z", "2026-12-03 10:00Z", null);
        await using var first = await Fixture.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await first.BeginTransactionAsync();
        await first.ExecuteAsync("select id from rooms where id = @id for update", new { id = s.RoomId }, transaction);
        await first.ExecuteAsync("""
            insert into room_out_of_use (room_id, starts_at, ends_at, reason, created_at) values (@id, '2026-12-01', '2026-12-05', 'Test', now())
            """, new { id = s.RoomId }, transaction);

        await using var second = await Fixture.Database.DataSource.OpenConnectionAsync();
        var pid = second.ProcessID;
        var insert = InsertOccurrenceAsync(other, s.RoomId, "bevestigd", "2026-12-03 14:00Z", "2026-12-03 15:00Z", second);
        // Wait until the booking really waits for the room's lock, then commit the out-of-use period.
        var waited = false;
        for (var i = 0; i < 200 && !waited; i++)
        {
            waited = await Data.ScalarAsync<string?>("select wait_event_type from pg_stat_activity where pid = @pid", new { pid }) == "Lock";
            if (!waited) await Task.Delay(50);
        }
        Assert.True(waited, "the booking waits for the room row lock");
        await transaction.CommitAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(() => insert);
        Assert.Equal("occurrences_room_out_of_use", refused.ConstraintName);
    }
}
