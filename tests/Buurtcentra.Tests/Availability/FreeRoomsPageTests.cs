using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Availability;

/// <summary>The public page /ruimte-zoeken, as a browser without JavaScript sees it. App.Time: maandag 23 november 2026, 10:00.</summary>
public sealed partial class FreeRoomsPageTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private static readonly DateOnly Tuesday = new(2026, 12, 1);
    private AvailabilityData Occupancy => new(Fixture.Database.DataSource);

    private async Task<string> PageAsync(string url) => WebUtility.HtmlDecode(await new Browser(App).GetPageAsync(url));

    private static List<string> CentreHeadings(string page) => CentreHeading().Matches(page).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task First_visit_shows_the_form_in_fieldsets_without_errors_or_results()
    {
        await Data.CentreAsync("Buurtcentrum Keuze", wijkId: 3);

        var page = await PageAsync("/ruimte-zoeken");

        Assert.Contains("<h1 class=\"utrecht-heading-1\">Vrije ruimte zoeken</h1>", page);
        Assert.Contains("<form method=\"get\" action=\"/ruimte-zoeken\"", page);
        foreach (var legend in new[] { "Wanneer", "Hoe laat en hoe lang", "Hoeveel personen en waar", "Wat moet er in de ruimte zijn?", "Toegankelijkheid" })
        {
            Assert.Contains($"legend--html-legend\">{legend}</legend>", page);
        }
        Assert.Contains("name=\"Facilities\" value=\"beamer\"", page);
        Assert.Contains("name=\"Accessibility\" value=\"ringleiding\"", page);
        Assert.Contains("<option value=\"wijk:7\">Wijk Zuid</option>", page);
        Assert.Matches("<option value=\"centre:test-[0-9]+\">Buurtcentrum Keuze</option>", page);
        Assert.DoesNotContain("Controleer het formulier", page);
        Assert.DoesNotContain("id=\"resultaten\"", page);
    }

    [Fact]
    public async Task Results_per_centre_with_rooms_and_free_slots_that_link_to_the_request_form()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Proef", wijkId: 7);
        var room = await Data.RoomAsync(centre, "Grote zaal", capacity: 60, facilities: ["beamer", "wifi"]);
        await Occupancy.RoomRulesAsync(room, cleanupMinutes: 0);
        await Data.OpeningHoursAsync(centre, 2, new TimeOnly(9, 0), new TimeOnly(17, 0));
        await Occupancy.BookAsync(room, Tuesday, new TimeOnly(12, 0), new TimeOnly(13, 0), contactName: "Geheime Boeker", activity: "Geheime les");

        var page = await PageAsync("/ruimte-zoeken?Date=2026-12-01&Duration=120&Participants=15&Facilities=beamer&Near=wijk:7");

        Assert.Contains("1 ruimte vrij in 1 buurtcentrum", page);
        Assert.Contains("Op dinsdag 1 december 2026, binnen de openingstijden, voor 2 uur en 15 personen. Het dichtst bij wijk Zuid eerst.", page);
        Assert.Equal(["Buurtcentrum De Proef"], CentreHeadings(page));
        Assert.Contains($"<a class=\"utrecht-link\" href=\"/buurtcentra/{await Occupancy.SlugAsync(centre)}\">Buurtcentrum De Proef</a>", page);
        Assert.Contains("<h4 class=\"utrecht-heading-4\">Grote zaal</h4>", page);
        Assert.Contains("Zaal, tot 60 personen.", page);
        Assert.Contains("Met: beamer, wifi.", page);
        Assert.Contains("<dt>dinsdag 1 december 2026</dt>", page);
        Assert.Contains($"href=\"/reserveren/nieuw?ruimte={room}&datum=2026-12-01&van=09:00&tot=11:00\">vrij 09:00–12:00", page);
        Assert.Contains($"href=\"/reserveren/nieuw?ruimte={room}&datum=2026-12-01&van=13:00&tot=15:00\">vrij 13:00–17:00", page);
        Assert.Contains("<dt>Afstand</dt><dd>ongeveer ", page);
        Assert.DoesNotContain("Geheime", page);
    }

    [Fact]
    public async Task Weekday_search_shows_each_of_the_four_dates()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Elke Week");
        await Occupancy.BookingWindowAsync(centre, leadTimeDays: 0); // takes requests for the day after tomorrow too
        var room = await Data.RoomAsync(centre, "Huiskamer", type: "huiskamer");
        await Data.OpeningHoursAsync(centre, 3, new TimeOnly(19, 0), new TimeOnly(22, 0));
        await Occupancy.BookAsync(room, new DateOnly(2026, 12, 2), new TimeOnly(19, 0), new TimeOnly(22, 0));

        var page = await PageAsync("/ruimte-zoeken?Weekday=3");

        Assert.Contains("De komende 4 woensdagen (25 november, 2 december, 9 december, 16 december)", page);
        Assert.Contains("<dt>woensdag 25 november 2026</dt>", page);
        Assert.DoesNotContain("<dt>woensdag 2 december 2026</dt>", page); // fully booked that day
        Assert.Contains("<dt>woensdag 9 december 2026</dt>", page);
        Assert.Contains("<dt>woensdag 16 december 2026</dt>", page);
        Assert.Equal(3, Regex.Matches(page, "vrij 19:00–22:00").Count);
    }

    [Fact]
    public async Task No_match_says_so_in_plain_dutch()
    {
        var page = await PageAsync("/ruimte-zoeken?Date=2026-12-01");

        Assert.Contains("Geen vrije ruimte gevonden", page);
        Assert.Contains("Er is geen ruimte vrij die past bij uw zoekvraag.", page);
    }

    [Theory]
    [InlineData("Date=&Weekday=", "Date", "Kies een datum of een weekdag.")]
    [InlineData("Date=2026-12-01&From=18:00&To=17:00", "To", "De eindtijd moet na de begintijd liggen.")]
    [InlineData("Date=2026-12-01&Participants=veel", "Participants", "Vul bij aantal personen een heel getal in, bijvoorbeeld 20.")]
    [InlineData("Date=2026-12-01&Duration=5", "Duration", "Kies een duur van minstens 15 minuten en hoogstens 24 uur.")]
    public async Task Wrong_input_gives_a_dutch_message_at_the_field_and_no_results(string query, string field, string message)
    {
        var page = await PageAsync($"/ruimte-zoeken?{query}");

        Assert.Contains("Controleer het formulier", page);
        Assert.Contains($"<a class=\"utrecht-link\" href=\"#{field}\">{message}</a>", page);
        Assert.Contains($"<div class=\"utrecht-form-field-error-message\" id=\"{field}-error\">{message}</div>", page);
        Assert.Matches($"id=\"{field}\" name=\"{field}\" aria-describedby=\"[^\"]*{field}-error\" aria-invalid=\"true\"", page);
        Assert.DoesNotContain("id=\"resultaten\"", page);
    }

    [Fact]
    public async Task An_unknown_facility_is_reported_at_the_checkbox_group()
    {
        var page = await PageAsync("/ruimte-zoeken?Date=2026-12-01&Facilities=jacuzzi");

        Assert.Contains("<a class=\"utrecht-link\" href=\"#Facilities\">Deze faciliteit kennen we niet. Kies faciliteiten uit de lijst.</a>", page);
        Assert.Contains("<div id=\"Facilities\" tabindex=\"-1\"", page);
    }

    [GeneratedRegex("<h3 class=\"utrecht-heading-3\"><a class=\"utrecht-link\" href=\"/buurtcentra/[^\"]+\">([^<]+)</a></h3>")]
    private static partial Regex CentreHeading();
}
