using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Auth;

namespace Buurtcentra.Tests.Api;

/// <summary>
/// Bad input gets a clear Dutch answer and loses nothing: a problem document naming the field on the API, the form
/// shown again with everything typed on the pages. Never a 500.
/// </summary>
public sealed class BadInputTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private sealed record World(long CentreId, string Slug, long RoomId, long BeheerderId, string Token, long ReservationId, long MeldingId);

    private async Task<World> BuildAsync()
    {
        var centreId = await Data.CentreAsync("Buurtcentrum De Boog", wijkId: 7);
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        var roomId = await Data.RoomAsync(centreId, "Grote zaal", capacity: 40);
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centreId, day, new TimeOnly(9, 0), new TimeOnly(23, 0));
        var beheerderId = await Data.UserAsync("sociaal_beheerder", centreIds: [centreId]);
        var token = await TokenForAsync(beheerderId);
        var reservation = await SendAsync(HttpMethod.Post, "/api/v1/reservations", token, """
            {"roomId": ROOM, "start": "2027-03-02T19:00", "end": "2027-03-02T21:00", "activity": "Buurtkoor", "participants": 15,
             "contactName": "Anna", "recurrence": {"kind": "weekly", "count": 3}}
            """.Replace("ROOM", roomId.ToString()));
        Assert.Equal(HttpStatusCode.Created, reservation.StatusCode);
        var melding = await SendAsync(HttpMethod.Post, "/api/v1/meldingen", token,
            $$"""{"centreId": {{centreId}}, "category": "heel", "kind": "technisch", "urgency": "normaal", "description": "De lamp is kapot."}""");
        Assert.Equal(HttpStatusCode.Created, melding.StatusCode);
        return new World(centreId, slug, roomId, beheerderId, token,
            (await JsonAsync(reservation)).GetProperty("id").GetInt64(), (await JsonAsync(melding)).GetProperty("melding").GetProperty("id").GetInt64());
    }

    private async Task<string> TokenForAsync(long userId)
    {
        var token = ApiTokenSecret.Generate();
        await Data.ScalarAsync<long>("insert into api_tokens (user_id, name, token_hash, created_at) values (@userId, 'Test', @hash, now()) returning id",
            new { userId, hash = ApiTokenSecret.Hash(token) });
        return token;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, string? body = null, string contentType = "application/json")
    {
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        var errors = json.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {body}");
        return messages[0].GetString()!;
    }

    [Fact]
    public async Task The_readme_booking_without_contact_name_is_a_400_naming_contactName_and_books_nothing()
    {
        var world = await BuildAsync();
        var response = await SendAsync(HttpMethod.Post, "/api/v1/reservations", world.Token,
            $$"""{"roomId": {{world.RoomId}}, "start": "2027-03-23T19:00", "end": "2027-03-23T21:00", "activity": "Buurtkoor", "participants": 15}""");

        Assert.Equal("Vul de naam van de contactpersoon in.", await AssertProblemAsync(response, HttpStatusCode.BadRequest, "contactName"));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
    }

    [Fact]
    public async Task A_missing_optional_field_is_not_an_error_a_gebruikers_request_takes_the_account_name()
    {
        var world = await BuildAsync();
        var group = await Data.OrganisationAsync("Buurtkoor", "gebruikersgroep", "bewonersinitiatief");
        var gebruiker = await TokenForAsync(await Data.UserAsync("gebruiker", group));

        var response = await SendAsync(HttpMethod.Post, "/api/v1/reservations", gebruiker,
            $$"""{"roomId": {{world.RoomId}}, "start": "2027-03-10T19:00", "end": "2027-03-10T21:00", "activity": "Buurtkoor", "participants": 15}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("Test gebruiker", (await JsonAsync(response)).GetProperty("contact").GetString());
    }

    [Theory]
    [InlineData("/api/v1/reservations", "not json", "", "geen geldige JSON")]
    [InlineData("/api/v1/reservations", "[]", "", "JSON-object")]
    [InlineData("/api/v1/reservations", """{"roomId": "twaalf"}""", "roomId", "roomId moet een heel getal zijn, bijvoorbeeld 12.")]
    [InlineData("/api/v1/reservations", """{"participants": "15"}""", "participants", "heel getal")]
    [InlineData("/api/v1/reservations", """{"participants": 1e30}""", "participants", "heel getal")]
    [InlineData("/api/v1/reservations", """{"recurrence": "weekly"}""", "recurrence", "recurrence moet een object")]
    [InlineData("/api/v1/reservations", """{"recurrence": {"dates": ["volgende week"]}}""", "recurrence.dates[0]", "datum")]
    [InlineData("/api/v1/reservations", """{"activity": "Koor\u0000"}""", "activity", "teken dat niet is toegestaan")]
    [InlineData("/api/v1/reservations", """{"contact_name": "Anna"}""", "contact_name", "Het veld contact_name kennen we niet")]
    [InlineData("/api/v1/reservations", "", "", "Stuur de gegevens mee als JSON-object")]
    [InlineData("/api/v1/meldingen", "oops", "", "geen geldige JSON")]
    [InlineData("/api/v1/meldingen", """{"centreId": true}""", "centreId", "heel getal")]
    [InlineData("/api/v1/reservations/RESERVATION/cancel", "oops", "", "geen geldige JSON")]
    [InlineData("/api/v1/reservations/RESERVATION/cancel", """{"date": "morgen"}""", "date", "datum")]
    [InlineData("/api/v1/reservations/RESERVATION/cancel", """{"to": "afgewezen"}""", "to", "kennen we niet")]
    [InlineData("/api/v1/meldingen/MELDING/status", "oops", "", "geen geldige JSON")]
    [InlineData("/api/v1/meldingen/MELDING/status", """{"to": 5}""", "to", "tekst")]
    public async Task Malformed_json_wrong_types_and_unknown_fields_are_a_400_problem_document_in_dutch(string url, string body, string field, string says)
    {
        var world = await BuildAsync();
        var response = await SendAsync(HttpMethod.Post, url.Replace("RESERVATION", world.ReservationId.ToString()).Replace("MELDING", world.MeldingId.ToString()),
            world.Token, body);

        Assert.Contains(says, await AssertProblemAsync(response, HttpStatusCode.BadRequest, field));
        Assert.Equal("bevestigd", await Data.ScalarAsync<string>("select status from reservations where id = @id", new { id = world.ReservationId }));
    }

    [Theory]
    [InlineData("/api/v1/reservations", """{"recurrence": {"kind": "yearly"}}""", "recurrence.kind", "Kies weekly, monthly of dates.")]
    [InlineData("/api/v1/reservations/RESERVATION/cancel", """{"scope": "never"}""", "scope", "Kies all, date of from.")]
    [InlineData("/api/v1/meldingen/MELDING/status", """{"to": "weg"}""", "to", "Kies een nieuwe status uit de lijst.")]
    [InlineData("/api/v1/meldingen", """{"centreId": CENTRE, "category": "stuk", "kind": "technisch", "urgency": "normaal", "description": "De lamp is kapot."}""", "category", "Kies wat voor probleem het is.")]
    public async Task Unknown_enum_values_are_a_400_naming_the_field(string url, string body, string field, string says)
    {
        var world = await BuildAsync();
        var response = await SendAsync(HttpMethod.Post, url.Replace("RESERVATION", world.ReservationId.ToString()).Replace("MELDING", world.MeldingId.ToString()),
            world.Token, body.Replace("CENTRE", world.CentreId.ToString()));

        Assert.Equal(says, await AssertProblemAsync(response, HttpStatusCode.BadRequest, field));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem_document()
    {
        var world = await BuildAsync();
        var response = await SendAsync(HttpMethod.Post, $"/api/v1/meldingen/{world.MeldingId}/status", world.Token, "oops", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Content-Type: application/json", (await JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_query_parameter_of_the_wrong_type_or_with_a_nul_byte_is_a_400_naming_it()
    {
        var world = await BuildAsync();

        Assert.Contains("true of false", await AssertProblemAsync(
            await SendAsync(HttpMethod.Get, "/api/v1/meldingen?overdue=misschien", world.Token), HttpStatusCode.BadRequest, "overdue"));
        Assert.Contains("teken dat niet is toegestaan", await AssertProblemAsync(
            await SendAsync(HttpMethod.Get, "/api/v1/centres?q=bo%00og", world.Token), HttpStatusCode.BadRequest, "q"));

        var page = await App.CreateClient().GetAsync("/buurtcentra?q=bo%00og");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("q bevat een teken dat niet is toegestaan", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_centres_list_hands_out_id_and_slug_and_every_centre_parameter_takes_both()
    {
        var world = await BuildAsync();
        var other = await Data.CentreAsync("Buurtcentrum Elders", wijkId: 1);
        await Data.UserAsync("stadsbedrijven");
        var stadsbedrijven = await TokenForAsync(await Data.UserAsync("stadsbedrijven"));
        await SendAsync(HttpMethod.Post, "/api/v1/meldingen", stadsbedrijven,
            $$"""{"centreId": {{other}}, "category": "heel", "kind": "technisch", "urgency": "normaal", "description": "De deur klemt elke dag."}""");

        var centres = (await JsonAsync(await SendAsync(HttpMethod.Get, "/api/v1/centres", world.Token))).GetProperty("centres");
        var boog = centres.EnumerateArray().Single(c => c.GetProperty("slug").GetString() == world.Slug);
        Assert.Equal(world.CentreId, boog.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/v1/centres/{world.CentreId}", world.Token)).StatusCode);

        foreach (var filter in new[] { $"centre={world.Slug}", $"centre={world.CentreId}", "wijk=Zuid", "wijk=7", "wijk=zuid" })
        {
            var list = await SendAsync(HttpMethod.Get, $"/api/v1/meldingen?{filter}", stadsbedrijven);
            Assert.True(list.StatusCode == HttpStatusCode.OK, $"{filter}: {(int)list.StatusCode} {await list.Content.ReadAsStringAsync()}");
            var ids = (await JsonAsync(list)).GetProperty("meldingen").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
            Assert.Equal([world.MeldingId], ids);
        }
        Assert.Contains("kennen we niet", await AssertProblemAsync(
            await SendAsync(HttpMethod.Get, "/api/v1/meldingen?centre=bestaat-niet", stadsbedrijven), HttpStatusCode.BadRequest, "centre"));
        Assert.Contains("kennen we niet", await AssertProblemAsync(
            await SendAsync(HttpMethod.Get, "/api/v1/meldingen?wijk=Atlantis", stadsbedrijven), HttpStatusCode.BadRequest, "wijk"));

        foreach (var key in new[] { world.Slug, world.CentreId.ToString() })
        {
            var occupancy = await SendAsync(HttpMethod.Get, $"/api/v1/centres/{key}/occupancy?from=2027-03-01&to=2027-03-08", world.Token);
            Assert.Equal(HttpStatusCode.OK, occupancy.StatusCode);
            Assert.Equal(world.CentreId, (await JsonAsync(occupancy)).GetProperty("centreId").GetInt64());
        }
        var near = await SendAsync(HttpMethod.Get, $"/api/v1/availability?date=2027-03-03&near=centre:{world.CentreId}", world.Token);
        Assert.Equal(HttpStatusCode.OK, near.StatusCode);
    }

    [Fact]
    public async Task A_beheerders_direct_booking_without_contact_name_shows_the_form_again_with_everything_typed()
    {
        var world = await BuildAsync();
        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(world.BeheerderId));

        var response = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={world.RoomId}", "/reserveren/nieuw",
            ("RoomId", world.RoomId.ToString()), ("Date", "2027-03-16"), ("StartTime", "19:00"), ("EndTime", "21:00"), ("Repeat", "eenmalig"),
            ("Activity", "Zangavond voor de buurt"), ("Category", "bewonersinitiatief"), ("Participants", "23"), ("Remarks", "Graag de piano open"),
            ("ContactName", ""), ("actie", "versturen"));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Vul de naam van de contactpersoon in.", page);
        Assert.Contains("value=\"Zangavond voor de buurt\"", page);
        Assert.Contains("value=\"23\"", page);
        Assert.Contains("value=\"2027-03-16\"", page);
        Assert.Contains("Graag de piano open", page);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
    }

    [Theory]
    [InlineData("EndTime", "", "Vul de eindtijd in.")]
    [InlineData("Activity", "Zang\u0001avond", "bevat een teken dat niet is toegestaan")]
    [InlineData("Participants", "99999999999999999999", "is geen geldige waarde")]
    public async Task A_form_with_a_bad_field_is_shown_again_naming_it(string field, string value, string says)
    {
        var world = await BuildAsync();
        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(world.BeheerderId));
        var fields = new Dictionary<string, string>
        {
            ["RoomId"] = world.RoomId.ToString(), ["Date"] = "2027-03-16", ["StartTime"] = "19:00", ["EndTime"] = "21:00", ["Repeat"] = "eenmalig",
            ["Activity"] = "Zangavond", ["Category"] = "bewonersinitiatief", ["Participants"] = "23", ["ContactName"] = "Anna de Vries",
            ["Remarks"] = "Graag de piano open", ["actie"] = "versturen",
        };
        fields[field] = value;

        var response = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={world.RoomId}", "/reserveren/nieuw", fields);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(says, System.Net.WebUtility.HtmlDecode(page));
        Assert.Contains("value=\"Anna de Vries\"", page);
        Assert.Contains("Graag de piano open", page);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
    }

    [Fact]
    public async Task A_form_with_a_nul_byte_is_refused_by_the_framework_with_a_dutch_page_that_says_why()
    {
        var world = await BuildAsync();
        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(world.BeheerderId));

        var response = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={world.RoomId}", "/reserveren/nieuw",
            ("RoomId", world.RoomId.ToString()), ("Activity", "Zang\0avond"), ("actie", "versturen"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Het formulier bevat een teken dat niet is toegestaan", await response.Content.ReadAsStringAsync());
    }
}
