using System.Net;
using System.Text.Json;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Agenda;

/// <summary>GET /api/v1/centres/{centre}/occupancy (centre: id or slug): busy periods for everyone, names only for those who may view the centre.</summary>
public sealed class OccupancyApiTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private AgendaData Agenda => new(Data);

    private sealed record World(long Centre, long Zaal, long Confirmed, long Pending);

    private async Task<World> BuildAsync()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Api");
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        var club = await Data.OrganisationAsync("Buurtkoor Zingt", "gebruikersgroep");
        var confirmed = await Agenda.BookAsync(centre, zaal, "Koorrepetitie", new(2027, 3, 1), new(19, 0), new(21, 0), organisationId: club,
            contactName: "Anna Alt", contactPhone: "06 5555 1234");
        var pending = await Agenda.BookAsync(centre, zaal, "Verjaardagsfeest", new(2027, 3, 6), new(14, 0), new(17, 0), "aangevraagd");
        await Agenda.BookAsync(centre, zaal, "Geannuleerd optreden", new(2027, 3, 3), new(20, 0), new(22, 0), "geannuleerd");
        // After the change to summer time: 19:00 local is +02:00.
        await Agenda.BookAsync(centre, zaal, "Koorrepetitie zomer", new(2027, 3, 29), new(19, 0), new(21, 0), organisationId: club);
        return new World(centre, zaal, confirmed, pending);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json, string Body)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone(), body);
    }

    [Fact]
    public async Task Anonymous_callers_get_the_busy_periods_without_names()
    {
        var world = await BuildAsync();

        var (status, json, body) = await GetAsync(App.CreateClient(), $"/api/v1/centres/{world.Centre}/occupancy?from=2027-03-01&to=2027-03-08");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(json.GetProperty("details").GetBoolean());
        var block = Assert.Single(json.GetProperty("blocks").EnumerateArray());
        Assert.Equal(world.Zaal, block.GetProperty("roomId").GetInt64());
        Assert.Equal("Grote zaal", block.GetProperty("roomName").GetString());
        Assert.Equal("2027-03-01T19:00:00+01:00", block.GetProperty("start").GetString());
        Assert.Equal("2027-03-01T21:15:00+01:00", block.GetProperty("end").GetString());
        Assert.Equal("bevestigd", block.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, block.GetProperty("activity").ValueKind);
        Assert.Equal(JsonValueKind.Null, block.GetProperty("organisation").ValueKind);
        Assert.Equal(JsonValueKind.Null, block.GetProperty("reservationId").ValueKind);
        foreach (var secret in new[] { "Koorrepetitie", "Buurtkoor Zingt", "Anna Alt", "06 5555 1234", "Verjaardagsfeest", "Geannuleerd" })
        {
            Assert.DoesNotContain(secret, body);
        }
    }

    [Fact]
    public async Task A_beheerder_of_the_centre_gets_names_reservation_ids_and_pending_requests()
    {
        var world = await BuildAsync();
        var beheerder = await AgendaData.StaffAsync(App, Data, "sociaal_beheerder", centreIds: [world.Centre]);

        var (status, json, body) = await GetAsync(beheerder.Client, $"/api/v1/centres/{world.Centre}/occupancy?from=2027-03-01&to=2027-03-08");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(json.GetProperty("details").GetBoolean());
        var blocks = json.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(2, blocks.Count);
        Assert.Equal("Koorrepetitie", blocks[0].GetProperty("activity").GetString());
        Assert.Equal("Buurtkoor Zingt", blocks[0].GetProperty("organisation").GetString());
        Assert.Equal(world.Confirmed, blocks[0].GetProperty("reservationId").GetInt64());
        Assert.Equal("2027-03-01T19:00:00+01:00", blocks[0].GetProperty("activityStart").GetString());
        Assert.Equal("2027-03-01T21:00:00+01:00", blocks[0].GetProperty("activityEnd").GetString());
        Assert.Equal("aangevraagd", blocks[1].GetProperty("status").GetString());
        Assert.Equal(world.Pending, blocks[1].GetProperty("reservationId").GetInt64());
        Assert.DoesNotContain("Geannuleerd", body);
        Assert.DoesNotContain("06 5555 1234", body); // no contact details in the API
    }

    [Fact]
    public async Task A_beheerder_of_another_centre_gets_no_names_and_times_after_the_dst_change_have_offset_plus_two()
    {
        var world = await BuildAsync();
        var other = await Data.CentreAsync();
        var beheerder = await AgendaData.StaffAsync(App, Data, "sociaal_beheerder", centreIds: [other]);

        var (status, json, body) = await GetAsync(beheerder.Client, $"/api/v1/centres/{world.Centre}/occupancy?from=2027-03-22&to=2027-04-05");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(json.GetProperty("details").GetBoolean());
        var block = Assert.Single(json.GetProperty("blocks").EnumerateArray());
        Assert.Equal("2027-03-29T19:00:00+02:00", block.GetProperty("start").GetString());
        Assert.DoesNotContain("Koorrepetitie", body);
    }

    [Theory]
    [InlineData("", "from")]
    [InlineData("from=2027-03-01", "to")]
    [InlineData("from=1-3-2027&to=2027-03-08", "from")]
    [InlineData("from=2027-03-01&to=2027-02-30", "to")]
    [InlineData("from=2027-03-08&to=2027-03-01", "to")]
    [InlineData("from=2027-03-01&to=2027-03-01", "to")]
    [InlineData("from=2027-03-01&to=2027-04-02", "to")]
    [InlineData("from=1850-03-01&to=1850-03-08", "from")]
    public async Task A_missing_bad_or_too_long_period_gives_400_with_a_dutch_message(string query, string field)
    {
        var world = await BuildAsync();

        var response = await App.CreateClient().GetAsync($"/api/v1/centres/{world.Centre}/occupancy?{query}");
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("De periode klopt niet.", json.GetProperty("title").GetString());
        var message = json.GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.Contains(field, message);
    }

    [Fact]
    public async Task Thirty_one_days_is_allowed_and_an_unknown_or_inactive_centre_gives_404_problem_details()
    {
        var world = await BuildAsync();
        var inactive = await Data.CentreAsync();
        await Data.ScalarAsync<int>("update centres set active = false where id = @inactive returning 1", new { inactive });
        var client = App.CreateClient();

        var month = await client.GetAsync($"/api/v1/centres/{world.Centre}/occupancy?from=2027-03-01&to=2027-04-01");
        var unknown = await client.GetAsync("/api/v1/centres/999999/occupancy?from=2027-03-01&to=2027-03-08");
        var closed = await client.GetAsync($"/api/v1/centres/{inactive}/occupancy?from=2027-03-01&to=2027-03-08");

        Assert.Equal(HttpStatusCode.OK, month.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await month.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());
        foreach (var response in new[] { unknown, closed })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Buurtcentrum niet gevonden", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task The_endpoint_is_described_in_the_openapi_document()
    {
        var document = await App.CreateClient().GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/centres/{centre}/occupancy", document);
        Assert.Contains("GetCentreOccupancy", document);
    }
}
