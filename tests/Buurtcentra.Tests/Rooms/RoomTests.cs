using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Dapper;

namespace Buurtcentra.Tests.Rooms;

public sealed partial class RoomTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private sealed record RoomRow(long Id, long CentreId, string Name, string RoomType, int Capacity, int? AreaM2, string? Floor,
        string? Description, bool Active, DateTime UpdatedAt);

    private static string AddUrl(long centreId) => $"/beheer/buurtcentra/{centreId}/ruimtes/nieuw";
    private static string EditUrl(long roomId) => $"/beheer/ruimtes/{roomId}/bewerken";

    private static List<KeyValuePair<string, string>> Fields(string name = "Grote zaal", string type = "zaal", string capacity = "40",
        string area = "", string floor = "", string description = "", string[]? facilities = null, string[]? accessibility = null,
        bool active = true)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Name", name), new("RoomType", type), new("Capacity", capacity), new("AreaM2", area),
            new("Floor", floor), new("Description", description),
        };
        fields.AddRange((facilities ?? []).Select(c => new KeyValuePair<string, string>("Facilities", c)));
        fields.AddRange((accessibility ?? []).Select(c => new KeyValuePair<string, string>("Accessibility", c)));
        if (active) fields.Add(new("Active", "true"));
        return fields;
    }

    private async Task<Browser> SignedInAsync(string role, long? organisationId = null, long[]? centreIds = null)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync(role, organisationId, centreIds)));
        return browser;
    }

    private async Task<IReadOnlyList<RoomRow>> RoomsAsync(long centreId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<RoomRow>(
            "select id, centre_id, name, room_type, capacity, area_m2, floor, description, active, updated_at from rooms where centre_id = @centreId order by id",
            new { centreId })).ToList();
    }

    private async Task<RoomRow> RoomAsync(long roomId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<RoomRow>(
            "select id, centre_id, name, room_type, capacity, area_m2, floor, description, active, updated_at from rooms where id = @roomId",
            new { roomId });
    }

    private async Task<string[]> CodesAsync(string table, string column, long roomId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<string>($"select {column} from {table} where room_id = @roomId order by 1", new { roomId })).ToArray();
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sociaal_beheerder_sees_the_add_form_with_the_centre_name_and_the_lookup_lists()
    {
        var centreId = await Data.CentreAsync("Buurtcentrum De Leeuw");
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(AddUrl(centreId)));

        Assert.Contains("<h1 class=\"utrecht-heading-1\">Ruimte toevoegen aan Buurtcentrum De Leeuw</h1>", page);
        Assert.Contains("<option value=\"vergaderruimte\">Vergaderruimte</option>", page);
        Assert.True(page.IndexOf(">Huiskamer<", StringComparison.Ordinal) < page.IndexOf(">Zaal<", StringComparison.Ordinal), "room types in sort order");
        Assert.Contains("name=\"Facilities\" value=\"beamer\"", page);
        Assert.Contains("name=\"Accessibility\" value=\"ringleiding\"", page);
    }

    [Fact]
    public async Task Sociaal_beheerder_adds_a_room_with_facilities_and_accessibility_in_one_go()
    {
        var centreId = await Data.CentreAsync();
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var response = await browser.PostFormAsync(AddUrl(centreId), AddUrl(centreId), Fields(
            name: "  Grote zaal ", type: "zaal", capacity: "80", area: "120", floor: "Begane grond", description: "Lichte zaal met podium.",
            facilities: ["beamer", "podium", "wifi"], accessibility: ["rolstoeltoegankelijk", "ringleiding"]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/beheer/buurtcentra/{centreId}", response.Headers.Location?.OriginalString);
        var room = Assert.Single(await RoomsAsync(centreId));
        Assert.Equal(("Grote zaal", "zaal", 80, (int?)120, "Begane grond", "Lichte zaal met podium.", true),
            (room.Name, room.RoomType, room.Capacity, room.AreaM2, room.Floor, room.Description, room.Active));
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime, room.UpdatedAt);
        Assert.Equal(["beamer", "podium", "wifi"], await CodesAsync("room_facilities", "facility_code", room.Id));
        Assert.Equal(["ringleiding", "rolstoeltoegankelijk"], await CodesAsync("room_accessibility", "feature_code", room.Id));
    }

    [Fact]
    public async Task Optional_fields_may_stay_empty()
    {
        var centreId = await Data.CentreAsync();
        var browser = await SignedInAsync("functioneel_beheerder");

        var response = await browser.PostFormAsync(AddUrl(centreId), AddUrl(centreId), Fields(name: "Spreekkamer", type: "kantoor", capacity: "4"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var room = Assert.Single(await RoomsAsync(centreId));
        Assert.Null(room.AreaM2);
        Assert.Null(room.Floor);
        Assert.Null(room.Description);
        Assert.Empty(await CodesAsync("room_facilities", "facility_code", room.Id));
    }

    [Fact]
    public async Task Editing_replaces_the_facilities_instead_of_adding_to_them_and_can_take_the_room_out_of_use()
    {
        var centreId = await Data.CentreAsync();
        var roomId = await Data.RoomAsync(centreId, "Huiskamer", "huiskamer", 12, facilities: ["koffie", "wifi"], accessibility: ["lift"]);
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);
        App.Time.Advance(TimeSpan.FromMinutes(5));

        var form = WebUtility.HtmlDecode(await browser.GetPageAsync(EditUrl(roomId)));
        Assert.Contains("value=\"koffie\" checked", form);
        Assert.Contains("value=\"Huiskamer\"", form);

        var response = await browser.PostFormAsync(EditUrl(roomId), EditUrl(roomId), Fields(
            name: "Huiskamer groot", type: "huiskamer", capacity: "20", floor: "1e verdieping",
            facilities: ["piano", "wifi"], accessibility: ["gelijkvloers", "prikkelarm"], active: false));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/beheer/buurtcentra/{centreId}", response.Headers.Location?.OriginalString);
        var room = await RoomAsync(roomId);
        Assert.Equal(("Huiskamer groot", 20, "1e verdieping", false), (room.Name, room.Capacity, room.Floor, room.Active));
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime, room.UpdatedAt);
        Assert.Equal(["piano", "wifi"], await CodesAsync("room_facilities", "facility_code", roomId));
        Assert.Equal(["gelijkvloers", "prikkelarm"], await CodesAsync("room_accessibility", "feature_code", roomId));
    }

    [Fact]
    public async Task Editing_with_all_boxes_unticked_removes_all_facilities_and_the_room_keeps_its_own_name()
    {
        var centreId = await Data.CentreAsync();
        var roomId = await Data.RoomAsync(centreId, "Zaal", facilities: ["beamer"], accessibility: ["lift"]);
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var response = await browser.PostFormAsync(EditUrl(roomId), EditUrl(roomId), Fields(name: "ZAAL", capacity: "30"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("ZAAL", (await RoomAsync(roomId)).Name);
        Assert.Empty(await CodesAsync("room_facilities", "facility_code", roomId));
        Assert.Empty(await CodesAsync("room_accessibility", "feature_code", roomId));
    }

    [Theory]
    [InlineData("Zaal", "0", "Het aantal personen moet tussen 1 en 2000 liggen.")]
    [InlineData("Zaal", "2001", "Het aantal personen moet tussen 1 en 2000 liggen.")]
    [InlineData("Zaal", "", "Vul het aantal personen in.")]
    [InlineData("Zaal", "veel", "'veel' is geen geldige waarde voor aantal personen.")]
    [InlineData("", "10", "Vul de naam van de ruimte in.")]
    [InlineData("   ", "10", "Vul de naam van de ruimte in.")]
    [InlineData("Z", "10", "De naam moet 2 tot 100 tekens lang zijn.")]
    public async Task Invalid_input_gets_a_dutch_message_and_nothing_is_stored(string name, string capacity, string message)
    {
        var centreId = await Data.CentreAsync();
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var body = await BodyAsync(await browser.PostFormAsync(AddUrl(centreId), AddUrl(centreId), Fields(name: name, capacity: capacity)));

        Assert.Contains(message, body);
        Assert.Empty(await RoomsAsync(centreId));
    }

    [Fact]
    public async Task Letters_in_capacity_give_one_message_and_the_form_keeps_everything_that_was_typed()
    {
        var centreId = await Data.CentreAsync();
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var body = await BodyAsync(await browser.PostFormAsync(AddUrl(centreId), AddUrl(centreId), Fields(
            name: "Atelier boven", type: "atelier", capacity: "veel", area: "35", floor: "2e verdieping", description: "Met wasbak.",
            facilities: ["whiteboard", "wifi"], accessibility: ["lift"])));

        // Once in the summary at the top, once at the field; not followed by a second "fill this in" message.
        Assert.Equal(2, AllMatches(body, "'veel' is geen geldige waarde voor aantal personen.").Count());
        Assert.DoesNotContain("Vul het aantal personen in.", body);
        Assert.Contains("value=\"Atelier boven\"", body);
        Assert.Contains("value=\"veel\"", body);
        Assert.Contains("value=\"35\"", body);
        Assert.Contains("value=\"2e verdieping\"", body);
        Assert.Contains(">Met wasbak.</textarea>", body);
        Assert.Contains("<option value=\"atelier\" selected>", body);
        Assert.Contains("value=\"whiteboard\" checked", body);
        Assert.Contains("value=\"wifi\" checked", body);
        Assert.Contains("value=\"lift\" checked", body);
        Assert.DoesNotContain("value=\"beamer\" checked", body);
        Assert.Empty(await RoomsAsync(centreId));
    }

    [Fact]
    public async Task Other_fields_are_checked_against_the_limits_of_the_database()
    {
        var centreId = await Data.CentreAsync();
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var body = await BodyAsync(await browser.PostFormAsync(AddUrl(centreId), AddUrl(centreId), Fields(
            name: new string('a', 101), type: "", capacity: "10", area: "5001", floor: new string('v', 41), description: new string('b', 2001))));

        Assert.Contains("De naam moet 2 tot 100 tekens lang zijn.", body);
        Assert.Contains("Kies het soort ruimte.", body);
        Assert.Contains("De oppervlakte moet tussen 1 en 5000 m² liggen.", body);
        Assert.Contains("De verdieping mag niet langer zijn dan 40 tekens.", body);
        Assert.Contains("De beschrijving mag niet langer zijn dan 2000 tekens. Nu zijn het er 2001.", body);
        Assert.Empty(await RoomsAsync(centreId));
    }

    [Fact]
    public async Task Unknown_room_type_facility_or_accessibility_code_is_a_form_error_not_a_server_error()
    {
        var centreId = await Data.CentreAsync();
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var body = await BodyAsync(await browser.PostFormAsync(AddUrl(centreId), AddUrl(centreId), Fields(
            type: "zwembad", facilities: ["beamer", "jacuzzi"], accessibility: ["teleporter"])));

        Assert.Contains("Kies een soort ruimte uit de lijst.", body);
        Assert.Contains("Kies alleen faciliteiten uit de lijst.", body);
        Assert.Contains("Kies alleen toegankelijkheidskenmerken uit de lijst.", body);
        Assert.Empty(await RoomsAsync(centreId));
    }

    [Fact]
    public async Task The_same_code_posted_twice_is_stored_once()
    {
        var centreId = await Data.CentreAsync();
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var response = await browser.PostFormAsync(AddUrl(centreId), AddUrl(centreId), Fields(facilities: ["wifi", "wifi"]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(["wifi"], await CodesAsync("room_facilities", "facility_code", Assert.Single(await RoomsAsync(centreId)).Id));
    }

    [Fact]
    public async Task Room_name_is_unique_per_centre_regardless_of_case_but_may_repeat_in_another_centre()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync();
        await Data.RoomAsync(centreA, "Grote zaal");
        var browser = await SignedInAsync("functioneel_beheerder");

        var duplicate = await BodyAsync(await browser.PostFormAsync(AddUrl(centreA), AddUrl(centreA), Fields(name: "GROTE ZAAL")));
        Assert.Contains("Dit buurtcentrum heeft al een ruimte met de naam ‘GROTE ZAAL’. Kies een andere naam.", duplicate);
        Assert.Single(await RoomsAsync(centreA));

        var elsewhere = await browser.PostFormAsync(AddUrl(centreB), AddUrl(centreB), Fields(name: "Grote zaal"));
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal("Grote zaal", Assert.Single(await RoomsAsync(centreB)).Name);
    }

    [Fact]
    public async Task Renaming_a_room_to_the_name_of_another_room_in_the_same_centre_is_refused()
    {
        var centreId = await Data.CentreAsync();
        await Data.RoomAsync(centreId, "Keuken", "keuken");
        var roomId = await Data.RoomAsync(centreId, "Zaal");
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreId]);

        var body = await BodyAsync(await browser.PostFormAsync(EditUrl(roomId), EditUrl(roomId), Fields(name: "keuken")));

        Assert.Contains("Dit buurtcentrum heeft al een ruimte met de naam ‘keuken’.", body);
        Assert.Equal("Zaal", (await RoomAsync(roomId)).Name);
    }

    [Fact]
    public async Task Beheerder_of_centre_A_gets_404_on_everything_of_centre_B_and_B_stays_unchanged()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync();
        var roomB = await Data.RoomAsync(centreB, "Zaal B", capacity: 30, facilities: ["beamer"]);
        var before = await RoomAsync(roomB);
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centreA]);
        var token = await browser.TokenFromAsync(AddUrl(centreA));

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(AddUrl(centreB))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(EditUrl(roomB))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenAsync(browser, token, AddUrl(centreB), Fields(name: "Ingebroken"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await PostWithTokenAsync(browser, token, EditUrl(roomB), Fields(name: "Overgenomen", capacity: "1", facilities: ["piano"], active: false))).StatusCode);
        // An invalid form must not reveal anything either.
        Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenAsync(browser, token, EditUrl(roomB), Fields(name: "", capacity: "veel"))).StatusCode);

        Assert.Equal(before, await RoomAsync(roomB));
        Assert.Single(await RoomsAsync(centreB));
        Assert.Equal(["beamer"], await CodesAsync("room_facilities", "facility_code", roomB));
        // The token was valid: the same browser can still use its own centre.
        Assert.Equal(HttpStatusCode.Redirect, (await PostWithTokenAsync(browser, token, AddUrl(centreA), Fields())).StatusCode);
    }

    [Fact]
    public async Task Unknown_centre_or_room_is_404()
    {
        var browser = await SignedInAsync("functioneel_beheerder");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(AddUrl(999_999))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(EditUrl(999_999))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/beheer/ruimtes/abc/bewerken")).StatusCode);
    }

    [Fact]
    public async Task Stadsbedrijven_may_not_change_rooms_and_gets_404()
    {
        var centreId = await Data.CentreAsync();
        var roomId = await Data.RoomAsync(centreId, "Sportzaal", "sportzaal", 60, facilities: ["sportmatten"]);
        var before = await RoomAsync(roomId);
        var browser = await SignedInAsync("stadsbedrijven", organisationId: await Data.OrganisationAsync(kind: "stadsbedrijven"));
        var token = await browser.TokenFromAsync("/inloggen");

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(AddUrl(centreId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(EditUrl(roomId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenAsync(browser, token, AddUrl(centreId), Fields(name: "Nieuw"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await PostWithTokenAsync(browser, token, EditUrl(roomId), Fields(name: "Anders", capacity: "5", active: false))).StatusCode);

        Assert.Equal(before, await RoomAsync(roomId));
        Assert.Single(await RoomsAsync(centreId));
        Assert.Equal(["sportmatten"], await CodesAsync("room_facilities", "facility_code", roomId));
    }

    [Fact]
    public async Task Smo_coordinator_manages_rooms_of_its_own_smos_centres_only()
    {
        var smo = await Data.OrganisationAsync(kind: "smo");
        var own = await Data.CentreAsync(smoId: smo);
        var other = await Data.CentreAsync();
        var ownRoom = await Data.RoomAsync(own, "Eigen zaal");
        var otherRoom = await Data.RoomAsync(other, "Andere zaal");
        var browser = await SignedInAsync("smo_coordinator", organisationId: smo);

        var added = await browser.PostFormAsync(AddUrl(own), AddUrl(own), Fields(name: "Nieuwe huiskamer", type: "huiskamer", capacity: "15"));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var edited = await browser.PostFormAsync(EditUrl(ownRoom), EditUrl(ownRoom), Fields(name: "Eigen zaal", capacity: "99"));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal(99, (await RoomAsync(ownRoom)).Capacity);

        var token = await browser.TokenFromAsync(AddUrl(own));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(AddUrl(other))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(EditUrl(otherRoom))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenAsync(browser, token, AddUrl(other), Fields())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenAsync(browser, token, EditUrl(otherRoom), Fields(capacity: "1"))).StatusCode);
        Assert.Equal(30, (await RoomAsync(otherRoom)).Capacity);
        Assert.Single(await RoomsAsync(other));
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_the_login_page()
    {
        var centreId = await Data.CentreAsync();
        var roomId = await Data.RoomAsync(centreId);
        var browser = new Browser(App);

        foreach (var url in new[] { AddUrl(centreId), EditUrl(roomId) })
        {
            var response = await browser.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/inloggen", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
        }
        var post = await PostWithTokenAsync(browser, await browser.TokenFromAsync("/inloggen"), AddUrl(centreId), Fields());
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal([roomId], (await RoomsAsync(centreId)).Select(r => r.Id));
    }

    [Fact]
    public async Task Gebruiker_has_no_access_to_room_management()
    {
        var centreId = await Data.CentreAsync();
        var email = await Data.EmailOfAsync(await Data.UserAsync("gebruiker"));
        var browser = new Browser(App);
        await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));
        var path = new Uri(LinkPattern().Match(Assert.Single(await App.WaitForMailsAsync(1))).Value).AbsolutePath;
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync(path, path)).StatusCode);

        var response = await browser.Client.GetAsync(AddUrl(centreId));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/geen-toegang", response.Headers.Location?.OriginalString);
    }

    private static Task<HttpResponseMessage> PostWithTokenAsync(Browser browser, string token, string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        browser.Client.PostAsync(url, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));

    private static IEnumerable<Match> AllMatches(string body, string text) => Regex.Matches(body, Regex.Escape(text));

    [GeneratedRegex(@"https?://\S+/inloggen/link/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPattern();
}
