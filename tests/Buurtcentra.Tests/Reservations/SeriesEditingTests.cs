using System.Net;
using Buurtcentra.Tests.Support;
using Dapper;
using Ical.Net.DataTypes;
using IcalCalendar = Ical.Net.Calendar;

namespace Buurtcentra.Tests.Reservations;

/// <summary>Moving one date, changing a series (whole, or from a date on), and the proposal the requester answers.</summary>
public sealed partial class ReservationFlowTests
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>A weekly series booked by the beheerder for a contact with an e-mail address: confirmed at once.</summary>
    private async Task<long> BookedSeriesAsync(Setup s, Browser beheerder, string first, string until)
    {
        var fields = RequestFields(s.RoomId, date: first, repeat: "wekelijks", until: until);
        fields.Add(new("ContactName", "Henk de Vries"));
        fields.Add(new("ContactEmail", "henk@example.org"));
        var booked = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", fields);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        return await LatestReservationIdAsync();
    }

    private sealed record Slot(DateOnly SeriesDate, DateTime StartsAt, DateTime EndsAt, string Status, bool IsException, long RoomId);

    private async Task<Slot[]> SlotsAsync(long reservationId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<Slot>("""
            select series_date, starts_at, ends_at, status, is_exception, room_id from occurrences where reservation_id = @reservationId order by series_date
            """, new { reservationId })).ToArray();
    }

    private static DateTime Utc(string localDate, int hour, int minute = 0) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.Parse(localDate).AddHours(hour).AddMinutes(minute), Amsterdam);

    private async Task<string> LatestInvitationAsync(long reservationId, string kind = "gewijzigd") =>
        await Data.ScalarAsync<string>("select calendar_ics from outbox where reservation_id = @reservationId and kind = @kind order by id desc limit 1",
            new { reservationId, kind });

    /// <summary>The local start times a calendar shows for an invitation, after applying RRULE, EXDATE and overrides.</summary>
    private static List<DateTime> CalendarStarts(string ics) =>
        IcalCalendar.Load(ics)!.GetOccurrences(new CalDateTime(2027, 1, 1, 0, 0, 0, "Europe/Amsterdam"), null)
            .Select(o => TimeZoneInfo.ConvertTimeFromUtc(o.Period.StartTime.AsUtc, Amsterdam)).Order().ToList();

    private static (string Name, string Value)[] Change(string scope, long roomId, string start, string end, string? seriesDate = null,
        string? newDate = null, string? note = null) =>
        [("Scope", scope), ("SeriesDate", seriesDate ?? ""), ("NewDate", newDate ?? ""), ("RoomId", roomId.ToString()),
         ("StartTime", start), ("EndTime", end), ("Note", note ?? "")];

    [Fact]
    public async Task Moving_one_date_gives_it_its_own_time_and_room_and_the_calendar_moves_just_that_date()
    {
        var s = await SetupAsync();
        var smallRoom = await Data.RoomAsync(s.CentreId, "Kleine zaal", capacity: 20);
        var beheerder = await BeheerderAsync(s.BeheerderId);
        var id = await BookedSeriesAsync(s, beheerder, "2027-03-02", "2027-03-23");

        var moved = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen?datum=2027-03-09", $"/beheer/reserveringen/{id}/wijzigen",
            Change("datum", smallRoom, "20:00", "22:00", seriesDate: "2027-03-09", newDate: "2027-03-10", note: "De grote zaal wordt geschilderd."));
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal($"/beheer/reserveringen/{id}", moved.Headers.Location!.OriginalString);

        var slots = await SlotsAsync(id);
        Assert.Equal(4, slots.Length);
        var exception = slots[1];
        Assert.Equal((new DateOnly(2027, 3, 9), Utc("2027-03-10", 20), Utc("2027-03-10", 22), true, smallRoom),
            (exception.SeriesDate, exception.StartsAt, exception.EndsAt, exception.IsException, exception.RoomId));
        Assert.All(new[] { slots[0], slots[2], slots[3] }, o => Assert.Equal((19, false, s.RoomId), (TimeZoneInfo.ConvertTimeFromUtc(o.StartsAt, Amsterdam).Hour, o.IsException, o.RoomId)));
        Assert.Equal(1, await Data.ScalarAsync<int>("select sequence from reservations where id = @id", new { id }));

        var ics = await LatestInvitationAsync(id);
        Assert.Contains("RECURRENCE-ID;TZID=Europe/Amsterdam:20270309T190000", ics.Replace("\r\n ", ""));
        Assert.Equal([new DateTime(2027, 3, 2, 19, 0, 0), new DateTime(2027, 3, 10, 20, 0, 0), new DateTime(2027, 3, 16, 19, 0, 0), new DateTime(2027, 3, 23, 19, 0, 0)],
            CalendarStarts(ics));
        var mail = await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @id and kind = 'gewijzigd'", new { id });
        Assert.Contains("De grote zaal wordt geschilderd.", mail);
        Assert.Contains("datum verplaatst, door", await beheerder.GetPageAsync($"/beheer/reserveringen/{id}"));
    }

    [Fact]
    public async Task Moving_a_date_onto_a_taken_slot_or_outside_the_rules_is_refused_with_the_input_kept_and_nothing_changed()
    {
        var s = await SetupAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);
        var id = await BookedSeriesAsync(s, beheerder, "2027-03-02", "2027-03-16");
        var other = RequestFields(s.RoomId, date: "2027-03-10", start: "20:00", end: "22:00", activity: "Yoga");
        other.Add(new("ContactName", "Yogagroep"));
        await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", other);
        var before = await SlotsAsync(id);

        var taken = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
            Change("datum", s.RoomId, "19:30", "21:30", seriesDate: "2027-03-09", newDate: "2027-03-10"));
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var page = await taken.Content.ReadAsStringAsync();
        Assert.Contains("De ruimte is dan al bezet: woensdag 10 maart 2027 van 20:00 tot 22:00", page);
        Assert.Contains("value=\"2027-03-10\"", page);

        var late = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
            Change("alles", s.RoomId, "22:00", "23:30"));
        Assert.Contains("open van 09:00 tot 23:00", await late.Content.ReadAsStringAsync());

        var empty = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
            Change("datum", s.RoomId, "", ""));
        var emptyPage = await empty.Content.ReadAsStringAsync();
        Assert.Contains("Kies de datum die u wilt verplaatsen.", emptyPage);
        Assert.Contains("Vul een begintijd in", emptyPage);

        var otherCentreRoom = await Data.RoomAsync(await Data.CentreAsync("Elders"), "Zaal elders");
        var elsewhere = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
            Change("alles", otherCentreRoom, "19:00", "21:00"));
        Assert.Contains("Kies een ruimte van De Boog.", await elsewhere.Content.ReadAsStringAsync());

        Assert.Equal(before, await SlotsAsync(id));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from outbox where kind = 'gewijzigd'"));
    }

    [Fact]
    public async Task Changing_this_and_following_splits_the_series_and_a_cancelled_date_never_comes_back()
    {
        var s = await SetupAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);
        var id = await BookedSeriesAsync(s, beheerder, "2027-03-02", "2027-04-06");
        await beheerder.PostFormAsync($"/beheer/reserveringen/{id}", $"/beheer/reserveringen/{id}/annuleren", ("scope", "datum"), ("seriesDate", "2027-03-23"));
        var oldUid = await Data.ScalarAsync<Guid>("select uid from reservations where id = @id", new { id });

        var changed = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
            Change("vanaf", s.RoomId, "18:00", "20:00", seriesDate: "2027-03-16"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var next = await LatestReservationIdAsync();
        Assert.NotEqual(id, next);
        Assert.Equal($"/beheer/reserveringen/{next}", changed.Headers.Location!.OriginalString);

        // The first part keeps its dates and time and now ends before the change.
        var first = await SlotsAsync(id);
        Assert.Equal([new DateOnly(2027, 3, 2), new DateOnly(2027, 3, 9)], first.Select(o => o.SeriesDate));
        Assert.All(first, o => Assert.Equal(Utc(o.SeriesDate.ToString("yyyy-MM-dd"), 19), o.StartsAt));
        Assert.Equal([new DateTime(2027, 3, 2, 19, 0, 0), new DateTime(2027, 3, 9, 19, 0, 0)], CalendarStarts(await LatestInvitationAsync(id)));

        // The second part is a new reservation (new UID) that continues the first; the cancelled date came along, still cancelled.
        Assert.Equal(id, await Data.ScalarAsync<long>("select continued_from from reservations where id = @next", new { next }));
        Assert.NotEqual(oldUid, await Data.ScalarAsync<Guid>("select uid from reservations where id = @next", new { next }));
        var second = await SlotsAsync(next);
        Assert.Equal(["bevestigd", "geannuleerd", "bevestigd", "bevestigd"], second.Select(o => o.Status));
        Assert.Equal(Utc("2027-03-16", 18), second[0].StartsAt);
        Assert.Equal(Utc("2027-04-06", 18), second[3].StartsAt); // 18:00 local after the change to summer time too
        Assert.Equal([new DateTime(2027, 3, 16, 18, 0, 0), new DateTime(2027, 3, 30, 18, 0, 0), new DateTime(2027, 4, 6, 18, 0, 0)],
            CalendarStarts(await LatestInvitationAsync(next)));
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from outbox where kind = 'gewijzigd' and to_address = 'henk@example.org'"));

        // Changing that whole series again keeps its UID (nothing of it has happened yet) and leaves 23 March cancelled.
        var again = await beheerder.PostFormAsync($"/beheer/reserveringen/{next}/wijzigen", $"/beheer/reserveringen/{next}/wijzigen",
            Change("alles", s.RoomId, "19:30", "21:30"));
        Assert.Equal($"/beheer/reserveringen/{next}", again.Headers.Location!.OriginalString);
        var third = await SlotsAsync(next);
        Assert.Equal(["bevestigd", "geannuleerd", "bevestigd", "bevestigd"], third.Select(o => o.Status));
        Assert.Equal(Utc("2027-03-30", 19, 30), third[2].StartsAt);
        Assert.Equal(next, await LatestReservationIdAsync());
        Assert.Equal([new DateTime(2027, 3, 16, 19, 30, 0), new DateTime(2027, 3, 30, 19, 30, 0), new DateTime(2027, 4, 6, 19, 30, 0)],
            CalendarStarts(await LatestInvitationAsync(next)));

        var page = await beheerder.GetPageAsync($"/beheer/reserveringen/{id}");
        Assert.Matches($@"staan in reservering\s*<a class=""utrecht-link"" href=""/beheer/reserveringen/{next}"">{next}</a>", page);
    }

    [Fact]
    public async Task Changing_a_whole_series_that_already_began_changes_only_what_is_still_to_come()
    {
        var s = await SetupAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);
        var id = await BookedSeriesAsync(s, beheerder, "2026-12-01", "2026-12-22");
        App.Time.SetUtcNow(new DateTimeOffset(2026, 12, 10, 9, 0, 0, TimeSpan.Zero));
        beheerder = await BeheerderAsync(s.BeheerderId); // signed in again: the clock moved past the cookie's lifetime

        var changed = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
            Change("alles", s.RoomId, "14:00", "16:00"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var next = await LatestReservationIdAsync();
        Assert.NotEqual(id, next);
        Assert.All(await SlotsAsync(id), o => Assert.Equal(19, TimeZoneInfo.ConvertTimeFromUtc(o.StartsAt, Amsterdam).Hour));
        Assert.Equal([new DateOnly(2026, 12, 15), new DateOnly(2026, 12, 22)], (await SlotsAsync(next)).Select(o => o.SeriesDate));
        Assert.All(await SlotsAsync(next), o => Assert.Equal(14, TimeZoneInfo.ConvertTimeFromUtc(o.StartsAt, Amsterdam).Hour));
    }

    [Fact]
    public async Task A_proposal_is_declined_then_a_new_one_accepted_and_only_then_the_room_is_held()
    {
        var s = await SetupAsync();
        var smallRoom = await Data.RoomAsync(s.CentreId, "Kleine zaal", capacity: 20);
        var gebruiker = await GebruikerAsync(s.GebruikerId);
        await gebruiker.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", RequestFields(s.RoomId));
        var id = await LatestReservationIdAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);

        var proposed = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/voorstel", $"/beheer/reserveringen/{id}/voorstel",
            ("RoomId", smallRoom.ToString()), ("Date", ""), ("StartTime", "20:00"), ("EndTime", "22:00"), ("Note", "De grote zaal is dan bezet."));
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        Assert.Equal("voorstel", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from occurrences where status = 'bevestigd'"));
        Assert.Contains("De grote zaal is dan bezet.", await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @id and kind = 'voorstel'", new { id }));
        var mine = await gebruiker.GetPageAsync($"/mijn/reserveringen/{id}");
        Assert.Contains("De beheerder doet een ander voorstel", mine);
        Assert.Contains("Kleine zaal", mine);

        var declined = await gebruiker.PostFormAsync($"/mijn/reserveringen/{id}", $"/mijn/reserveringen/{id}/voorstel-afwijzen", ("reason", "Wij zijn met te veel."));
        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        Assert.Equal("aangevraagd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Contains("Wij zijn met te veel.", await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @id and kind = 'voorstel_afgewezen'", new { id }));

        var same = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/voorstel", $"/beheer/reserveringen/{id}/voorstel",
            ("RoomId", smallRoom.ToString()), ("Date", ""), ("StartTime", "20:00"), ("EndTime", "22:00"));
        Assert.Contains("Dit is precies wat is aangevraagd.", await same.Content.ReadAsStringAsync());

        await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/voorstel", $"/beheer/reserveringen/{id}/voorstel",
            ("RoomId", s.RoomId.ToString()), ("Date", "2027-03-03"), ("StartTime", "19:00"), ("EndTime", "21:00"));
        Assert.Equal(new DateOnly(2027, 3, 3), await Data.ScalarAsync<DateOnly>("select series_date from occurrences where reservation_id = @id", new { id }));
        var accepted = await gebruiker.PostFormAsync($"/mijn/reserveringen/{id}", $"/mijn/reserveringen/{id}/voorstel-aannemen");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("bevestigd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Equal([(new DateOnly(2027, 3, 3), Utc("2027-03-03", 19), "bevestigd", s.RoomId)],
            (await SlotsAsync(id)).Select(o => (o.SeriesDate, o.StartsAt, o.Status, o.RoomId)));
        Assert.Equal([new DateTime(2027, 3, 3, 19, 0, 0)], CalendarStarts(await LatestInvitationAsync(id, "bevestigd")));
        Assert.Contains("voorstel_aanvaard", await OutboxKindsAsync(id));
        Assert.Contains("Voorstel aangenomen", await beheerder.GetPageAsync($"/beheer/reserveringen/{id}"));
    }

    [Fact]
    public async Task Accepting_a_proposal_whose_slot_was_taken_meanwhile_is_refused_and_changes_nothing()
    {
        var s = await SetupAsync();
        var gebruiker = await GebruikerAsync(s.GebruikerId);
        await gebruiker.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", RequestFields(s.RoomId));
        var id = await LatestReservationIdAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);
        await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/voorstel", $"/beheer/reserveringen/{id}/voorstel",
            ("RoomId", s.RoomId.ToString()), ("Date", ""), ("StartTime", "17:00"), ("EndTime", "19:00"));
        var other = RequestFields(s.RoomId, start: "16:30", end: "17:30", activity: "Huiswerkklas");
        other.Add(new("ContactName", "Huiswerkklas"));
        Assert.Equal(HttpStatusCode.Redirect, (await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", other)).StatusCode);

        await gebruiker.PostFormAsync($"/mijn/reserveringen/{id}", $"/mijn/reserveringen/{id}/voorstel-aannemen");
        Assert.Contains("intussen door iemand anders gereserveerd", await gebruiker.GetPageAsync($"/mijn/reserveringen/{id}"));
        Assert.Equal("voorstel", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Equal(["aangevraagd"], await OccurrenceStatusesAsync(id));
    }

    [Fact]
    public async Task A_resident_without_an_account_answers_a_proposal_through_the_private_link_in_its_mail()
    {
        var s = await SetupAsync();
        var resident = new Browser(App);
        var fields = RequestFields(s.RoomId);
        fields.Add(new("ContactName", "Fatima El Amrani"));
        fields.Add(new("ContactEmail", "fatima@example.org"));
        await resident.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", fields);
        var id = await LatestReservationIdAsync();
        var firstLink = ResidentLinkPattern().Match(await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @id", new { id })).Groups[1].Value;
        await resident.PostFormAsync(firstLink, $"{firstLink}/bevestigen");

        var beheerder = await BeheerderAsync(s.BeheerderId);
        await beheerder.PostFormAsync($"/beheer/reserveringen/{id}/voorstel", $"/beheer/reserveringen/{id}/voorstel",
            ("RoomId", s.RoomId.ToString()), ("Date", ""), ("StartTime", "19:30"), ("EndTime", "21:30"));
        var mail = await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @id and kind = 'voorstel'", new { id });
        var link = ResidentLinkPattern().Match(mail).Groups[1].Value;
        Assert.NotEqual("", link);
        Assert.NotEqual(firstLink, link);
        Assert.DoesNotContain("/mijn/", mail);
        Assert.Contains("De beheerder doet een ander voorstel", await resident.GetPageAsync(link));

        var accepted = await resident.PostFormAsync(link, $"{link}/voorstel-aannemen");
        Assert.Equal(link, accepted.Headers.Location!.OriginalString);
        Assert.Equal("bevestigd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Contains("Voorstel aangenomen", await resident.GetPageAsync(firstLink)); // the first link still works
        // Only the hash of the new link is stored.
        var token = link[(link.LastIndexOf('/') + 1)..];
        Assert.Equal(1, await Data.ScalarAsync<int>(
            "select count(*)::int from reservation_access_links where reservation_id = @id and token_hash = sha256(convert_to(@token, 'UTF8'))", new { id, token }));
    }
}
