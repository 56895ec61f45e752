using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Dapper;

namespace Buurtcentra.Tests.Reservations;

public sealed partial class ReservationFlowTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private sealed record Setup(long CentreId, long RoomId, long GroupId, long BeheerderId, long GebruikerId);

    private async Task<Setup> SetupAsync()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Grote zaal", capacity: 40);
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centreId, day, new TimeOnly(9, 0), new TimeOnly(23, 0));
        var groupId = await Data.OrganisationAsync("Buurtkoor Hoograven", "gebruikersgroep", "bewonersinitiatief");
        var beheerderId = await Data.UserAsync("sociaal_beheerder", centreIds: [centreId]);
        var gebruikerId = await Data.UserAsync("gebruiker", groupId);
        return new Setup(centreId, roomId, groupId, beheerderId, gebruikerId);
    }

    private async Task<Browser> GebruikerAsync(long userId)
    {
        var browser = new Browser(App);
        await browser.SignInWithLinkAsync(App, await Data.EmailOfAsync(userId));
        return browser;
    }

    private async Task<Browser> BeheerderAsync(long userId)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));
        return browser;
    }

    private static List<KeyValuePair<string, string>> RequestFields(long roomId, string date = "2027-03-02", string start = "19:00", string end = "21:00",
        string repeat = "eenmalig", string? until = null, string activity = "Buurtkoor", string participants = "15", string slug = "", bool skipBusy = false)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("centrum", slug), new("RoomId", roomId.ToString()), new("Date", date), new("StartTime", start), new("EndTime", end),
            new("Repeat", repeat), new("EndsBy", "datum"), new("Until", until ?? ""), new("Activity", activity), new("Category", "bewonersinitiatief"),
            new("Participants", participants), new("ContactPhone", "030 123 4567"), new("actie", "versturen"),
        };
        if (skipBusy) fields.Add(new("SkipBusyDates", "true"));
        return fields;
    }

    private async Task<long> LatestReservationIdAsync() => await Data.ScalarAsync<long>("select max(id) from reservations");

    private async Task<string[]> OccurrenceStatusesAsync(long reservationId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<string>("select status from occurrences where reservation_id = @reservationId order by series_date", new { reservationId })).ToArray();
    }

    [Fact]
    public async Task A_gebruiker_requests_a_weekly_series_the_beheerder_approves_and_mails_with_an_invitation_go_out()
    {
        var s = await SetupAsync();
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
                values (null, '2027-03-16', '2027-03-16', 'overig', 'Verkiezingen', now())
                """);
        }
        var gebruiker = await GebruikerAsync(s.GebruikerId);
        var page = $"/reserveren/nieuw?ruimte={s.RoomId}";
        var response = await gebruiker.PostFormAsync(page, "/reserveren/nieuw", RequestFields(s.RoomId, repeat: "wekelijks", until: "2027-03-30"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await LatestReservationIdAsync();
        Assert.Equal($"/mijn/reserveringen/{id}", response.Headers.Location!.OriginalString);

        Assert.Equal("aangevraagd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Equal(["aangevraagd", "aangevraagd", "aangevraagd", "aangevraagd"], await OccurrenceStatusesAsync(id));
        Assert.Equal("Verkiezingen", await Data.ScalarAsync<string>("select reason from reservation_skipped_dates where reservation_id = @id", new { id }));
        Assert.Equal(s.GroupId, await Data.ScalarAsync<long>("select organisation_id from reservations where id = @id", new { id }));
        var kinds = await OutboxKindsAsync(id);
        Assert.Contains("aanvraag_ontvangen", kinds);
        Assert.Contains("nieuwe_aanvraag", kinds);

        var mine = await gebruiker.GetPageAsync($"/mijn/reserveringen/{id}");
        Assert.Contains("Verkiezingen", mine);
        Assert.Contains("Aanvraag verstuurd", mine);

        var beheerder = await BeheerderAsync(s.BeheerderId);
        Assert.Contains("Buurtkoor", await beheerder.GetPageAsync("/beheer/aanvragen"));
        var approve = await beheerder.PostFormAsync($"/beheer/reserveringen/{id}", $"/beheer/reserveringen/{id}/goedkeuren", ("note", "Welkom!"));
        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        Assert.Equal("bevestigd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Equal(["bevestigd", "bevestigd", "bevestigd", "bevestigd"], await OccurrenceStatusesAsync(id));
        var invitation = await Data.ScalarAsync<string?>("select calendar_ics from outbox where reservation_id = @id and kind = 'bevestigd'", new { id });
        Assert.NotNull(invitation);
        Assert.Contains("METHOD:REQUEST", invitation);
        Assert.Contains("Goedgekeurd", await gebruiker.GetPageAsync($"/mijn/reserveringen/{id}"));
    }

    [Fact]
    public async Task Two_pending_requests_for_one_slot_can_never_both_be_approved()
    {
        var s = await SetupAsync();
        var gebruiker = await GebruikerAsync(s.GebruikerId);
        var page = $"/reserveren/nieuw?ruimte={s.RoomId}";
        await gebruiker.PostFormAsync(page, "/reserveren/nieuw", RequestFields(s.RoomId, activity: "Koor"));
        var first = await LatestReservationIdAsync();
        await gebruiker.PostFormAsync(page, "/reserveren/nieuw", RequestFields(s.RoomId, start: "20:00", end: "22:00", activity: "Yoga"));
        var second = await LatestReservationIdAsync();
        Assert.NotEqual(first, second);

        var beheerder = await BeheerderAsync(s.BeheerderId);
        var queue = await beheerder.GetPageAsync("/beheer/aanvragen");
        Assert.Contains("Wil hetzelfde moment", queue);

        await beheerder.PostFormAsync($"/beheer/reserveringen/{first}", $"/beheer/reserveringen/{first}/goedkeuren");
        var refused = await beheerder.PostFormAsync($"/beheer/reserveringen/{second}", $"/beheer/reserveringen/{second}/goedkeuren");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var page2 = await beheerder.GetPageAsync($"/beheer/reserveringen/{second}");
        Assert.Contains("Goedkeuren kan niet: de ruimte is al bezet", page2);
        Assert.Equal("aangevraagd", await Data.ScalarAsync<string>("select status from reservations where id = @second", new { second }));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from occurrences where status = 'bevestigd'"));
    }

    [Fact]
    public async Task A_beheerder_of_another_centre_cannot_see_or_decide_on_a_request()
    {
        var s = await SetupAsync();
        var gebruiker = await GebruikerAsync(s.GebruikerId);
        await gebruiker.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", RequestFields(s.RoomId));
        var id = await LatestReservationIdAsync();

        var otherCentre = await Data.CentreAsync("Ander centrum");
        var stranger = await BeheerderAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [otherCentre]));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/beheer/reserveringen/{id}")).StatusCode);
        var token = await stranger.TokenFromAsync("/beheer/aanvragen");
        var post = await stranger.Client.PostAsync($"/beheer/reserveringen/{id}/goedkeuren",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain("Buurtkoor", await stranger.GetPageAsync("/beheer/aanvragen"));
        Assert.Equal("aangevraagd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
    }

    [Fact]
    public async Task A_resident_confirms_the_email_address_before_the_beheerder_hears_of_the_request()
    {
        var s = await SetupAsync();
        var resident = new Browser(App);
        var fields = RequestFields(s.RoomId);
        fields.Add(new("ContactName", "Fatima El Amrani"));
        fields.Add(new("ContactEmail", "fatima@example.org"));
        var response = await resident.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", fields);
        Assert.Equal("/reserveren/controleer-uw-mail", response.Headers.Location!.OriginalString);
        var id = await LatestReservationIdAsync();
        Assert.Equal("e_mail_bevestigen", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Equal(["e_mail_bevestigen"], await OutboxKindsAsync(id));

        var body = await Data.ScalarAsync<string>("select text_body from outbox where reservation_id = @id", new { id });
        var link = ResidentLinkPattern().Match(body).Groups[1].Value;
        var confirm = await resident.PostFormAsync(link, $"{link}/bevestigen");
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.Equal("aangevraagd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Contains("nieuwe_aanvraag", await OutboxKindsAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, (await resident.Client.GetAsync("/reserveren/aanvraag/" + new string('x', 43))).StatusCode);
    }

    [GeneratedRegex(@"https?://[^/\s]+(/reserveren/aanvraag/[A-Za-z0-9_\-]+)")]
    private static partial Regex ResidentLinkPattern();

    [Fact]
    public async Task A_form_with_mistakes_keeps_the_input_and_explains_each_rule()
    {
        var s = await SetupAsync();
        var gebruiker = await GebruikerAsync(s.GebruikerId);
        var response = await gebruiker.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw",
            RequestFields(s.RoomId, start: "21:00", end: "19:00", participants: "abc", activity: "Mijn koor"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("De eindtijd moet na de begintijd liggen.", body);
        Assert.Contains("Mijn koor", body);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from reservations"));

        var tooMany = await gebruiker.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", RequestFields(s.RoomId, participants: "41"));
        Assert.Contains("maximaal 40 mensen", await tooMany.Content.ReadAsStringAsync());
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
    }

    [Fact]
    public async Task Cancelling_one_date_keeps_the_others_and_the_cancelled_date_stays_cancelled()
    {
        var s = await SetupAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);
        var fields = RequestFields(s.RoomId, repeat: "wekelijks", until: "2027-03-23");
        fields.Add(new("ContactName", "Henk de Vries"));
        var booked = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", fields);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var id = await LatestReservationIdAsync();
        Assert.Equal(["bevestigd", "bevestigd", "bevestigd", "bevestigd"], await OccurrenceStatusesAsync(id));

        await beheerder.PostFormAsync($"/beheer/reserveringen/{id}", $"/beheer/reserveringen/{id}/annuleren", ("scope", "datum"), ("seriesDate", "2027-03-09"));
        Assert.Equal(["bevestigd", "geannuleerd", "bevestigd", "bevestigd"], await OccurrenceStatusesAsync(id));
        Assert.Equal("bevestigd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id }));
        Assert.Equal(1, await Data.ScalarAsync<int>("select sequence from reservations where id = @id", new { id }));

        await beheerder.PostFormAsync($"/beheer/reserveringen/{id}", $"/beheer/reserveringen/{id}/annuleren", ("scope", "vanaf"), ("seriesDate", "2027-03-16"));
        Assert.Equal(["bevestigd", "geannuleerd", "geannuleerd", "geannuleerd"], await OccurrenceStatusesAsync(id));

        // The freed slot can be booked again by someone else.
        var again = RequestFields(s.RoomId, date: "2027-03-09", activity: "Yoga");
        again.Add(new("ContactName", "Yogagroep"));
        Assert.Equal(HttpStatusCode.Redirect, (await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", again)).StatusCode);
    }

    [Fact]
    public async Task Fifty_simultaneous_conflicting_bookings_over_HTTP_give_exactly_one_winner()
    {
        var s = await SetupAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);
        var body = new { roomId = s.RoomId, start = "2027-03-02T19:00", end = "2027-03-02T21:00", activity = "Buurtkoor", participants = 15, contactName = "Henk" };
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => beheerder.Client.PostAsJsonAsync("/api/v1/reservations", body)));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from occurrences where status = 'bevestigd'"));
        var conflict = await responses.First(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync();
        Assert.Contains("19:00", conflict);
        Assert.Contains("application/problem+json", responses.First(r => r.StatusCode == HttpStatusCode.Conflict).Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task The_API_creates_reads_and_cancels_and_answers_bad_input_with_field_errors()
    {
        var s = await SetupAsync();
        var beheerder = await BeheerderAsync(s.BeheerderId);
        var bad = await beheerder.Client.PostAsJsonAsync("/api/v1/reservations",
            new { roomId = s.RoomId, start = "2027-03-02T21:00", end = "morgen", activity = "", participants = 15 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(problem.TryGetProperty("end", out _));

        var created = await beheerder.Client.PostAsJsonAsync("/api/v1/reservations", new
        {
            roomId = s.RoomId, start = "2027-03-02T19:00", end = "2027-03-02T21:00", activity = "Buurtkoor", participants = 15, contactName = "Henk", contactEmail = "henk@example.org",
            recurrence = new { kind = "weekly", count = 3 },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        var json = JsonDocument.Parse(await beheerder.Client.GetStringAsync(location)).RootElement;
        Assert.Equal("bevestigd", json.GetProperty("status").GetString());
        Assert.Equal(3, json.GetProperty("occurrences").GetArrayLength());
        Assert.Equal("2027-03-02T19:00:00+01:00", json.GetProperty("occurrences")[0].GetProperty("start").GetString());

        var cancelled = await beheerder.Client.PostAsJsonAsync($"{location}/cancel", new { scope = "all", reason = "Koor stopt" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("geannuleerd", JsonDocument.Parse(await cancelled.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Contains("CANCEL", await Data.ScalarAsync<string>("select calendar_method from outbox where kind = 'geannuleerd'"));

        var stranger = await BeheerderAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [await Data.CentreAsync("Ander")]));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(location)).StatusCode);
    }

    private async Task<string[]> OutboxKindsAsync(long reservationId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<string>("select kind from outbox where reservation_id = @reservationId order by id", new { reservationId })).ToArray();
    }
}
