using System.Net;
using Buurtcentra.Web.Features.Feeds;
using Dapper;

namespace Buurtcentra.Tests.Feeds;

public sealed partial class FeedTests
{
    [Fact]
    public async Task An_independent_parser_expands_exactly_the_occurrences_in_the_database_across_both_DST_changes_with_a_cancelled_and_a_moved_date()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        // Tuesdays 19:00-21:00 local from 2 March to 2 November 2027: summer time starts 28 March, ends 31 October.
        var id = await BookAsync(beheerder, s, "2027-03-02", until: "2027-11-02");
        var cancelled = await CancelDateAsync(beheerder, id, "2027-06-15");
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        // 26 October (summer time) moves to Thursday 4 November (winter time), 18:30-20:30.
        var moved = await MoveDateAsync(beheerder, id, s.RoomId, "2027-10-26", "2027-11-04", "18:30", "20:30");
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);

        var occurrences = await OccurrencesAsync(id);
        Assert.Equal(36, occurrences.Length);
        Assert.Equal("geannuleerd", occurrences.Single(o => o.SeriesDate == new DateOnly(2027, 6, 15)).Status);
        var movedRow = occurrences.Single(o => o.SeriesDate == new DateOnly(2027, 10, 26));
        Assert.Equal((Utc("2027-11-04", 18, 30), Utc("2027-11-04", 20, 30)), (movedRow.StartsAt, movedRow.EndsAt));

        var roomFeed = await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId);
        var staffFeed = await SubscribeAsync(beheerder, FeedKinds.Medewerker);
        foreach (var path in new[] { $"/agenda/buurtcentra/{s.Slug}.ics", $"/agenda/wijken/{s.WijkSlug}.ics", roomFeed, staffFeed })
        {
            var feed = await ExpandAsync(await FeedTextAsync(path));
            Assert.Equal(["Europe/Amsterdam"], feed.Calendar["timezones"].EnumerateArray().Select(z => z.GetString()));

            // Every event the parser sees, by UID, equals the database: confirmed dates confirmed, the cancelled one cancelled.
            var events = feed.Events.ToDictionary(e => e.Uid);
            Assert.Equal(occurrences.Select(o => CalendarFeedQuery.Uid(o.Id)).Order(), events.Keys.Order());
            foreach (var o in occurrences)
            {
                var e = events[CalendarFeedQuery.Uid(o.Id)];
                Assert.Equal((o.StartsAt, o.EndsAt, o.Status == "bevestigd" ? "CONFIRMED" : "CANCELLED"), (e.Start, e.End, e.Status));
                Assert.Null(e.RecurrenceId);
            }

            // And the database is what the beheerder meant: 19:00 Utrecht time on every Tuesday, whatever the offset.
            var confirmed = feed.Events.Where(e => e.Status == "CONFIRMED").ToList();
            Assert.Equal(35, confirmed.Count);
            var expected = Enumerable.Range(0, 36).Select(w => new DateOnly(2027, 3, 2).AddDays(7 * w))
                .Where(d => d != new DateOnly(2027, 6, 15) && d != new DateOnly(2027, 10, 26))
                .Select(d => (Utc(d.ToString("yyyy-MM-dd"), 19), Utc(d.ToString("yyyy-MM-dd"), 21)))
                .Append((Utc("2027-11-04", 18, 30), Utc("2027-11-04", 20, 30)))
                .Order().ToList();
            Assert.Equal(expected, confirmed.Select(e => (e.Start, e.End)).Order().ToList());
            Assert.Contains(confirmed, e => e.Start == new DateTime(2027, 3, 23, 18, 0, 0, DateTimeKind.Utc)); // CET
            Assert.Contains(confirmed, e => e.Start == new DateTime(2027, 3, 30, 17, 0, 0, DateTimeKind.Utc)); // CEST
            Assert.Contains(confirmed, e => e.Start == new DateTime(2027, 11, 2, 18, 0, 0, DateTimeKind.Utc)); // CET again

            var gone = Assert.Single(feed.Events, e => e.Status == "CANCELLED");
            Assert.Equal(Utc("2027-06-15", 19), gone.Start);
            Assert.All(feed.Events, e => Assert.Equal(e.Dtstamp, e.LastModified));
            Assert.All(feed.Events, e => Assert.Contains("Grote zaal, De Boog, Teststraat 1, 3511 AA Utrecht", e.Location));
        }
    }

    [Fact]
    public async Task Public_feeds_and_the_activity_file_hold_no_names_email_addresses_or_phone_numbers()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var open = await BookAsync(beheerder, s, "2026-12-01", activity: "Open repetitie", isPublic: true);
        await BookAsync(beheerder, s, "2026-12-02", activity: "Bestuursvergadering Henk", isPublic: false);
        var beheerderName = await Data.ScalarAsync<string>("select display_name from users where id = @id", new { id = s.BeheerderId });
        var beheerderEmail = await Data.EmailOfAsync(s.BeheerderId);
        var secrets = new[] { ContactName, "Henk", ContactEmail, ContactPhone, "4242", GroupName, GroupEmail, GroupPhone, "765 4321", beheerderName, beheerderEmail, "@" };

        var centre = await FeedTextAsync($"/agenda/buurtcentra/{s.Slug}.ics");
        var wijk = await FeedTextAsync($"/agenda/wijken/{s.WijkSlug}.ics");
        var occurrenceId = (await OccurrencesAsync(open)).Single().Id;
        var file = await FeedTextAsync($"/programma/activiteiten/{occurrenceId}.ics");
        foreach (var text in new[] { centre, wijk, file })
        {
            var unfolded = Unfold(text).Replace($"@{CalendarFeedQuery.UidDomain}", "", StringComparison.Ordinal);
            foreach (var secret in secrets) Assert.DoesNotContain(secret, unfolded, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("SUMMARY:Open repetitie", unfolded);
        }
        Assert.Contains("SUMMARY:Bezet", Unfold(centre));
        Assert.DoesNotContain("Bezet", wijk);
        Assert.Contains("METHOD:PUBLISH", file);
        Assert.Single((await ExpandAsync(file)).Events);

        // The same data is there for those who may see it: the beheerder's room feed shows who and how to reach them.
        var room = Unfold(await FeedTextAsync(await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId)));
        Assert.Contains(ContactName, room);
        Assert.Contains(ContactPhone, room);
        Assert.Contains(ContactEmail, room);
        Assert.Contains("Bestuursvergadering Henk", room);

        // Stadsbedrijven reads along: activities and organisations, no contact person.
        var monteur = await SignedInAsync(await Data.UserAsync("stadsbedrijven"));
        var forMonteur = Unfold(await FeedTextAsync(await SubscribeAsync(monteur, FeedKinds.Ruimte, s.RoomId)));
        Assert.Contains("Bestuursvergadering Henk", forMonteur);
        Assert.Contains(GroupName, forMonteur);
        Assert.DoesNotContain(ContactName, forMonteur);
        Assert.DoesNotContain(ContactPhone, forMonteur);
        Assert.DoesNotContain(ContactEmail, forMonteur);
    }

    [Fact]
    public async Task The_window_runs_from_30_days_back_to_12_months_ahead()
    {
        var s = await SetupAsync();
        // Today is 23 November 2026: the window is 24 October 2026 00:00 to 23 November 2027 00:00, Utrecht time.
        var inside = new[] { ("2026-10-24", 10), ("2026-11-23", 10), ("2027-11-22", 20) };
        var outside = new[] { ("2026-10-23", 10), ("2027-11-23", 10), ("2027-12-01", 10) };
        var ids = new Dictionary<string, long>();
        foreach (var (date, hour) in inside.Concat(outside))
        {
            ids[date] = (await InsertOccurrenceAsync(s, Utc(date, hour), Utc(date, hour + 2), "bevestigd")).OccurrenceId;
        }
        // An activity that starts before the window and ends inside it is in the feed; one that ended before is not.
        var otherRoom = s with { RoomId = await Data.RoomAsync(s.CentreId, "Kleine zaal") };
        ids["overnight"] = (await InsertOccurrenceAsync(s, Utc("2026-10-23", 22), Utc("2026-10-24", 1), "bevestigd")).OccurrenceId;
        ids["ended"] = (await InsertOccurrenceAsync(otherRoom, Utc("2026-10-23", 21), Utc("2026-10-24", 0), "bevestigd")).OccurrenceId;

        var uids = (await ExpandAsync(await FeedTextAsync($"/agenda/buurtcentra/{s.Slug}.ics"))).Events.Select(e => e.Uid).ToHashSet();
        Assert.All(inside.Select(i => ids[i.Item1]).Append(ids["overnight"]), id => Assert.Contains(CalendarFeedQuery.Uid(id), uids));
        Assert.All(outside.Select(o => ids[o.Item1]).Append(ids["ended"]), id => Assert.DoesNotContain(CalendarFeedQuery.Uid(id), uids));
        Assert.Equal(4, uids.Count);

        // The window moves with the clock, at Utrecht midnight.
        App.Time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero)); // 00:30 on 24 November in Utrecht
        var next = (await ExpandAsync(await FeedTextAsync($"/agenda/buurtcentra/{s.Slug}.ics"))).Events.Select(e => e.Uid).ToHashSet();
        Assert.DoesNotContain(CalendarFeedQuery.Uid(ids["2026-10-24"]), next);
        Assert.Contains(CalendarFeedQuery.Uid(ids["2027-11-23"]), next);
    }

    [Fact]
    public async Task Times_in_the_repeated_autumn_hour_keep_their_instant()
    {
        var s = await SetupAsync();
        // 31 October 2027: 02:30 happens twice in Utrecht, first in summer time (00:30 UTC), then in winter time (01:30 UTC).
        var summer = (await InsertOccurrenceAsync(s, new DateTime(2027, 10, 31, 0, 30, 0, DateTimeKind.Utc), new DateTime(2027, 10, 31, 0, 50, 0, DateTimeKind.Utc), "bevestigd")).OccurrenceId;
        var winter = (await InsertOccurrenceAsync(s, new DateTime(2027, 10, 31, 1, 30, 0, DateTimeKind.Utc), new DateTime(2027, 10, 31, 1, 50, 0, DateTimeKind.Utc), "bevestigd")).OccurrenceId;

        var feed = await FeedTextAsync($"/agenda/buurtcentra/{s.Slug}.ics");
        // Both are written in UTC: readers differ in which 02:30 a local time means (ical.js and dateutil take the second).
        Assert.DoesNotContain("DTSTART;TZID=Europe/Amsterdam:20271031T023000", feed);
        Assert.Contains("DTSTART:20271031T003000Z", feed);
        Assert.Contains("DTSTART:20271031T013000Z", feed);
        var events = (await ExpandAsync(feed)).Events.ToDictionary(e => e.Uid);
        Assert.Equal(new DateTime(2027, 10, 31, 0, 30, 0, DateTimeKind.Utc), events[CalendarFeedQuery.Uid(summer)].Start);
        Assert.Equal(new DateTime(2027, 10, 31, 1, 30, 0, DateTimeKind.Utc), events[CalendarFeedQuery.Uid(winter)].Start);
    }

    [Fact]
    public async Task A_cancelled_date_stays_as_cancelled_for_30_days_and_then_leaves_the_feed()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var id = await BookAsync(beheerder, s, "2027-01-05", until: "2027-01-26");
        Assert.Equal(HttpStatusCode.Redirect, (await CancelDateAsync(beheerder, id, "2027-01-12")).StatusCode);
        var uid = CalendarFeedQuery.Uid((await OccurrencesAsync(id)).Single(o => o.SeriesDate == new DateOnly(2027, 1, 12)).Id);

        var feed = await ExpandAsync(await FeedTextAsync($"/agenda/buurtcentra/{s.Slug}.ics"));
        var cancelled = feed.Events.Single(e => e.Uid == uid);
        Assert.Equal(("CANCELLED", "Geannuleerd: Buurtkoor"), (cancelled.Status, cancelled.Summary));
        Assert.Equal(3, feed.Events.Count(e => e.Status == "CONFIRMED"));

        App.Time.Advance(TimeSpan.FromDays(29));
        Assert.Contains(uid, (await ExpandAsync(await FeedTextAsync($"/agenda/buurtcentra/{s.Slug}.ics"))).Events.Select(e => e.Uid));
        App.Time.Advance(TimeSpan.FromDays(2));
        var later = await ExpandAsync(await FeedTextAsync($"/agenda/buurtcentra/{s.Slug}.ics"));
        Assert.DoesNotContain(uid, later.Events.Select(e => e.Uid));
        Assert.Equal(3, later.Events.Count(e => e.Status == "CONFIRMED"));
    }

    [Fact]
    public async Task Moving_a_date_keeps_its_UID_and_raises_its_SEQUENCE_and_LAST_MODIFIED()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var id = await BookAsync(beheerder, s, "2027-02-02", until: "2027-02-16");
        var path = $"/agenda/buurtcentra/{s.Slug}.ics";
        var before = (await ExpandAsync(await FeedTextAsync(path))).Events.ToDictionary(e => e.Uid);

        App.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Redirect, (await MoveDateAsync(beheerder, id, s.RoomId, "2027-02-09", "2027-02-10", "20:00", "22:00")).StatusCode);
        var after = (await ExpandAsync(await FeedTextAsync(path))).Events.ToDictionary(e => e.Uid);

        var uid = CalendarFeedQuery.Uid((await OccurrencesAsync(id)).Single(o => o.SeriesDate == new DateOnly(2027, 2, 9)).Id);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.Equal(Utc("2027-02-09", 19), before[uid].Start);
        Assert.Equal(Utc("2027-02-10", 20), after[uid].Start);
        Assert.True(after[uid].Sequence > before[uid].Sequence, $"SEQUENCE {before[uid].Sequence} became {after[uid].Sequence}");
        Assert.True(string.CompareOrdinal(after[uid].LastModified, before[uid].LastModified) > 0);
        // The other dates of the series changed too (their reservation did), and a SEQUENCE never goes down.
        Assert.All(after, e => Assert.True(e.Value.Sequence >= before[e.Key].Sequence));

        // Renaming the room changes LOCATION: a change the feed shows, so SEQUENCE rises again.
        App.Time.Advance(TimeSpan.FromMinutes(5));
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update rooms set name = 'Theaterzaal', updated_at = @now where id = @id",
                new { id = s.RoomId, now = App.Time.GetUtcNow() });
        }
        var renamed = (await ExpandAsync(await FeedTextAsync(path))).Events.ToDictionary(e => e.Uid);
        Assert.All(renamed, e => Assert.True(e.Value.Sequence > after[e.Key].Sequence));
        Assert.All(renamed.Values, e => Assert.StartsWith("Theaterzaal, De Boog", e.Location));
    }

    [Fact]
    public async Task The_organisation_feed_shows_its_requests_as_tentative_and_a_rejected_one_as_cancelled_and_the_staff_feed_sees_them_too()
    {
        var s = await SetupAsync();
        var gebruiker = await SignedInAsync(s.GebruikerId);
        var pending = await RequestAsync(gebruiker, s, "2027-01-13", "Repetitie");
        var rejected = await RequestAsync(gebruiker, s, "2027-01-20", "Concert");
        var beheerder = await SignedInAsync(s.BeheerderId);
        var reject = await beheerder.PostFormAsync($"/beheer/reserveringen/{rejected}", $"/beheer/reserveringen/{rejected}/afwijzen", ("reason", "Dan is er een verbouwing."));
        Assert.Equal(HttpStatusCode.Redirect, reject.StatusCode);
        // The group's request in another centre (its feed, not this beheerder's), and another group's request here (the reverse).
        var other = await Data.CentreAsync("Ander centrum");
        var otherRoom = await Data.RoomAsync(other, "Zaal elders");
        var elsewhere = (await InsertOccurrenceAsync(s with { CentreId = other, RoomId = otherRoom }, Utc("2027-01-14", 10), Utc("2027-01-14", 12),
            "aangevraagd", reservationStatus: "aangevraagd")).ReservationId;
        var otherGroup = (await InsertOccurrenceAsync(s with { GroupId = await Data.OrganisationAsync("Andere club", "gebruikersgroep") },
            Utc("2027-01-15", 10), Utc("2027-01-15", 12), "aangevraagd", reservationStatus: "aangevraagd")).ReservationId;

        var organisation = await ExpandAsync(await FeedTextAsync(await SubscribeAsync(gebruiker, FeedKinds.Organisatie, s.GroupId)));
        var byReservation = await UidsByReservationAsync();
        var asked = organisation.Events.Single(e => e.Uid == byReservation[pending]);
        Assert.Equal(("TENTATIVE", "Aanvraag: Repetitie"), (asked.Status, asked.Summary));
        Assert.Contains($"/mijn/reserveringen/{pending}", asked.Description);
        var no = organisation.Events.Single(e => e.Uid == byReservation[rejected]);
        Assert.Equal(("CANCELLED", "Afgewezen: Concert"), (no.Status, no.Summary));
        Assert.Equal("Aanvraag: Testactiviteit", organisation.Events.Single(e => e.Uid == byReservation[elsewhere]).Summary);
        Assert.DoesNotContain(organisation.Events, e => e.Uid == byReservation[otherGroup]);
        Assert.Equal(3, organisation.Events.Count);

        var staff = await ExpandAsync(await FeedTextAsync(await SubscribeAsync(beheerder, FeedKinds.Medewerker)));
        Assert.Equal("TENTATIVE", staff.Events.Single(e => e.Uid == byReservation[pending]).Status);
        Assert.Contains($"/beheer/reserveringen/{pending}", staff.Events.Single(e => e.Uid == byReservation[pending]).Description);
        Assert.Equal("CANCELLED", staff.Events.Single(e => e.Uid == byReservation[rejected]).Status);
        Assert.Equal("TENTATIVE", staff.Events.Single(e => e.Uid == byReservation[otherGroup]).Status);
        Assert.DoesNotContain(staff.Events, e => e.Uid == byReservation[elsewhere]);
        Assert.Equal(3, staff.Events.Count);

        // Requests are not in the public feed: nothing is decided yet.
        Assert.Empty((await ExpandAsync(await FeedTextAsync($"/agenda/buurtcentra/{s.Slug}.ics"))).Events);
    }

    [Fact]
    public async Task The_activity_file_is_only_for_a_public_confirmed_date()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var gebruiker = await SignedInAsync(s.GebruikerId); // before any booking mail: the sign-in helper reads the latest mail
        var open = await BookAsync(beheerder, s, "2027-01-05", until: "2027-01-12", activity: "Taalcafé; voor iedereen, welkom");
        var closed = await BookAsync(beheerder, s, "2027-01-06", activity: "Besloten", isPublic: false);
        var pending = await RequestAsync(gebruiker, s, "2027-01-07");
        await CancelDateAsync(beheerder, open, "2027-01-12");
        var dates = await OccurrencesAsync(open);

        var response = await GetFeedAsync($"/programma/activiteiten/{dates[0].Id}.ics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".ics", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var single = await ExpandAsync(await response.Content.ReadAsStringAsync());
        var e = Assert.Single(single.Events);
        Assert.Equal((CalendarFeedQuery.Uid(dates[0].Id), "Taalcafé; voor iedereen, welkom", Utc("2027-01-05", 19), "CONFIRMED"), (e.Uid, e.Summary, e.Start, e.Status));

        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync($"/programma/activiteiten/{dates[1].Id}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync($"/programma/activiteiten/{(await OccurrencesAsync(closed))[0].Id}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync($"/programma/activiteiten/{(await OccurrencesAsync(pending))[0].Id}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync("/programma/activiteiten/999999.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync("/agenda/buurtcentra/bestaat-niet.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetFeedAsync("/agenda/wijken/bestaat-niet.ics")).StatusCode);
    }

    private async Task<Dictionary<long, string>> UidsByReservationAsync()
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(long ReservationId, long Id)>("select reservation_id, min(id) from occurrences group by reservation_id"))
            .ToDictionary(r => r.ReservationId, r => CalendarFeedQuery.Uid(r.Id));
    }

    /// <summary>An occurrence written straight into the database (dates in the past cannot be booked through the form).</summary>
    private async Task<(long ReservationId, long OccurrenceId)> InsertOccurrenceAsync(Setup s, DateTime startUtc, DateTime endUtc, string status,
        string reservationStatus = "bevestigd", bool isPublic = true)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        var now = App.Time.GetUtcNow();
        var reservationId = await connection.ExecuteScalarAsync<long>("""
            insert into reservations (centre_id, room_id, organisation_id, contact_name, activity, category, participants, is_public, tariff,
                status, created_at, updated_at)
            values (@centreId, @roomId, @groupId, 'Testcontact', 'Testactiviteit', 'bewonersinitiatief', 10, @isPublic, 'om_niet', @reservationStatus, @now, @now)
            returning id
            """, new { centreId = s.CentreId, roomId = s.RoomId, groupId = s.GroupId, isPublic, reservationStatus, now });
        var occurrenceId = await connection.ExecuteScalarAsync<long>("""
            insert into reservation_events (reservation_id, occurred_at, actor_name, kind) values (@reservationId, @now, 'Test', 'geboekt');
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@reservationId, @roomId, @seriesDate, @startUtc, @endUtc, @startUtc, @endUtc, @status, @now)
            returning id;
            """, new
        {
            reservationId, roomId = s.RoomId, startUtc, endUtc, status, now,
            seriesDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(startUtc, Amsterdam)),
        });
        return (reservationId, occurrenceId);
    }
}
