using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Tariffs;

/// <summary>The booking-rule fields on the room form (duration, buffers) and the centre form (lead time, horizon).</summary>
public sealed class BookingRuleTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private async Task<Browser> SignedInAsync(string role, long[]? centreIds = null)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync(role, centreIds: centreIds)));
        return browser;
    }

    private static (string, string)[] Room(string min, string max, string setup, string cleanup) =>
    [
        ("Name", "Grote zaal"), ("RoomType", "zaal"), ("Capacity", "40"), ("Active", "true"),
        ("MinMinutes", min), ("MaxMinutes", max), ("SetupMinutes", setup), ("CleanupMinutes", cleanup),
    ];

    private Task<string> RulesAsync(long roomId) => Data.ScalarAsync<string>(
        "select concat_ws('/', min_minutes, max_minutes, setup_minutes, cleanup_minutes) from rooms where id = @roomId", new { roomId });

    private Task<string> CentreRulesAsync(long centreId) => Data.ScalarAsync<string>(
        "select lead_time_days || '/' || horizon_days from centres where id = @centreId", new { centreId });

    [Fact]
    public async Task A_new_room_form_shows_the_standard_rules_and_saves_the_rules_typed()
    {
        var centre = await Data.CentreAsync();
        var browser = await SignedInAsync("sociaal_beheerder", [centre]);
        var url = $"/beheer/buurtcentra/{centre}/ruimtes/nieuw";

        var form = await browser.GetPageAsync(url);
        var response = await browser.PostFormAsync(url, url, Room("60", "240", "30", "20"));

        Assert.Contains("name=\"MinMinutes\"", form);
        Assert.Contains("value=\"480\"", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var roomId = await Data.ScalarAsync<long>("select id from rooms where centre_id = @centre", new { centre });
        Assert.Equal("60/240/30/20", await RulesAsync(roomId));
    }

    [Fact]
    public async Task Editing_a_room_shows_and_changes_its_rules_and_empty_fields_get_the_standard()
    {
        var centre = await Data.CentreAsync();
        var roomId = await Data.RoomAsync(centre, "Grote zaal");
        await Data.ScalarAsync<int>("update rooms set min_minutes = 45, max_minutes = 600 where id = @roomId returning 1", new { roomId });
        var browser = await SignedInAsync("functioneel_beheerder");
        var url = $"/beheer/ruimtes/{roomId}/bewerken";

        var form = await browser.GetPageAsync(url);
        var response = await browser.PostFormAsync(url, url, Room("", "120", "", "0"));

        Assert.Contains("name=\"MinMinutes\"", form);
        Assert.Contains("value=\"45\"", form);
        Assert.Contains("value=\"600\"", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("30/120/0/0", await RulesAsync(roomId));
    }

    [Theory]
    [InlineData("120", "60", "15", "15", "De minimale duur mag niet langer zijn dan de maximale duur.")]
    [InlineData("10", "60", "15", "15", "De minimale duur moet tussen 15 en 1440 minuten (24 uur) liggen.")]
    [InlineData("30", "1500", "15", "15", "De maximale duur moet tussen 15 en 1440 minuten (24 uur) liggen.")]
    [InlineData("30", "60", "241", "15", "De opbouwtijd moet tussen 0 en 240 minuten liggen.")]
    [InlineData("30", "60", "0", "-1", "De opruimtijd moet tussen 0 en 240 minuten liggen.")]
    [InlineData("30", "een uur", "0", "15", "'een uur' is geen geldige waarde voor maximale duur.")]
    public async Task Wrong_rules_give_a_dutch_message_and_change_nothing(string min, string max, string setup, string cleanup, string message)
    {
        var centre = await Data.CentreAsync();
        var roomId = await Data.RoomAsync(centre, "Grote zaal");
        var browser = await SignedInAsync("sociaal_beheerder", [centre]);
        var url = $"/beheer/ruimtes/{roomId}/bewerken";

        var response = await browser.PostFormAsync(url, url, Room(min, max, setup, cleanup));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal("30/480/0/15", await RulesAsync(roomId));
    }

    private static (string, string)[] Centre(string leadTime, string horizon) =>
    [
        ("Form.Street", "Boogstraat 2"), ("Form.Postcode", "3524 AB"), ("Form.City", "Utrecht"),
        ("Form.LeadTimeDays", leadTime), ("Form.HorizonDays", horizon),
    ];

    [Fact]
    public async Task A_sociaal_beheerder_sets_lead_time_and_horizon_of_their_centre()
    {
        var centre = await Data.CentreAsync();
        var browser = await SignedInAsync("sociaal_beheerder", [centre]);
        var url = $"/beheer/buurtcentra/{centre}/bewerken";

        var form = await browser.GetPageAsync(url);
        var response = await browser.PostFormAsync(url, url, Centre("7", "180"));

        Assert.Contains("name=\"Form.LeadTimeDays\"", form);
        Assert.Contains("value=\"400\"", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("7/180", await CentreRulesAsync(centre));
    }

    [Theory]
    [InlineData("91", "400", "De aanvraagtermijn moet tussen 0 en 90 dagen liggen.")]
    [InlineData("-1", "400", "De aanvraagtermijn moet tussen 0 en 90 dagen liggen.")]
    [InlineData("3", "6", "Hoe ver vooruit gereserveerd kan worden, moet tussen 7 en 800 dagen liggen.")]
    [InlineData("3", "801", "Hoe ver vooruit gereserveerd kan worden, moet tussen 7 en 800 dagen liggen.")]
    [InlineData("30", "20", "moet meer dagen zijn dan de aanvraagtermijn")]
    public async Task Wrong_centre_rules_give_a_dutch_message_and_change_nothing(string leadTime, string horizon, string message)
    {
        var centre = await Data.CentreAsync();
        var browser = await SignedInAsync("functioneel_beheerder");
        var url = $"/beheer/buurtcentra/{centre}/bewerken";
        var before = await Data.ScalarAsync<string>("select concat_ws('|', street, lead_time_days, horizon_days) from centres where id = @centre", new { centre });

        var response = await browser.PostFormAsync(url, url,
            [.. Centre(leadTime, horizon), ("Form.Name", "Buurtcentrum Nieuw"), ("Form.WijkId", "7"),
             ("Form.SmoId", (await Data.ScalarAsync<long>("select smo_id from centres where id = @centre", new { centre })).ToString()), ("Form.Active", "true")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(before, await Data.ScalarAsync<string>("select concat_ws('|', street, lead_time_days, horizon_days) from centres where id = @centre", new { centre }));
    }

    [Fact]
    public async Task The_centre_overview_links_to_vergoeding_and_facturatie_for_managers_only()
    {
        var centre = await Data.CentreAsync();
        var manager = await SignedInAsync("sociaal_beheerder", [centre]);
        var reader = await SignedInAsync("stadsbedrijven");

        var managed = await manager.GetPageAsync($"/beheer/buurtcentra/{centre}");
        var readOnly = await reader.GetPageAsync($"/beheer/buurtcentra/{centre}");

        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/vergoeding\"", managed);
        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/facturatie\"", managed);
        Assert.DoesNotContain("/vergoeding", readOnly);
        Assert.DoesNotContain("/facturatie", readOnly);
    }
}
