using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Availability;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Tests.Availability;

/// <summary>GET /api/v1/availability against a real database. App.Time: maandag 23 november 2026, 10:00 in Utrecht.</summary>
public sealed class AvailabilityApiTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private static readonly DateOnly Tuesday = new(2026, 12, 1);
    private static readonly TimeOnly Nine = new(9, 0), Five = new(17, 0);

    private HttpClient Client => App.CreateClient();
    private AvailabilityData Occupancy => new(Fixture.Database.DataSource);

    private async Task<AvailabilityResponse> SearchAsync(string query)
    {
        var response = await Client.GetAsync($"/api/v1/availability?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query} gave {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<AvailabilityResponse>(body, JsonSerializerOptions.Web)!;
    }

    private static List<string> Slots(AvailableRoomDto room) =>
        room.FreeSlots.Select(s => $"{s.Start:yyyy-MM-dd HH:mm}–{s.End:HH:mm}").ToList();

    /// <summary>
    /// A centre open on tuesdays 9-17 with one room; room rules without buffers unless given. It takes requests for the
    /// same day (lead time 0), so these tests see every date; the lead time itself is in <see cref="BookingWindowTests"/>.
    /// </summary>
    private async Task<(long Centre, long Room)> CentreWithRoomAsync(string name, string room = "Zaal", short wijkId = 7,
        int capacity = 30, string[]? facilities = null, string[]? accessibility = null)
    {
        var centre = await Data.CentreAsync(name, wijkId: wijkId);
        var roomId = await Data.RoomAsync(centre, room, capacity: capacity, facilities: facilities, accessibility: accessibility);
        await Occupancy.RoomRulesAsync(roomId);
        await Data.OpeningHoursAsync(centre, 2, Nine, Five);
        await Occupancy.BookingWindowAsync(centre, leadTimeDays: 0);
        return (centre, roomId);
    }

    [Fact]
    public async Task Free_slots_go_around_confirmed_bookings_with_buffers_and_ignore_pending_requests()
    {
        var (centre, room) = await CentreWithRoomAsync("Buurtcentrum Rond");
        await Occupancy.RoomRulesAsync(room, setupMinutes: 0, cleanupMinutes: 15);
        // The other booking is 13:00-15:00 with 15 min clean-up: the room is blocked 13:00-15:15.
        await Occupancy.BookAsync(room, Tuesday, new TimeOnly(13, 0), new TimeOnly(15, 0), cleanup: 15);
        await Occupancy.BookAsync(room, Tuesday, Nine, new TimeOnly(11, 0), status: "aangevraagd", contactName: "Piet Wachtrij");

        var response = await Client.GetAsync("/api/v1/availability?date=2026-12-01&duration=60");
        var body = await response.Content.ReadAsStringAsync();
        var result = JsonSerializer.Deserialize<AvailabilityResponse>(body, JsonSerializerOptions.Web)!;

        Assert.Equal([Tuesday], result.Dates);
        var c = Assert.Single(result.Centres);
        Assert.Equal(centre, c.Id);
        Assert.Equal($"/buurtcentra/{await Occupancy.SlugAsync(centre)}", c.Url);
        var r = Assert.Single(c.Rooms);
        // Our own 15 min clean-up must end by 13:00; after the block we may start at 15:15.
        Assert.Equal(["2026-12-01 09:00–12:45", "2026-12-01 15:15–17:00"], Slots(r));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(1)), r.EarliestStart);
        Assert.Equal($"/reserveren/nieuw?ruimte={room}&datum=2026-12-01&van=15:15&tot=16:15", r.FreeSlots[1].RequestUrl);
        // ISO 8601 with the Utrecht offset; never who booked or what for.
        Assert.Contains("\"start\":\"2026-12-01T09:00:00+01:00\"", body);
        Assert.DoesNotContain("Jan Boeker", body);
        Assert.DoesNotContain("Piet Wachtrij", body);
        Assert.DoesNotContain("Klaverjassen", body);
        Assert.DoesNotContain("boeker@test.example", body);
    }

    [Fact]
    public async Task Time_window_and_duration_in_hours_and_minutes()
    {
        var (centre, room) = await CentreWithRoomAsync("Buurtcentrum Avond");
        await Data.OpeningHoursAsync(centre, 2, new TimeOnly(19, 0), new TimeOnly(23, 0));

        var result = await SearchAsync("date=2026-12-01&from=16:00&to=22:00&duration=1:30");

        var r = Assert.Single(Assert.Single(result.Centres).Rooms);
        Assert.Equal(90, result.DurationMinutes);
        // 9-17 leaves only 16:00-17:00 in the window: too short for 1:30.
        Assert.Equal(["2026-12-01 19:00–22:00"], Slots(r));
        Assert.Equal($"/reserveren/nieuw?ruimte={room}&datum=2026-12-01&van=19:00&tot=20:30", r.FreeSlots[0].RequestUrl);
    }

    [Fact]
    public async Task Closure_days_of_the_centre_and_of_all_centres_are_excluded()
    {
        var (closed, _) = await CentreWithRoomAsync("Buurtcentrum Dicht");
        var (open, _) = await CentreWithRoomAsync("Buurtcentrum Open");
        await Occupancy.ClosureAsync(closed, Tuesday, Tuesday.AddDays(1), "Verbouwing");
        await Occupancy.ClosureAsync(null, Tuesday.AddDays(7), Tuesday.AddDays(7), "Feestdag");

        var onTuesday = await SearchAsync("date=2026-12-01");
        Assert.Equal([open], onTuesday.Centres.Select(c => c.Id));

        var onHoliday = await SearchAsync("date=2026-12-08");
        Assert.Empty(onHoliday.Centres);

        var weekly = await SearchAsync("weekday=2");
        var closedCentre = weekly.Centres.Single(c => c.Id == closed);
        Assert.Equal([new DateOnly(2026, 11, 24), new DateOnly(2026, 12, 15)],
            closedCentre.Rooms.Single().FreeSlots.Select(s => DateOnly.FromDateTime(s.Start.DateTime)).ToList());
    }

    [Fact]
    public async Task Capacity_facilities_and_accessibility_must_all_hold_for_one_room()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Filter");
        await Data.OpeningHoursAsync(centre, 2, Nine, Five);
        await Data.RoomAsync(centre, "Groot met alles", capacity: 15, facilities: ["beamer", "wifi", "koffie"], accessibility: ["rolstoeltoegankelijk"]);
        await Data.RoomAsync(centre, "Groot zonder wifi", capacity: 40, facilities: ["beamer"], accessibility: ["rolstoeltoegankelijk"]);
        await Data.RoomAsync(centre, "Klein met alles", capacity: 14, facilities: ["beamer", "wifi"], accessibility: ["rolstoeltoegankelijk"]);
        await Data.RoomAsync(centre, "Groot niet toegankelijk", capacity: 40, facilities: ["beamer", "wifi"], accessibility: ["lift"]);

        var result = await SearchAsync("date=2026-12-01&participants=15&facilities=beamer&facilities=WIFI&accessibility=rolstoeltoegankelijk");

        var room = Assert.Single(Assert.Single(result.Centres).Rooms);
        Assert.Equal("Groot met alles", room.Name);
        Assert.Equal(15, room.Capacity);
        Assert.Equal(["beamer", "koffie", "wifi"], room.Facilities.Select(f => f.Code).Order());
        Assert.Equal(4, (await SearchAsync("date=2026-12-01&participants=14")).Centres.Single().Rooms.Count);
        Assert.Equal(["Groot niet toegankelijk", "Groot zonder wifi"],
            (await SearchAsync("date=2026-12-01&participants=16")).Centres.Single().Rooms.Select(r => r.Name).Order());
    }

    [Fact]
    public async Task Inactive_rooms_and_centres_and_rooms_whose_rules_exclude_the_duration_are_left_out()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Regels");
        await Data.OpeningHoursAsync(centre, 2, Nine, Five);
        var fits = await Data.RoomAsync(centre, "Past");
        var minimumTwoHours = await Data.RoomAsync(centre, "Minimaal twee uur");
        var maximumOneHour = await Data.RoomAsync(centre, "Maximaal een uur");
        var inactive = await Data.RoomAsync(centre, "Buiten gebruik");
        await Occupancy.RoomRulesAsync(fits, minMinutes: 30, maxMinutes: 90);
        await Occupancy.RoomRulesAsync(minimumTwoHours, minMinutes: 120, maxMinutes: 480);
        await Occupancy.RoomRulesAsync(maximumOneHour, minMinutes: 30, maxMinutes: 60);
        await Occupancy.DeactivateRoomAsync(inactive);
        var (closedCentre, _) = await CentreWithRoomAsync("Buurtcentrum Opgeheven");
        await Occupancy.DeactivateCentreAsync(closedCentre);

        var result = await SearchAsync("date=2026-12-01&duration=90");

        Assert.Equal(["Past"], Assert.Single(result.Centres).Rooms.Select(r => r.Name));
        Assert.Equal(["Maximaal een uur", "Past"], (await SearchAsync("date=2026-12-01&duration=60")).Centres.Single().Rooms.Select(r => r.Name).Order());
    }

    [Fact]
    public async Task Wijk_filter_keeps_centres_in_that_wijk()
    {
        await CentreWithRoomAsync("Buurtcentrum Zuid", wijkId: 7);
        await CentreWithRoomAsync("Buurtcentrum Oost", wijkId: 5);

        var byNumber = await SearchAsync("date=2026-12-01&wijk=5");
        var byName = await SearchAsync("date=2026-12-01&wijk=zuid");

        Assert.Equal(["Buurtcentrum Oost"], byNumber.Centres.Select(c => c.Name));
        Assert.Equal(5, byNumber.Centres[0].Wijk.Id);
        Assert.Equal("Oost", byNumber.Centres[0].Wijk.Name);
        Assert.Equal(["Buurtcentrum Zuid"], byName.Centres.Select(c => c.Name));
    }

    [Fact]
    public async Task Nearest_first_from_a_wijk_or_a_centre_and_by_name_without_one()
    {
        var (alfa, _) = await CentreWithRoomAsync("Buurtcentrum Alfa", wijkId: 10);
        var (bravo, _) = await CentreWithRoomAsync("Buurtcentrum Bravo", wijkId: 7);
        var (charlie, _) = await CentreWithRoomAsync("Buurtcentrum Charlie", wijkId: 5); // no coordinates: wijk Oost's centroid
        await Occupancy.CoordinatesAsync(alfa, 52.1050, 5.0125);  // Vleuten
        await Occupancy.CoordinatesAsync(bravo, 52.0710, 5.1290); // next to wijk Zuid's centroid (52.0700, 5.1300)

        var byName = await SearchAsync("date=2026-12-01");
        Assert.Equal([alfa, bravo, charlie], byName.Centres.Select(c => c.Id));
        Assert.All(byName.Centres, c => Assert.Null(c.DistanceKm));
        Assert.Null(byName.Near);

        var fromZuid = await SearchAsync("date=2026-12-01&near=wijk:7");
        Assert.Equal([bravo, charlie, alfa], fromZuid.Centres.Select(c => c.Id));
        Assert.Equal([0.1, 1.9, 8.9], fromZuid.Centres.Select(c => c.DistanceKm!.Value));
        Assert.Equal("wijk Zuid", fromZuid.Near);

        var fromAlfa = await SearchAsync($"date=2026-12-01&near=centre:{await Occupancy.SlugAsync(alfa)}");
        Assert.Equal([alfa, bravo, charlie], fromAlfa.Centres.Select(c => c.Id));
        Assert.Equal(0.0, fromAlfa.Centres[0].DistanceKm);

        var fromCharlie = await SearchAsync($"date=2026-12-01&near=centre:{await Occupancy.SlugAsync(charlie)}");
        Assert.Equal([charlie, bravo, alfa], fromCharlie.Centres.Select(c => c.Id));
    }

    [Fact]
    public async Task Times_that_have_passed_today_are_left_out()
    {
        // The shared clock starts at maandag 23 november 2026, 10:00 in Utrecht; other tests may have moved it on a little.
        var local = AmsterdamTime.ToLocal(App.Time.GetUtcNow());
        var today = DateOnly.FromDateTime(local);
        var minute = local.Hour * 60 + local.Minute + (local.Second > 0 || local.Millisecond > 0 ? 1 : 0);
        var firstStart = (minute + 14) / 15 * 15; // the next quarter hour
        Assert.True(firstStart < 20 * 60, "The test clock is expected to be during the day.");
        var weekday = today.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)today.DayOfWeek;

        var centre = await Data.CentreAsync("Buurtcentrum Vandaag");
        var room = await Data.RoomAsync(centre, "Zaal");
        await Occupancy.RoomRulesAsync(room);
        await Occupancy.BookingWindowAsync(centre, leadTimeDays: 0); // requests for today are allowed here
        await Data.OpeningHoursAsync(centre, weekday, new TimeOnly(0, 0), new TimeOnly(0, 30)); // long gone
        await Data.OpeningHoursAsync(centre, weekday, new TimeOnly(1, 0), new TimeOnly(22, 0));

        var result = await SearchAsync($"date={today:yyyy-MM-dd}");

        var expected = $"{today:yyyy-MM-dd} {firstStart / 60:00}:{firstStart % 60:00}–22:00";
        Assert.Equal([expected], Slots(Assert.Single(Assert.Single(result.Centres).Rooms)));
        // Until 30 minutes from now there is no room for an hour.
        var soon = minute + 30;
        Assert.Empty((await SearchAsync($"date={today:yyyy-MM-dd}&to={soon / 60:00}:{soon % 60:00}&duration=60")).Centres);
    }

    [Fact]
    public async Task Weekday_gives_the_next_four_of_that_day_starting_today()
    {
        var (_, room) = await CentreWithRoomAsync("Buurtcentrum Wekelijks");
        await Occupancy.BookAsync(room, new DateOnly(2026, 12, 8), Nine, Five);

        var tuesdays = await SearchAsync("weekday=2&from=09:00&to=12:00&duration=120");
        var mondays = await SearchAsync("weekday=1");

        DateOnly[] expected = [new(2026, 11, 24), new(2026, 12, 1), new(2026, 12, 8), new(2026, 12, 15)];
        Assert.Equal(expected, tuesdays.Dates);
        Assert.Equal(["2026-11-24 09:00–12:00", "2026-12-01 09:00–12:00", "2026-12-15 09:00–12:00"],
            Slots(Assert.Single(Assert.Single(tuesdays.Centres).Rooms)));
        Assert.Equal([new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 14)], mondays.Dates);
        Assert.Empty(mondays.Centres); // open on tuesdays only
    }

    [Theory]
    [InlineData("", "date", "Kies een datum of een weekdag.")]
    [InlineData("date=2026-12-01&weekday=2", "date", "Kies een datum of een weekdag, niet allebei.")]
    [InlineData("date=2027-02-31", "date", "Vul een bestaande datum in als dag-maand-jaar, bijvoorbeeld 2-3-2027.")]
    [InlineData("date=morgen", "date", "Vul een bestaande datum in als dag-maand-jaar, bijvoorbeeld 2-3-2027.")]
    [InlineData("date=2026-11-22", "date", "Kies een datum vanaf vandaag.")]
    [InlineData("date=2030-01-01", "date", "Kies een datum in de komende twee jaar.")]
    [InlineData("weekday=8", "weekday", "Kies een weekdag van 1 (maandag) tot en met 7 (zondag).")]
    [InlineData("date=2026-12-01&from=25:00", "from", "Vul de begintijd in als uren:minuten, bijvoorbeeld 09:00.")]
    [InlineData("date=2026-12-01&to=abc", "to", "Vul de eindtijd in als uren:minuten, bijvoorbeeld 17:00.")]
    [InlineData("date=2026-12-01&from=18:00&to=17:00", "to", "De eindtijd moet na de begintijd liggen.")]
    [InlineData("date=2026-12-01&to=00:00", "to", "De eindtijd moet na de begintijd liggen.")]
    [InlineData("date=2026-12-01&duration=10", "duration", "Kies een duur van minstens 15 minuten en hoogstens 24 uur.")]
    [InlineData("date=2026-12-01&duration=25:00", "duration", "Kies een duur van minstens 15 minuten en hoogstens 24 uur.")]
    [InlineData("date=2026-12-01&duration=twee", "duration", "Vul de duur in minuten in (bijvoorbeeld 90) of in uren en minuten (bijvoorbeeld 1:30).")]
    [InlineData("date=2026-12-01&from=19:00&to=20:00&duration=120", "duration", "De duur is langer dan de tijd tussen begintijd en eindtijd. Kies een kortere duur of een ruimere tijd.")]
    [InlineData("date=2026-12-01&participants=0", "participants", "Vul bij aantal personen een getal van 1 tot en met 2000 in.")]
    [InlineData("date=2026-12-01&participants=2001", "participants", "Vul bij aantal personen een getal van 1 tot en met 2000 in.")]
    [InlineData("date=2026-12-01&participants=-5", "participants", "Vul bij aantal personen een heel getal in, bijvoorbeeld 20.")]
    [InlineData("date=2026-12-01&facilities=beamer&facilities=jacuzzi", "facilities", "Deze faciliteit kennen we niet. Kies faciliteiten uit de lijst.")]
    [InlineData("date=2026-12-01&accessibility=x", "accessibility", "Deze vorm van toegankelijkheid kennen we niet. Kies uit de lijst.")]
    [InlineData("date=2026-12-01&wijk=11", "wijk", "Deze wijk kennen we niet. Kies een wijk uit de lijst.")]
    [InlineData("date=2026-12-01&near=centre:bestaat-niet", "near", "Kies bij 'In de buurt van' een wijk of een buurtcentrum uit de lijst.")]
    [InlineData("date=2026-12-01&near=zuid", "near", "Kies bij 'In de buurt van' een wijk of een buurtcentrum uit de lijst.")]
    public async Task Bad_input_is_a_400_validation_problem_in_dutch(string query, string field, string message)
    {
        var response = await Client.GetAsync($"/api/v1/availability?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("De zoekvraag klopt niet.", json.RootElement.GetProperty("title").GetString());
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal(message, Assert.Single(errors.EnumerateObject()).Value[0].GetString());
        Assert.Equal(message, errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoint()
    {
        using var json = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));

        var operation = json.RootElement.GetProperty("paths").GetProperty("/api/v1/availability").GetProperty("get");
        Assert.Equal("FindFreeRooms", operation.GetProperty("operationId").GetString());
        var parameters = operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["date", "weekday", "from", "to", "duration", "participants", "facilities", "accessibility", "wijk", "near"], parameters);
        Assert.True(operation.GetProperty("responses").TryGetProperty("400", out _));
    }
}
