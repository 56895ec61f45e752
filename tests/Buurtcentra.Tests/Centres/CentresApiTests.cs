using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Centres;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Tests.Centres;

public sealed class CentresApiTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private HttpClient Client => App.CreateClient();

    private Task<string> SlugAsync(long centreId) =>
        Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });

    [Fact]
    public async Task List_returns_the_documented_camel_case_shape()
    {
        var smo = await Data.OrganisationAsync("Welzijn West");
        var centre = await Data.CentreAsync("Buurtcentrum Json", smoId: smo, wijkId: 1);
        await Data.RoomAsync(centre, "Grote zaal", type: "zaal", capacity: 80, facilities: ["beamer", "wifi"], accessibility: ["lift"]);
        await Data.OpeningHoursAsync(centre, 2, new TimeOnly(9, 0), new TimeOnly(12, 0));
        await Data.OpeningHoursAsync(centre, 2, new TimeOnly(13, 30), new TimeOnly(17, 0));

        var response = await Client.GetAsync("/api/v1/centres");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("count").GetInt32());
        var c = root.GetProperty("centres")[0];
        Assert.Equal(await SlugAsync(centre), c.GetProperty("slug").GetString());
        Assert.Equal("Buurtcentrum Json", c.GetProperty("name").GetString());
        Assert.Equal($"/buurtcentra/{await SlugAsync(centre)}", c.GetProperty("url").GetString());
        Assert.Equal("Teststraat 1", c.GetProperty("address").GetProperty("street").GetString());
        Assert.Equal("3511 AA", c.GetProperty("address").GetProperty("postcode").GetString());
        Assert.Equal(1, c.GetProperty("wijk").GetProperty("id").GetInt32());
        Assert.Equal("West", c.GetProperty("wijk").GetProperty("name").GetString());
        Assert.Equal("Welzijn West", c.GetProperty("smo").GetProperty("name").GetString());
        var hours = c.GetProperty("openingHours");
        Assert.Equal(2, hours.GetArrayLength());
        Assert.Equal(2, hours[0].GetProperty("weekday").GetInt32());
        Assert.Equal("dinsdag", hours[0].GetProperty("day").GetString());
        Assert.Equal("09:00", hours[0].GetProperty("opens").GetString());
        Assert.Equal("12:00", hours[0].GetProperty("closes").GetString());
        Assert.Equal("13:30", hours[1].GetProperty("opens").GetString());
        var room = c.GetProperty("rooms")[0];
        Assert.Equal("Grote zaal", room.GetProperty("name").GetString());
        Assert.Equal("zaal", room.GetProperty("type").GetProperty("code").GetString());
        Assert.Equal("Zaal", room.GetProperty("type").GetProperty("name").GetString());
        Assert.Equal(80, room.GetProperty("capacity").GetInt32());
        Assert.Equal(50, room.GetProperty("areaM2").GetInt32());
        Assert.Equal("beamer", room.GetProperty("facilities")[0].GetProperty("code").GetString());
        Assert.Equal("Beamer", room.GetProperty("facilities")[0].GetProperty("name").GetString());
        Assert.Equal("Wifi", room.GetProperty("facilities")[1].GetProperty("name").GetString());
        Assert.Equal("lift", room.GetProperty("accessibility")[0].GetProperty("code").GetString());
        Assert.True(room.GetProperty("matchesFilter").GetBoolean());
        Assert.False(c.TryGetProperty("closureDays", out _));
    }

    [Fact]
    public async Task List_applies_the_same_filters_as_the_page()
    {
        var a = await Data.CentreAsync("Buurtcentrum A", wijkId: 7);
        await Data.RoomAsync(a, "Zaal A", capacity: 60, accessibility: ["rolstoeltoegankelijk"]);
        await Data.RoomAsync(a, "Kamer A", capacity: 8);
        var b = await Data.CentreAsync("Buurtcentrum B", wijkId: 7);
        await Data.RoomAsync(b, "Zaal B", capacity: 60);
        var c = await Data.CentreAsync("Buurtcentrum C", wijkId: 5);
        await Data.RoomAsync(c, "Zaal C", capacity: 60, accessibility: ["rolstoeltoegankelijk"]);
        var inactive = await Data.CentreAsync("Buurtcentrum D", wijkId: 7);
        await Data.RoomAsync(inactive, "Zaal D", capacity: 60, accessibility: ["rolstoeltoegankelijk"]);
        await Data.ScalarAsync<int>("update centres set active = false where id = @inactive returning 1", new { inactive });

        var result = await Client.GetFromJsonAsync<CentreListResponse>("/api/v1/centres?wijk=Zuid&capacity=50&accessibility=rolstoeltoegankelijk");

        var centre = Assert.Single(result!.Centres);
        Assert.Equal("Buurtcentrum A", centre.Name);
        Assert.Equal(1, result.Count);
        Assert.True(centre.Rooms.Single(r => r.Name == "Zaal A").MatchesFilter);
        Assert.False(centre.Rooms.Single(r => r.Name == "Kamer A").MatchesFilter);

        var byNumber = await Client.GetFromJsonAsync<CentreListResponse>("/api/v1/centres?wijk=7&facility=BEAMER");
        Assert.Equal(0, byNumber!.Count);
        var byName = await Client.GetFromJsonAsync<CentreListResponse>("/api/v1/centres?q=centrum%20c");
        Assert.Equal("Buurtcentrum C", Assert.Single(byName!.Centres).Name);
    }

    [Fact]
    public async Task One_centre_with_closure_days()
    {
        var today = AmsterdamTime.Today(App.Time);
        var centre = await Data.CentreAsync("Buurtcentrum Detail");
        await Data.RoomAsync(centre, "Huiskamer", type: "huiskamer", capacity: 20);
        await Data.OpeningHoursAsync(centre, 7, new TimeOnly(12, 0), new TimeOnly(17, 0));
        await Data.ScalarAsync<long>("""
            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
            values (null, @day, @day, 'feestdag', 'Kerstmis', now()), (@centre, @later, @later, 'overig', 'Verbouwing', now())
            returning 1
            """, new { centre, day = today.AddDays(30), later = today.AddDays(40) });

        var details = await Client.GetFromJsonAsync<CentreDetailsDto>($"/api/v1/centres/{await SlugAsync(centre)}");

        Assert.Equal("Buurtcentrum Detail", details!.Name);
        Assert.Equal("Huiskamer", Assert.Single(details.Rooms).Type.Name);
        var hours = Assert.Single(details.OpeningHours);
        Assert.Equal((7, "zondag", "12:00", "17:00"), (hours.Weekday, hours.Day, hours.Opens, hours.Closes));
        Assert.Collection(details.ClosureDays,
            x => Assert.Equal((today.AddDays(30), "feestdag", "Kerstmis", true), (x.StartsOn, x.Kind, x.Reason, x.CityWide)),
            x => Assert.Equal((today.AddDays(40), "overig", "Verbouwing", false), (x.StartsOn, x.Kind, x.Reason, x.CityWide)));
    }

    [Fact]
    public async Task Unknown_or_inactive_centre_is_a_404_problem()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Verborgen");
        await Data.ScalarAsync<int>("update centres set active = false where id = @centre returning 1", new { centre });

        foreach (var slug in new[] { "bestaat-niet", await SlugAsync(centre) })
        {
            var response = await Client.GetAsync($"/api/v1/centres/{slug}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(404, json.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("Buurtcentrum niet gevonden", json.RootElement.GetProperty("title").GetString());
        }
    }

    [Theory]
    [InlineData("capacity=abc", "capacity", "Vul bij aantal personen een heel getal in, bijvoorbeeld 20.")]
    [InlineData("capacity=-1", "capacity", "Vul bij aantal personen een getal van 1 tot en met 2000 in.")]
    [InlineData("wijk=Atlantis", "wijk", "Deze wijk kennen we niet. Kies een wijk uit de lijst.")]
    [InlineData("wijk=11", "wijk", "Deze wijk kennen we niet. Kies een wijk uit de lijst.")]
    [InlineData("facility=jacuzzi", "facility", "Deze faciliteit kennen we niet. Kies een faciliteit uit de lijst.")]
    [InlineData("accessibility=x", "accessibility", "Deze vorm van toegankelijkheid kennen we niet. Kies er een uit de lijst.")]
    public async Task Bad_filter_values_are_a_400_validation_problem_in_dutch(string query, string field, string message)
    {
        var response = await Client.GetAsync($"/api/v1/centres?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("De zoekvraag klopt niet.", json.RootElement.GetProperty("title").GetString());
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal(message, errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Too_long_search_text_is_a_400_too()
    {
        var response = await Client.GetAsync($"/api/v1/centres?q={new string('a', 101)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Zoek met hoogstens 100 tekens.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_document_lists_both_endpoints_with_their_parameters()
    {
        using var json = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/centres", out var list));
        Assert.True(paths.TryGetProperty("/api/v1/centres/{slug}", out _));
        var parameters = list.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["wijk", "capacity", "facility", "accessibility", "q"], parameters);
        Assert.Equal("ListCentres", list.GetProperty("get").GetProperty("operationId").GetString());
        // MVC pages are not part of the API document.
        Assert.False(paths.TryGetProperty("/buurtcentra", out _));
    }
}
