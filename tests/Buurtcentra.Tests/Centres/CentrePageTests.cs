using System.Net;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Tests.Centres;

public sealed class CentrePageTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private Task<string> SlugAsync(long centreId) =>
        Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });

    private Task<long> ClosureAsync(long? centreId, DateOnly startsOn, DateOnly endsOn, string reason, string kind = "overig") =>
        Data.ScalarAsync<long>("""
            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
            values (@centreId, @startsOn, @endsOn, @kind, @reason, now()) returning id
            """, new { centreId, startsOn, endsOn, kind, reason });

    private async Task<string> PageAsync(string url) => WebUtility.HtmlDecode(await new Browser(App).GetPageAsync(url));

    [Fact]
    public async Task Shows_address_smo_contact_and_opening_hours_per_weekday()
    {
        var smo = await Data.OrganisationAsync("Stichting Buurtwerk");
        var centre = await Data.CentreAsync("Buurtcentrum Het Anker", smoId: smo, wijkId: 9);
        await Data.ScalarAsync<int>("""
            update centres set email = 'anker@test.example', phone = '030 111 2222', description = 'Gezellig buurthuis aan het water.'
            where id = @centre returning 1
            """, new { centre });
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(9, 0), new TimeOnly(12, 30));
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(19, 0), new TimeOnly(22, 0));
        await Data.OpeningHoursAsync(centre, 6, new TimeOnly(10, 0), new TimeOnly(16, 0));

        var page = await PageAsync($"/buurtcentra/{await SlugAsync(centre)}");

        Assert.Contains("<h1 class=\"utrecht-heading-1\">Buurtcentrum Het Anker</h1>", page);
        Assert.Contains("Teststraat 1, 3511 AA Utrecht", page);
        Assert.Contains("Leidsche Rijn", page);
        Assert.Contains("Stichting Buurtwerk", page);
        Assert.Contains("Gezellig buurthuis aan het water.", page);
        Assert.Contains("mailto:anker@test.example", page);
        Assert.Contains("href=\"tel:0301112222\"", page);
        Assert.Contains("""<th scope="row" class="utrecht-table__header-cell">maandag</th>""", page);
        Assert.Contains("09:00 tot 12:30 uur en 19:00 tot 22:00 uur", page);
        Assert.Contains("10:00 tot 16:00 uur", page);
        // dinsdag ... vrijdag and zondag have no hours.
        Assert.Equal(5, page.Split("<td class=\"utrecht-table__cell\">gesloten</td>").Length - 1);
    }

    [Fact]
    public async Task Shows_active_rooms_by_name_with_type_capacity_size_facilities_and_accessibility()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Ruimte");
        var room = await Data.RoomAsync(centre, "Theaterzaal", type: "zaal", capacity: 120,
            facilities: ["beamer", "podium"], accessibility: ["rolstoeltoegankelijk", "ringleiding"]);
        await Data.ScalarAsync<int>("update rooms set floor = 'Eerste verdieping' where id = @room returning 1", new { room });
        await Data.RoomAsync(centre, "Vergaderkamer", type: "vergaderruimte", capacity: 12);
        var oldRoom = await Data.RoomAsync(centre, "Gesloten kelder");
        await Data.ScalarAsync<int>("update rooms set active = false where id = @oldRoom returning 1", new { oldRoom });

        var page = await PageAsync($"/buurtcentra/{await SlugAsync(centre)}");

        Assert.Contains("<h3 class=\"utrecht-heading-3\">Theaterzaal</h3>", page);
        Assert.Contains("maximaal 120", page);
        Assert.Contains("50 m²", page);
        Assert.Contains("Eerste verdieping", page);
        Assert.Contains("Beamer, Podium", page);
        Assert.Contains("Rolstoeltoegankelijk, Ringleiding", page);
        Assert.Contains("<h3 class=\"utrecht-heading-3\">Vergaderkamer</h3>", page);
        Assert.Contains("Vergaderruimte", page);
        Assert.DoesNotContain("Gesloten kelder", page);
    }

    [Fact]
    public async Task Shows_city_wide_and_own_closure_days_for_the_next_twelve_months_only()
    {
        var today = AmsterdamTime.Today(App.Time);
        var centre = await Data.CentreAsync("Buurtcentrum Sluiting");
        var other = await Data.CentreAsync("Buurtcentrum Ander");
        await ClosureAsync(null, today.AddDays(10), today.AddDays(10), "Feestdag voor iedereen", "feestdag");
        await ClosureAsync(centre, today.AddDays(20), today.AddDays(24), "Groot onderhoud", "vakantiesluiting");
        await ClosureAsync(centre, today.AddDays(-3), today, "Lekkage");
        await ClosureAsync(other, today.AddDays(5), today.AddDays(5), "Sluiting van een ander centrum");
        await ClosureAsync(null, today.AddDays(-30), today.AddDays(-29), "Voorbij");
        await ClosureAsync(centre, today.AddMonths(13), today.AddMonths(13), "Te ver weg");

        var page = await PageAsync($"/buurtcentra/{await SlugAsync(centre)}");

        Assert.Contains("Feestdag voor iedereen (feestdag, alle buurtcentra)", page);
        Assert.Contains("Groot onderhoud (vakantiesluiting)", page);
        Assert.Contains("Lekkage", page);
        Assert.DoesNotContain("Sluiting van een ander centrum", page);
        Assert.DoesNotContain("Voorbij", page);
        Assert.DoesNotContain("Te ver weg", page);
        Assert.True(page.IndexOf("Lekkage", StringComparison.Ordinal) < page.IndexOf("Feestdag voor iedereen", StringComparison.Ordinal),
            "closure days are in date order");
    }

    [Fact]
    public async Task Without_closure_days_or_rooms_the_page_says_so()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Leeg");
        var page = await PageAsync($"/buurtcentra/{await SlugAsync(centre)}");
        Assert.Contains("In de komende 12 maanden zijn er geen sluitingsdagen bekend.", page);
        Assert.Contains("Er zijn nog geen ruimtes bekend.", page);
    }

    [Fact]
    public async Task Unknown_or_inactive_centre_gets_the_dutch_404_page()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Weg");
        var slug = await SlugAsync(centre);
        await Data.ScalarAsync<int>("update centres set active = false where id = @centre returning 1", new { centre });
        var client = new Browser(App).Client;

        foreach (var url in new[] { "/buurtcentra/bestaat-niet", $"/buurtcentra/{slug}" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("Pagina niet gevonden", body);
            Assert.DoesNotContain("Buurtcentrum Weg", body);
        }
    }

    [Fact]
    public async Task Closed_today_shows_in_the_list()
    {
        var today = AmsterdamTime.Today(App.Time);
        var centre = await Data.CentreAsync("Buurtcentrum Vandaag Dicht");
        await Data.OpeningHoursAsync(centre, Buurtcentra.Web.Features.Centres.Weekdays.Iso(today), new TimeOnly(9, 0), new TimeOnly(17, 0));
        await ClosureAsync(null, today, today, "Dag van de Buurt");

        var page = await PageAsync("/buurtcentra");

        Assert.Contains("Gesloten: Dag van de Buurt", page);
        Assert.DoesNotContain("09:00 tot 17:00 uur", page);
    }
}
