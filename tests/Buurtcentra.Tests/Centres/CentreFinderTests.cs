using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Centres;

public sealed partial class CentreFinderTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private async Task<string> PageAsync(string url) => WebUtility.HtmlDecode(await new Browser(App).GetPageAsync(url));

    /// <summary>Names of the centres in the result list, in order.</summary>
    private static List<string> Found(string page) =>
        ResultName().Matches(page).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task Start_page_has_the_dutch_intro_and_the_finder()
    {
        var page = await PageAsync("/");
        Assert.Contains("Vind een ruimte in een buurtcentrum bij u in de buurt", page);
        Assert.Contains("action=\"/buurtcentra\"", page);
        Assert.Contains("Buurtcentra in Leidsche Rijn", page);
    }

    [Fact]
    public async Task List_shows_active_centres_with_wijk_smo_rooms_and_todays_hours()
    {
        var smo = await Data.OrganisationAsync("Welzijn Zuid");
        var centre = await Data.CentreAsync("Buurtcentrum Alfa", smoId: smo, wijkId: 7);
        await Data.RoomAsync(centre, "Zaal", capacity: 80);
        await Data.RoomAsync(centre, "Huiskamer", capacity: 20);
        // App.Time starts on maandag 23 november 2026.
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(9, 0), new TimeOnly(12, 0));
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(19, 0), new TimeOnly(22, 0));

        var page = await PageAsync("/buurtcentra");

        Assert.Equal(["Buurtcentrum Alfa"], Found(page));
        Assert.Contains("1 buurtcentrum gevonden", page);
        Assert.Contains("Zuid", page);
        Assert.Contains("Welzijn Zuid", page);
        Assert.Contains("2 ruimtes, tot 80 personen", page);
        Assert.Contains("09:00 tot 12:00 uur, 19:00 tot 22:00 uur", page);
    }

    [Fact]
    public async Task Capacity_filter_keeps_centres_with_a_room_that_is_big_enough_and_names_that_room()
    {
        var small = await Data.CentreAsync("Buurtcentrum Klein");
        await Data.RoomAsync(small, "Huiskamer Klein", capacity: 20);
        var big = await Data.CentreAsync("Buurtcentrum Groot");
        await Data.RoomAsync(big, "Grote zaal", capacity: 60);
        await Data.RoomAsync(big, "Spreekkamer", capacity: 4);

        var page = await PageAsync("/buurtcentra?Capacity=50");

        Assert.Equal(["Buurtcentrum Groot"], Found(page));
        Assert.Contains("1 buurtcentrum gevonden", page);
        Assert.Contains("Grote zaal (Zaal, 60 personen)", page);
        Assert.DoesNotContain("Spreekkamer (", page);
        // Exactly at the limit still fits.
        Assert.Equal(["Buurtcentrum Groot", "Buurtcentrum Klein"], Found(await PageAsync("/buurtcentra?Capacity=20")));
    }

    [Fact]
    public async Task Facility_filter()
    {
        var withBeamer = await Data.CentreAsync("Buurtcentrum Beamer");
        await Data.RoomAsync(withBeamer, "Filmzaal", facilities: ["beamer", "geluid"]);
        var without = await Data.CentreAsync("Buurtcentrum Zonder");
        await Data.RoomAsync(without, "Keukenzaal", facilities: ["keuken"]);

        var page = await PageAsync("/buurtcentra?Facility=beamer");

        Assert.Equal(["Buurtcentrum Beamer"], Found(page));
        Assert.Contains("Filmzaal (Zaal, 30 personen)", page);
    }

    [Fact]
    public async Task Accessibility_filter()
    {
        var ringleiding = await Data.CentreAsync("Buurtcentrum Ring");
        await Data.RoomAsync(ringleiding, "Vergaderzaal", accessibility: ["ringleiding", "lift"]);
        var other = await Data.CentreAsync("Buurtcentrum Trap");
        await Data.RoomAsync(other, "Zolder", accessibility: ["prikkelarm"]);

        Assert.Equal(["Buurtcentrum Ring"], Found(await PageAsync("/buurtcentra?Accessibility=ringleiding")));
    }

    [Fact]
    public async Task Wijk_filter()
    {
        await Data.CentreAsync("Buurtcentrum Overvecht", wijkId: 3);
        await Data.CentreAsync("Buurtcentrum Zuid", wijkId: 7);

        var page = await PageAsync("/buurtcentra?Wijk=3");

        Assert.Equal(["Buurtcentrum Overvecht"], Found(page));
        Assert.Contains("<option value=\"3\" selected>Overvecht</option>", page);
    }

    [Fact]
    public async Task Combined_room_filters_must_all_hold_for_one_and_the_same_room()
    {
        // Big room without beamer + small room with beamer: does not fit a group of 50 that needs a beamer.
        var split = await Data.CentreAsync("Buurtcentrum Gesplitst", wijkId: 7);
        await Data.RoomAsync(split, "Grote zaal", capacity: 80);
        await Data.RoomAsync(split, "Kleine zaal", capacity: 10, facilities: ["beamer"], accessibility: ["rolstoeltoegankelijk"]);
        var fits = await Data.CentreAsync("Buurtcentrum Past", wijkId: 7);
        await Data.RoomAsync(fits, "Theaterzaal", capacity: 60, facilities: ["beamer", "podium"], accessibility: ["rolstoeltoegankelijk"]);
        var otherWijk = await Data.CentreAsync("Buurtcentrum Elders", wijkId: 1);
        await Data.RoomAsync(otherWijk, "Theaterzaal Elders", capacity: 60, facilities: ["beamer"], accessibility: ["rolstoeltoegankelijk"]);

        var page = await PageAsync("/buurtcentra?Wijk=7&Capacity=50&Facility=beamer&Accessibility=rolstoeltoegankelijk");

        Assert.Equal(["Buurtcentrum Past"], Found(page));
        Assert.Contains("Theaterzaal (Zaal, 60 personen)", page);
    }

    [Fact]
    public async Task Inactive_centres_and_inactive_rooms_are_left_out()
    {
        var closedCentre = await Data.CentreAsync("Buurtcentrum Dicht");
        await Data.RoomAsync(closedCentre, "Zaal Dicht", capacity: 100);
        await Data.ScalarAsync<int>("update centres set active = false where id = @closedCentre returning 1", new { closedCentre });
        var open = await Data.CentreAsync("Buurtcentrum Open");
        var oldRoom = await Data.RoomAsync(open, "Oude zaal", capacity: 100);
        await Data.RoomAsync(open, "Huiskamer Open", capacity: 15);
        await Data.ScalarAsync<int>("update rooms set active = false where id = @oldRoom returning 1", new { oldRoom });

        var all = await PageAsync("/buurtcentra");
        Assert.Equal(["Buurtcentrum Open"], Found(all));
        Assert.Contains("1 ruimte, tot 15 personen", all);

        var big = await PageAsync("/buurtcentra?Capacity=50");
        Assert.Empty(Found(big));
        Assert.Contains("0 buurtcentra gevonden", big);
        Assert.Contains("Er is geen buurtcentrum dat past bij uw zoekvraag.", big);
    }

    [Fact]
    public async Task Text_search_on_the_name_ignores_case_and_treats_wildcards_as_text()
    {
        await Data.CentreAsync("Buurtcentrum De Boog");
        await Data.CentreAsync("Buurtcentrum Oase");

        Assert.Equal(["Buurtcentrum De Boog"], Found(await PageAsync("/buurtcentra?Q=boog")));
        Assert.Empty(Found(await PageAsync("/buurtcentra?Q=%25")));
    }

    [Theory]
    [InlineData("Capacity=abc", "Vul bij aantal personen een heel getal in, bijvoorbeeld 20.")]
    [InlineData("Capacity=-5", "Vul bij aantal personen een getal van 1 tot en met 2000 in.")]
    [InlineData("Capacity=0", "Vul bij aantal personen een getal van 1 tot en met 2000 in.")]
    [InlineData("Capacity=99999999999", "Vul bij aantal personen een getal van 1 tot en met 2000 in.")]
    [InlineData("Wijk=99", "Deze wijk kennen we niet. Kies een wijk uit de lijst.")]
    [InlineData("Facility=sauna", "Deze faciliteit kennen we niet. Kies een faciliteit uit de lijst.")]
    [InlineData("Accessibility=trap", "Deze vorm van toegankelijkheid kennen we niet. Kies er een uit de lijst.")]
    public async Task Bad_filter_values_get_a_dutch_message_not_an_error_page(string query, string message)
    {
        await Data.CentreAsync("Buurtcentrum Alfa");

        var response = await new Browser(App).Client.GetAsync($"/buurtcentra?{query}");
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Controleer het formulier", page);
        Assert.Contains(message, page);
        Assert.Contains("aria-invalid=\"true\"", page);
        Assert.DoesNotContain("gevonden", page);
    }

    [Fact]
    public async Task Typed_value_stays_in_the_field_after_a_validation_error()
    {
        var page = await PageAsync("/buurtcentra?Capacity=abc&Q=Boog");
        Assert.Contains("value=\"abc\"", page);
        Assert.Contains("value=\"Boog\"", page);
    }

    [GeneratedRegex("<h3 class=\"utrecht-heading-3\"><a class=\"utrecht-link\" href=\"/buurtcentra/[a-z0-9-]+\">([^<]+)</a></h3>")]
    private static partial Regex ResultName();
}
