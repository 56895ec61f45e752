using System.Net;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Tariffs;

namespace Buurtcentra.Tests.Tariffs;

public sealed class ContributionPolicyTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private static string Url(long centreId) => $"/beheer/buurtcentra/{centreId}/vergoeding";

    private async Task<Browser> SignedInAsync(string role, long? organisationId = null, long[]? centreIds = null)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync(role, organisationId, centreIds)));
        return browser;
    }

    private static List<KeyValuePair<string, string>> Fields(Dictionary<string, string>? policy = null, params (long RoomId, string Social, string Commercial)[] rooms)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var category in Tariff.BookerCategories)
        {
            fields.Add(new($"Form.Policy[{category}]", policy?.GetValueOrDefault(category) ?? Tariff.DefaultFor(category)));
        }
        for (var i = 0; i < rooms.Length; i++)
        {
            fields.Add(new($"Form.Rooms[{i}].RoomId", rooms[i].RoomId.ToString()));
            fields.Add(new($"Form.Rooms[{i}].Social", rooms[i].Social));
            fields.Add(new($"Form.Rooms[{i}].Commercial", rooms[i].Commercial));
        }
        return fields;
    }

    private Task<string> StateAsync(long centreId) => Data.ScalarAsync<string>("""
        select concat_ws('|',
            (select string_agg(category || '=' || tariff, ',' order by category) from centre_tariffs where centre_id = @centreId),
            (select string_agg(name || ':' || social_rate_cents || '/' || commercial_rate_cents, ',' order by name) from rooms where centre_id = @centreId))
        """, new { centreId });

    [Fact]
    public async Task A_new_centre_shows_the_defaults_and_zero_rates()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Boog");
        await Data.RoomAsync(centre, "Grote zaal");
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centre]);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(centre)));

        Assert.Contains("<h1 class=\"utrecht-heading-1\">Vergoeding van Buurtcentrum De Boog</h1>", page);
        Assert.Contains("Nog niet ingesteld. Nu geldt de standaard: om niet (tegen een wederdienst).", page);
        Assert.Matches("name=\"Form.Policy\\[commercieel\\]\"[^>]*>\\s*<option value=\"om_niet\">[^<]*</option>\\s*<option value=\"sociaal\">[^<]*</option>\\s*<option value=\"commercieel\" selected", page);
        Assert.Contains("name=\"Form.Rooms[0].Social\" value=\"0,00\"", page);
        Assert.Contains("Sociaal tarief voor Grote zaal", page);
    }

    [Fact]
    public async Task Saving_stores_the_policy_and_the_rates_and_the_tariff_lookup_uses_them()
    {
        var smo = await Data.OrganisationAsync("Vooruit");
        var centre = await Data.CentreAsync("Buurtcentrum De Boog", smo);
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        var kamer = await Data.RoomAsync(centre, "Huiskamer");
        var browser = await SignedInAsync("smo_coordinator", organisationId: smo);

        var response = await browser.PostFormAsync(Url(centre), Url(centre), Fields(
            new() { ["bewonersinitiatief"] = "sociaal", ["particulier"] = "commercieel" },
            (zaal, "12,50", "€ 40"), (kamer, "0", "17.5")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(
            "bewonersinitiatief=sociaal,commercieel=commercieel,maatschappelijke_organisatie=sociaal,particulier=commercieel,sp_do_aanbieder=om_niet"
            + "|Grote zaal:1250/4000,Huiskamer:0/1750",
            await StateAsync(centre));

        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(new Tariff(Tariff.Sociaal, 1250), await Tariff.ForAsync(connection, null, zaal, "bewonersinitiatief"));
        Assert.Equal(new Tariff(Tariff.Commercieel, 1750), await Tariff.ForAsync(connection, null, kamer, "particulier"));
        Assert.Equal(new Tariff(Tariff.OmNiet, 0), await Tariff.ForAsync(connection, null, zaal, "sp_do_aanbieder"));

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(centre)));
        Assert.Contains("De vergoeding en de tarieven van Buurtcentrum De Boog zijn opgeslagen.", page);
        Assert.Contains("Standaard is dit: om niet (tegen een wederdienst).", page);
        Assert.Contains("name=\"Form.Rooms[0].Commercial\" value=\"40,00\"", page);
    }

    [Theory]
    [InlineData("abc", "Vul bij het sociaal tarief van Grote zaal een bedrag in euro in, bijvoorbeeld 12,50.")]
    [InlineData("", "Vul het sociaal tarief van Grote zaal in. Is de ruimte gratis? Vul dan 0 in.")]
    [InlineData("12,505", "Gebruik bij het sociaal tarief van Grote zaal hoogstens 2 cijfers achter de komma, bijvoorbeeld 12,50.")]
    [InlineData("1000,50", "Het sociaal tarief van Grote zaal mag hoogstens 1000 euro per uur zijn.")]
    [InlineData("-5", "Het sociaal tarief van Grote zaal kan niet lager zijn dan 0 euro.")]
    public async Task A_wrong_rate_gives_a_dutch_message_on_its_field_and_nothing_is_saved(string social, string message)
    {
        var centre = await Data.CentreAsync();
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        var kamer = await Data.RoomAsync(centre, "Huiskamer");
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centre]);
        var before = await StateAsync(centre);

        var response = await browser.PostFormAsync(Url(centre), Url(centre), Fields(
            new() { ["commercieel"] = "sociaal" }, (zaal, social, "40"), (kamer, "5", "10")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"<div class=\"utrecht-form-field-error-message\" id=\"Form_Rooms_0__Social-error\">{message}</div>", body);
        Assert.Contains("href=\"#Form_Rooms_0__Social\"", body);
        if (social.Length > 0) Assert.Contains($"name=\"Form.Rooms[0].Social\" value=\"{social}\"", body);
        Assert.Equal(before, await StateAsync(centre));
    }

    [Fact]
    public async Task An_unknown_tariff_or_a_missing_room_is_refused_and_a_room_of_another_centre_is_never_touched()
    {
        var centre = await Data.CentreAsync();
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        var kamer = await Data.RoomAsync(centre, "Huiskamer");
        var other = await Data.CentreAsync();
        var otherRoom = await Data.RoomAsync(other, "Zaal elders");
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centre]);
        var before = await StateAsync(centre);

        var response = await browser.PostFormAsync(Url(centre), Url(centre), Fields(
            new() { ["particulier"] = "gratis" }, (zaal, "10", "20"), (otherRoom, "999", "999")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("id=\"Form_Policy_particulier_-error\">Kies wat bewoner zonder organisatie betaalt", body);
        Assert.Contains("Vul het sociaal tarief van Huiskamer in.", body);
        Assert.DoesNotContain("Zaal elders", body);
        Assert.Equal(before, await StateAsync(centre));
        Assert.Equal("0/0", await Data.ScalarAsync<string>("select social_rate_cents || '/' || commercial_rate_cents from rooms where id = @otherRoom", new { otherRoom }));
        _ = kamer;
    }

    [Theory]
    [InlineData("sociaal_beheerder")]
    [InlineData("smo_coordinator")]
    [InlineData("stadsbedrijven")]
    public async Task Someone_who_does_not_manage_the_centre_gets_404_and_changes_nothing(string role)
    {
        var centre = await Data.CentreAsync("Buurtcentrum Van Een Ander");
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        var own = await Data.CentreAsync();
        var browser = await SignedInAsync(role, centreIds: role == "sociaal_beheerder" ? [own] : null);
        var before = await StateAsync(centre);

        var get = await browser.Client.GetAsync(Url(centre));
        var post = await browser.PostFormAsync("/beheer/buurtcentra", Url(centre), Fields(
            new() { ["bewonersinitiatief"] = "commercieel" }, (zaal, "500", "900")));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain("Buurtcentrum Van Een Ander", await post.Content.ReadAsStringAsync());
        Assert.Equal(before, await StateAsync(centre));
    }
}
