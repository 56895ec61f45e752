using System.Net;
using System.Text.Json;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Availability;

namespace Buurtcentra.Tests.Availability;

/// <summary>
/// The finder only offers dates the request form would accept for the person searching: not within a centre's lead time
/// (lead_time_days; people who manage the centre are exempt) and not beyond its horizon (horizon_days; for everyone).
/// App.Time: maandag 23 november 2026, 10:00 in Utrecht.
/// </summary>
public sealed class BookingWindowTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly DateOnly Nov24 = new(2026, 11, 24), Dec1 = new(2026, 12, 1), Dec8 = new(2026, 12, 8), Dec15 = new(2026, 12, 15);
    private AvailabilityData Occupancy => new(Fixture.Database.DataSource);

    /// <summary>A centre open every day 9-17 with one room and the given booking window.</summary>
    private async Task<(long Centre, long Room)> CentreAsync(string name, int leadTimeDays, int horizonDays = 400)
    {
        var centre = await Data.CentreAsync(name);
        var room = await Data.RoomAsync(centre, "Zaal");
        await Occupancy.RoomRulesAsync(room);
        for (var weekday = 1; weekday <= 7; weekday++) await Data.OpeningHoursAsync(centre, weekday, new TimeOnly(9, 0), new TimeOnly(17, 0));
        await Occupancy.BookingWindowAsync(centre, leadTimeDays, horizonDays);
        return (centre, room);
    }

    private static async Task<AvailabilityResponse> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/availability?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query} gave {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<AvailabilityResponse>(body, JsonSerializerOptions.Web)!;
    }

    private static List<DateOnly> OfferedDates(AvailabilityResponse result, long centreId) =>
        result.Centres.Where(c => c.Id == centreId).SelectMany(c => c.Rooms).SelectMany(r => r.FreeSlots)
            .Select(s => DateOnly.FromDateTime(s.Start.DateTime)).Distinct().Order().ToList();

    [Fact]
    public async Task Without_an_account_dates_within_the_lead_time_or_beyond_the_horizon_are_left_out_and_listed()
    {
        var (strict, _) = await CentreAsync("Buurtcentrum Streng", leadTimeDays: 3, horizonDays: 10);
        var (easy, _) = await CentreAsync("Buurtcentrum Soepel", leadTimeDays: 0, horizonDays: 400);

        var tuesdays = await SearchAsync(App.CreateClient(), "weekday=2");

        Assert.Equal([Nov24, Dec1, Dec8, Dec15], tuesdays.Dates);
        Assert.Equal([Dec1], OfferedDates(tuesdays, strict));
        Assert.Equal([Nov24, Dec1, Dec8, Dec15], OfferedDates(tuesdays, easy));
        Assert.Equal([Nov24], tuesdays.TooSoon!.Dates);
        Assert.Equal((3, 3), (tuesdays.TooSoon.MinDays, tuesdays.TooSoon.MaxDays));
        Assert.Equal([Dec8, Dec15], tuesdays.TooFar!.Dates);
        Assert.Equal((10, 10), (tuesdays.TooFar.MinDays, tuesdays.TooFar.MaxDays));

        // Nothing left out: both stay null.
        var fine = await SearchAsync(App.CreateClient(), "date=2026-12-01");
        Assert.Equal([strict, easy], fine.Centres.Select(c => c.Id).Order());
        Assert.Null(fine.TooSoon);
        Assert.Null(fine.TooFar);
    }

    [Theory]
    [InlineData(8, 400, true)]   // 1 december is exactly 8 days ahead: the first date that can be requested
    [InlineData(9, 400, false)]  // one day too soon
    [InlineData(0, 8, true)]     // the last date of the horizon
    [InlineData(0, 7, false)]    // one day beyond it
    public async Task The_bounds_themselves_are_offered(int leadTimeDays, int horizonDays, bool offered)
    {
        var (centre, _) = await CentreAsync("Buurtcentrum Grens", leadTimeDays, horizonDays);

        var result = await SearchAsync(App.CreateClient(), "date=2026-12-01");

        Assert.Equal(offered ? [Dec1] : [], OfferedDates(result, centre));
        Assert.Equal(offered, result.TooSoon is null && result.TooFar is null);
    }

    [Fact]
    public async Task A_beheerder_skips_the_lead_time_of_the_own_centre_only_and_the_horizon_still_applies()
    {
        var (own, _) = await CentreAsync("Buurtcentrum Eigen", leadTimeDays: 3, horizonDays: 10);
        var (other, _) = await CentreAsync("Buurtcentrum Ander", leadTimeDays: 3, horizonDays: 10);
        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [own])));
        var gebruiker = new Browser(App);
        await gebruiker.SignInWithLinkAsync(App, await Data.EmailOfAsync(await Data.UserAsync("gebruiker")));

        var asBeheerder = await SearchAsync(beheerder.Client, "weekday=2");
        var asGebruiker = await SearchAsync(gebruiker.Client, "weekday=2");

        Assert.Equal([Nov24, Dec1], OfferedDates(asBeheerder, own));
        Assert.Equal([Dec1], OfferedDates(asBeheerder, other));
        Assert.Equal([Nov24], asBeheerder.TooSoon!.Dates);
        Assert.Equal([Dec8, Dec15], asBeheerder.TooFar!.Dates);
        Assert.Equal([Dec1], OfferedDates(asGebruiker, own));
        Assert.Equal([Dec1], OfferedDates(asGebruiker, other));
    }

    [Fact]
    public async Task The_page_says_in_one_line_why_dates_are_missing()
    {
        await CentreAsync("Buurtcentrum Streng", leadTimeDays: 3, horizonDays: 10);
        await CentreAsync("Buurtcentrum Strenger", leadTimeDays: 5, horizonDays: 10);
        var browser = new Browser(App);

        var tuesdays = WebUtility.HtmlDecode(await browser.GetPageAsync("/ruimte-zoeken?Weekday=2"));
        Assert.Contains("<p class=\"utrecht-paragraph\">Te kort dag voor dinsdag 24 november 2026: een aanvraag moet minstens 3 tot 5 dagen "
            + "(dat verschilt per buurtcentrum) van tevoren binnen zijn. Tijden die daardoor niet meer kunnen, ziet u hier niet. "
            + "Is het dringend? Bel het buurtcentrum.</p>", tuesdays);
        Assert.Contains("<p class=\"utrecht-paragraph\">Te ver vooruit voor dinsdag 8 december 2026 en dinsdag 15 december 2026: "
            + "u kunt tot 10 dagen vooruit aanvragen. Tijden die daardoor nog niet kunnen, ziet u hier niet.</p>", tuesdays);
        Assert.Contains("<dt>dinsdag 1 december 2026</dt>", tuesdays);
        Assert.DoesNotContain("<dt>dinsdag 24 november 2026</dt>", tuesdays);
        Assert.DoesNotContain("<dt>dinsdag 8 december 2026</dt>", tuesdays);

        var tomorrow = WebUtility.HtmlDecode(await browser.GetPageAsync("/ruimte-zoeken?Date=2026-11-24"));
        Assert.Contains("Geen vrije ruimte gevonden", tomorrow);
        Assert.Contains("Te kort dag voor dinsdag 24 november 2026: een aanvraag moet minstens 3 tot 5 dagen", tomorrow);
        Assert.DoesNotContain("Te ver vooruit", tomorrow);

        var fine = WebUtility.HtmlDecode(await browser.GetPageAsync("/ruimte-zoeken?Date=2026-12-01"));
        Assert.DoesNotContain("Te kort dag", fine);
        Assert.DoesNotContain("Te ver vooruit", fine);
    }

    [Fact]
    public async Task Every_date_the_finder_offers_the_request_form_accepts_and_every_date_it_leaves_out_the_form_refuses()
    {
        var (centre, room) = await CentreAsync("Buurtcentrum Eens", leadTimeDays: 3, horizonDays: 8);
        var slug = await Occupancy.SlugAsync(centre);
        var resident = new Browser(App);

        for (var date = Today; date <= Today.AddDays(10); date = date.AddDays(1))
        {
            var offered = OfferedDates(await SearchAsync(resident.Client, $"date={date:yyyy-MM-dd}&from=10:00&to=11:00"), centre).Contains(date);

            var response = await resident.PostFormAsync($"/reserveren/nieuw?ruimte={room}", "/reserveren/nieuw",
                ("centrum", slug), ("RoomId", room.ToString()), ("Date", $"{date:yyyy-MM-dd}"), ("StartTime", "10:00"), ("EndTime", "11:00"),
                ("Repeat", "eenmalig"), ("Activity", "Buurtkoor"), ("Category", "bewonersinitiatief"), ("Participants", "10"),
                ("ContactName", "Fatima El Amrani"), ("ContactEmail", "fatima@example.org"), ("actie", "controleren"));
            var page = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var accepted = !page.Contains("id=\"Date-error\"", StringComparison.Ordinal);
            Assert.True(offered == accepted, $"{date:yyyy-MM-dd}: the finder {(offered ? "offers" : "leaves out")} the date, the form {(accepted ? "accepts" : "refuses")} it.");
            Assert.Equal(date >= Today.AddDays(3) && date <= Today.AddDays(8), offered);
        }
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
    }
}
