using System.Net;
using System.Net.Http.Json;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Meldingen;

/// <summary>
/// A room out of use (a melding) in the booking screens: the free-room finder does not offer it, the reservation form
/// marks it and refuses it with the reason and period instead of "taken", and approving or moving into the period says
/// why it cannot. App.Time: maandag 23 november 2026, 10:00.
/// </summary>
public sealed class OutOfUseBookingTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string Period = "Lekkage: plafond, dinsdag 1 december 2026 00:00 tot zaterdag 5 december 2026 23:59";

    private sealed record Setup(long CentreId, string Slug, long RoomId, long OtherRoomId, long BeheerderId);

    private async Task<Setup> SetupAsync()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Grote zaal", capacity: 40);
        var otherRoomId = await Data.RoomAsync(centreId, "Kleine zaal", capacity: 20);
        await Data.ScalarAsync<int>("update rooms set cleanup_minutes = 0, setup_minutes = 0 where centre_id = @centreId returning 1", new { centreId });
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centreId, day, new TimeOnly(9, 0), new TimeOnly(17, 0));
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        return new Setup(centreId, slug, roomId, otherRoomId, await Data.UserAsync("sociaal_beheerder", centreIds: [centreId]));
    }

    /// <summary>Local 1 December 00:00 to 5 December 23:59 (the form's default times), like the melding page makes it.</summary>
    private Task<long> OutOfUseAsync(long roomId, string from = "2026-11-30 23:00Z", string until = "2026-12-05 22:59Z", string reason = "Lekkage: plafond") =>
        Data.ScalarAsync<long>("""
            insert into room_out_of_use (room_id, starts_at, ends_at, reason, created_at)
            values (@roomId, @from::timestamptz, @until::timestamptz, @reason, now()) returning id
            """, new { roomId, from, until, reason });

    private async Task<Browser> BeheerderAsync(long userId)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));
        return browser;
    }

    private static (string, string)[] Booking(Setup s, long roomId, string date, string repeat = "eenmalig", string until = "", string action = "versturen",
        bool skipBusy = false) =>
    [
        ("centrum", s.Slug), ("RoomId", roomId.ToString()), ("Date", date), ("StartTime", "10:00"), ("EndTime", "11:00"),
        ("Repeat", repeat), ("EndsBy", "datum"), ("Until", until), ("Activity", "Overleg"), ("Category", "bewonersinitiatief"),
        ("Participants", "5"), ("ContactName", "Beheer"), ("ContactEmail", "beheer@example.org"), ("actie", action),
        ("SkipBusyDates", skipBusy ? "true" : "false"),
    ];

    private static async Task<string> BodyAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task The_free_room_finder_does_not_offer_a_room_in_its_out_of_use_period()
    {
        var s = await SetupAsync();
        await OutOfUseAsync(s.RoomId);
        // The small room is out of use only in the morning of that Tuesday (local 09:00–13:00).
        await OutOfUseAsync(s.OtherRoomId, "2026-12-01 08:00Z", "2026-12-01 12:00Z", "Schilderwerk");

        var tuesday = WebUtility.HtmlDecode(await new Browser(App).GetPageAsync("/ruimte-zoeken?Date=2026-12-01&Duration=120&Participants=5"));
        Assert.Contains("1 ruimte vrij in 1 buurtcentrum", tuesday);
        Assert.DoesNotContain("Grote zaal", tuesday);
        Assert.Contains($"href=\"/reserveren/nieuw?ruimte={s.OtherRoomId}&datum=2026-12-01&van=13:00&tot=15:00\">vrij 13:00–17:00", tuesday);
        Assert.DoesNotContain("vrij 09:00", tuesday);

        // After the period both rooms are offered again; a cancelled period no longer counts.
        var sunday = WebUtility.HtmlDecode(await new Browser(App).GetPageAsync("/ruimte-zoeken?Date=2026-12-06&Duration=120&Participants=5"));
        Assert.Contains("2 ruimtes vrij in 1 buurtcentrum", sunday);
        await Data.ScalarAsync<int>("update room_out_of_use set cancelled_at = now() returning 1");
        var again = WebUtility.HtmlDecode(await new Browser(App).GetPageAsync("/ruimte-zoeken?Date=2026-12-01&Duration=120&Participants=5"));
        Assert.Contains("2 ruimtes vrij in 1 buurtcentrum", again);
        Assert.Contains($"href=\"/reserveren/nieuw?ruimte={s.OtherRoomId}&datum=2026-12-01&van=09:00&tot=11:00\">vrij 09:00–17:00", again);
    }

    [Fact]
    public async Task The_reservation_form_marks_the_room_and_refuses_it_with_the_reason_and_period_not_as_taken()
    {
        var s = await SetupAsync();
        await OutOfUseAsync(s.RoomId);
        var beheerder = await BeheerderAsync(s.BeheerderId);
        var page = $"/reserveren/nieuw?ruimte={s.RoomId}&datum=2026-12-03&van=10:00&tot=11:00";

        var form = WebUtility.HtmlDecode(await beheerder.GetPageAsync(page));
        Assert.Contains($"Buiten gebruik: {Period}", form);
        Assert.Contains("Past bij uw aanvraag", form); // the small room
        var later = WebUtility.HtmlDecode(await beheerder.GetPageAsync($"/reserveren/nieuw?ruimte={s.RoomId}&datum=2026-12-08&van=10:00&tot=11:00"));
        Assert.DoesNotContain("Buiten gebruik:", later);

        var preview = await BodyAsync(await beheerder.PostFormAsync(page, "/reserveren/nieuw", Booking(s, s.RoomId, "2026-12-03", action: "controleren")));
        Assert.Contains($"donderdag 3 december 2026: buiten gebruik ({Period})", preview);

        var refused = await beheerder.PostFormAsync(page, "/reserveren/nieuw", Booking(s, s.RoomId, "2026-12-03"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var body = await BodyAsync(refused);
        Assert.Contains($"Deze ruimte is dan buiten gebruik ({Period}). Kies een andere tijd of ruimte.", body);
        Assert.DoesNotContain("net door iemand anders", body);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from reservations"));

        // A weekly series skips the date in the period when asked to, and says why.
        var series = await beheerder.PostFormAsync(page, "/reserveren/nieuw",
            Booking(s, s.RoomId, "2026-11-26", repeat: "wekelijks", until: "2026-12-10", skipBusy: true));
        Assert.Equal(HttpStatusCode.Redirect, series.StatusCode);
        Assert.Equal("de ruimte is dan buiten gebruik", await Data.ScalarAsync<string>("select reason from reservation_skipped_dates where local_date = '2026-12-03'"));
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from occurrences where status = 'bevestigd'"));

        // The API answers 409 with the same sentence.
        var api = await beheerder.Client.PostAsJsonAsync("/api/v1/reservations",
            new { roomId = s.RoomId, start = "2026-12-02T10:00", end = "2026-12-02T11:00", activity = "Overleg", participants = 5, contactName = "Beheer" });
        Assert.Equal(HttpStatusCode.Conflict, api.StatusCode);
        Assert.Contains("Deze ruimte is dan buiten gebruik (Lekkage: plafond", await api.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Approving_a_request_or_moving_a_booking_into_the_period_says_the_room_is_out_of_use()
    {
        var s = await SetupAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);
        // A request made before the melding, and a confirmed booking after the period.
        var pending = await Data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, contact_name, contact_email, activity, category, participants, tariff, status, created_at, updated_at)
            values (@centreId, @roomId, 'Aanvrager', 'aanvrager@example.org', 'Kaartclub', 'bewonersinitiatief', 8, 'om_niet', 'aangevraagd', now(), now())
            returning id
            """, new { s.CentreId, s.RoomId });
        await Data.ScalarAsync<int>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@pending, @roomId, '2026-12-02', '2026-12-02 13:00Z', '2026-12-02 15:00Z', '2026-12-02 13:00Z', '2026-12-02 15:00Z', 'aangevraagd', now())
            returning 1
            """, new { pending, s.RoomId });
        var booked = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", Booking(s, s.RoomId, "2026-12-08"));
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var confirmed = await Data.ScalarAsync<long>("select max(id) from reservations");
        await OutOfUseAsync(s.RoomId);

        var approve = await beheerder.PostFormAsync($"/beheer/reserveringen/{pending}", $"/beheer/reserveringen/{pending}/goedkeuren");
        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        var details = WebUtility.HtmlDecode(await beheerder.GetPageAsync($"/beheer/reserveringen/{pending}"));
        Assert.Contains($"Goedkeuren kan niet. Deze ruimte is dan buiten gebruik ({Period}).", details);
        Assert.Equal("aangevraagd", await Data.ScalarAsync<string>("select status from reservations where id = @pending", new { pending }));

        var move = await beheerder.PostFormAsync($"/beheer/reserveringen/{confirmed}/wijzigen", $"/beheer/reserveringen/{confirmed}/wijzigen",
            ("Scope", "datum"), ("SeriesDate", "2026-12-08"), ("NewDate", "2026-12-04"), ("RoomId", s.RoomId.ToString()),
            ("StartTime", "10:00"), ("EndTime", "11:00"), ("Note", ""));
        Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        Assert.Contains($"Deze ruimte is dan buiten gebruik ({Period}).", await BodyAsync(move));
        Assert.Equal(1, await Data.ScalarAsync<int>(
            "select count(*)::int from occurrences where reservation_id = @confirmed and series_date = '2026-12-08' and starts_at = '2026-12-08 09:00Z'", new { confirmed }));
    }
}
