using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.CentreManagement;

/// <summary>Who sees and changes which centre: list, overview and the edit pages.</summary>
public sealed class CentreAccessTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    [Fact]
    public async Task Sociaal_beheerder_sees_only_own_centres_and_no_add_button()
    {
        var own = await Data.CentreAsync("Hart van Hoograven");
        await Data.RoomAsync(own);
        await Data.RoomAsync(own);
        await Data.CentreAsync("De Zuilenhoek");
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [own]);

        var page = await browser.GetPageAsync("/beheer/buurtcentra");

        Assert.Contains("Hart van Hoograven", page);
        Assert.DoesNotContain("De Zuilenhoek", page);
        Assert.DoesNotContain("Buurtcentrum toevoegen", page);
        Assert.Contains("<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">2</td>", page);
    }

    [Fact]
    public async Task Smo_coordinator_sees_the_centres_of_their_smo()
    {
        var vooruit = await Data.OrganisationAsync("Vooruit");
        await Data.CentreAsync("De Boog", vooruit);
        await Data.CentreAsync("De Zuilenhoek");
        var browser = await Staff.SignInAsync(App, Data, "smo_coordinator", organisationId: vooruit);

        var page = await browser.GetPageAsync("/beheer/buurtcentra");

        Assert.Contains("De Boog", page);
        Assert.DoesNotContain("De Zuilenhoek", page);
    }

    [Fact]
    public async Task Functioneel_beheer_and_stadsbedrijven_see_all_centres_with_status()
    {
        await Data.CentreAsync("De Boog");
        var inactive = await Data.CentreAsync("De Zuilenhoek");
        await Data.ScalarAsync<int>("update centres set active = false where id = @inactive returning 1", new { inactive });

        var beheer = await (await Staff.SignInAsync(App, Data, "functioneel_beheerder")).GetPageAsync("/beheer/buurtcentra");
        var stadsbedrijven = await (await Staff.SignInAsync(App, Data, "stadsbedrijven")).GetPageAsync("/beheer/buurtcentra");

        foreach (var page in new[] { beheer, stadsbedrijven })
        {
            Assert.Contains("De Boog", page);
            Assert.Contains("De Zuilenhoek", page);
            Assert.Contains("Niet actief", page);
        }
        Assert.Contains("Buurtcentrum toevoegen", beheer);
        Assert.DoesNotContain("Buurtcentrum toevoegen", stadsbedrijven);
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_the_sign_in_page()
    {
        var centre = await Data.CentreAsync("De Boog");

        var response = await new Browser(App).Client.GetAsync($"/beheer/buurtcentra/{centre}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/inloggen", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Overview_shows_details_hours_rooms_and_closures_with_manage_links_for_the_beheerder()
    {
        var centre = await Data.CentreAsync("De Boog");
        var room = await Data.RoomAsync(centre, "Grote zaal", capacity: 80);
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(9, 0), new TimeOnly(12, 30));
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(19, 0), new TimeOnly(22, 0));
        var today = Buurtcentra.Web.Infrastructure.Time.AmsterdamTime.Today(App.Time);
        await Data.ScalarAsync<int>("""
            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
            values (@centre, @day, @day, 'overig', 'Schilderwerk', now()), (null, @day2, @day2, 'feestdag', 'Eerste Kerstdag', now())
            returning 1
            """, new { centre, day = today.AddDays(3), day2 = today.AddDays(30) });
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);

        var page = await browser.GetPageAsync($"/beheer/buurtcentra/{centre}");

        Assert.Contains("<h1 class=\"utrecht-heading-1\">De Boog</h1>", page);
        Assert.Contains("09:00 tot 12:30 uur en 19:00 tot 22:00 uur", page);
        Assert.Contains("Gesloten", page);
        Assert.Contains("Grote zaal", page);
        Assert.Contains($"href=\"/beheer/ruimtes/{room}/bewerken\"", page);
        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/ruimtes/nieuw\"", page);
        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/bewerken\"", page);
        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/openingstijden\"", page);
        Assert.Contains("Schilderwerk", page);
        Assert.Contains("Eerste Kerstdag", page);
        Assert.Contains("Alle buurtcentra", page);
    }

    [Fact]
    public async Task Stadsbedrijven_view_read_only_and_cannot_open_or_post_the_edit_pages()
    {
        var centre = await Data.CentreAsync("De Boog");
        var room = await Data.RoomAsync(centre, "Grote zaal");
        var browser = await Staff.SignInAsync(App, Data, "stadsbedrijven");

        var page = await browser.GetPageAsync($"/beheer/buurtcentra/{centre}");
        Assert.Contains("Grote zaal", page);
        Assert.DoesNotContain($"/beheer/ruimtes/{room}/bewerken", page);
        Assert.DoesNotContain("ruimtes/nieuw", page);
        Assert.DoesNotContain($"/beheer/buurtcentra/{centre}/bewerken", page);
        Assert.DoesNotContain($"/beheer/buurtcentra/{centre}/openingstijden", page);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/beheer/buurtcentra/{centre}/bewerken")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/beheer/buurtcentra/{centre}/openingstijden")).StatusCode);
        var post = await browser.PostFormAsync("/beheer/buurtcentra", $"/beheer/buurtcentra/{centre}/bewerken",
            ("Form.Street", "Andere straat 1"), ("Form.Postcode", "3511 AA"), ("Form.City", "Utrecht"), ("Form.Description", "Gewijzigd"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var hours = await browser.PostFormAsync("/beheer/buurtcentra", $"/beheer/buurtcentra/{centre}/openingstijden", Week.Empty());
        Assert.Equal(HttpStatusCode.NotFound, hours.StatusCode);
        Assert.Null(await Data.ScalarAsync<string?>("select description from centres where id = @centre", new { centre }));
    }

    [Fact]
    public async Task Beheerder_of_centre_a_gets_404_for_every_page_of_centre_b_and_b_stays_unchanged()
    {
        var a = await Data.CentreAsync("Centrum A");
        var b = await Data.CentreAsync("Centrum B");
        await Data.OpeningHoursAsync(b, 2, new TimeOnly(10, 0), new TimeOnly(16, 0));
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [a]);

        foreach (var path in new[] { "", "/bewerken", "/openingstijden" })
        {
            var response = await browser.Client.GetAsync($"/beheer/buurtcentra/{b}{path}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Centrum B", await response.Content.ReadAsStringAsync());
        }
        // A centre id that does not exist looks the same.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/beheer/buurtcentra/999999")).StatusCode);

        var edit = await browser.PostFormAsync($"/beheer/buurtcentra/{a}/bewerken", $"/beheer/buurtcentra/{b}/bewerken",
            ("Form.Street", "Overgenomen 1"), ("Form.Postcode", "3511 AA"), ("Form.City", "Utrecht"), ("Form.Description", "Gekaapt"));
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        var invalidEdit = await browser.PostFormAsync($"/beheer/buurtcentra/{a}/bewerken", $"/beheer/buurtcentra/{b}/bewerken", ("Form.Street", ""));
        Assert.Equal(HttpStatusCode.NotFound, invalidEdit.StatusCode);
        var hours = await browser.PostFormAsync($"/beheer/buurtcentra/{a}/openingstijden", $"/beheer/buurtcentra/{b}/openingstijden", Week.Empty());
        Assert.Equal(HttpStatusCode.NotFound, hours.StatusCode);

        Assert.Equal("Teststraat 1", await Data.ScalarAsync<string>("select street from centres where id = @b", new { b }));
        Assert.Null(await Data.ScalarAsync<string?>("select description from centres where id = @b", new { b }));
        Assert.Equal(1L, await Data.ScalarAsync<long>("select count(*) from opening_hours where centre_id = @b", new { b }));
    }
}
