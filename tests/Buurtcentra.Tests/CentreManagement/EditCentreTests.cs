using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.CentreManagement;

public sealed class EditCentreTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    [Fact]
    public async Task Sociaal_beheerder_edits_own_description_but_posted_smo_name_and_active_are_ignored()
    {
        var smo = await Data.OrganisationAsync("Vooruit");
        var otherSmo = await Data.OrganisationAsync("Me'kaar");
        var centre = await Data.CentreAsync("De Boog", smo);
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);

        var form = await browser.GetPageAsync($"/beheer/buurtcentra/{centre}/bewerken");
        Assert.DoesNotContain("name=\"Form.SmoId\"", form);
        Assert.DoesNotContain("name=\"Form.Name\"", form);
        Assert.DoesNotContain("name=\"Form.Active\"", form);

        var response = await browser.PostFormAsync($"/beheer/buurtcentra/{centre}/bewerken", $"/beheer/buurtcentra/{centre}/bewerken",
            ("Form.Name", "Gekaapt"), ("Form.Slug", "gekaapt"), ("Form.SmoId", otherSmo.ToString()), ("Form.WijkId", "1"), ("Form.Active", "false"),
            ("Form.Street", "Boogstraat 2"), ("Form.Postcode", "3522xy"), ("Form.City", "Utrecht"),
            ("Form.Email", "boog@vooruit.example"), ("Form.Phone", "030 111 22 33"), ("Form.Description", "Nieuwe beschrijving"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var row = await Data.ScalarAsync<string>("""
            select concat_ws('|', name, slug, smo_id, wijk_id, active::text, street, postcode, email, phone, description) from centres where id = @centre
            """, new { centre });
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centre", new { centre });
        Assert.Equal($"De Boog|{slug}|{smo}|7|true|Boogstraat 2|3522 XY|boog@vooruit.example|030 111 22 33|Nieuwe beschrijving", row);
        Assert.NotEqual("gekaapt", slug);
    }

    [Fact]
    public async Task Smo_coordinator_edits_a_centre_of_their_smo()
    {
        var smo = await Data.OrganisationAsync("Vooruit");
        var centre = await Data.CentreAsync("De Boog", smo);
        var browser = await Staff.SignInAsync(App, Data, "smo_coordinator", organisationId: smo);

        var response = await browser.PostFormAsync($"/beheer/buurtcentra/{centre}/bewerken", $"/beheer/buurtcentra/{centre}/bewerken",
            ("Form.Street", "Teststraat 1"), ("Form.Postcode", "3511 AA"), ("Form.City", "Utrecht"), ("Form.Description", "Door de coördinator"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Door de coördinator", await Data.ScalarAsync<string>("select description from centres where id = @centre", new { centre }));
    }

    [Fact]
    public async Task Invalid_edit_shows_dutch_messages_and_changes_nothing()
    {
        var centre = await Data.CentreAsync("De Boog");
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);

        var response = await browser.PostFormAsync($"/beheer/buurtcentra/{centre}/bewerken", $"/beheer/buurtcentra/{centre}/bewerken",
            ("Form.Street", "Nieuw 1"), ("Form.Postcode", "ABCD 12"), ("Form.City", "Utrecht"), ("Form.Phone", new string('1', 31)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Vul een geldige postcode in", body);
        Assert.Contains("Het telefoonnummer mag maximaal 30 tekens lang zijn.", body);
        Assert.Contains("value=\"Nieuw 1\"", body);
        Assert.Equal("Teststraat 1", await Data.ScalarAsync<string>("select street from centres where id = @centre", new { centre }));
    }

    [Fact]
    public async Task Functioneel_beheerder_changes_name_smo_and_deactivates_the_centre()
    {
        var smo = await Data.OrganisationAsync("Vooruit");
        var otherSmo = await Data.OrganisationAsync("Me'kaar");
        var centre = await Data.CentreAsync("De Boog", smo);
        var browser = await Staff.SignInAsync(App, Data, "functioneel_beheerder");

        var form = await browser.GetPageAsync($"/beheer/buurtcentra/{centre}/bewerken");
        Assert.Contains("name=\"Form.SmoId\"", form);

        // Unchecked checkbox: only the hidden "false" is posted.
        var response = await browser.PostFormAsync($"/beheer/buurtcentra/{centre}/bewerken", $"/beheer/buurtcentra/{centre}/bewerken",
            ("Form.Name", "De Nieuwe Boog"), ("Form.Slug", ""), ("Form.SmoId", otherSmo.ToString()), ("Form.WijkId", "3"), ("Form.Active", "false"),
            ("Form.Street", "Teststraat 1"), ("Form.Postcode", "3511 AA"), ("Form.City", "Utrecht"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"De Nieuwe Boog|de-nieuwe-boog|{otherSmo}|3|false", await Data.ScalarAsync<string>(
            "select concat_ws('|', name, slug, smo_id, wijk_id, active::text) from centres where id = @centre", new { centre }));
    }

    [Fact]
    public async Task Functioneel_beheerder_renaming_to_an_existing_name_gets_a_field_error()
    {
        var centre = await Data.CentreAsync("De Boog");
        await Data.CentreAsync("De Zuilenhoek");
        var smo = await Data.ScalarAsync<long>("select smo_id from centres where id = @centre", new { centre });
        var browser = await Staff.SignInAsync(App, Data, "functioneel_beheerder");

        var response = await browser.PostFormAsync($"/beheer/buurtcentra/{centre}/bewerken", $"/beheer/buurtcentra/{centre}/bewerken",
            ("Form.Name", "DE ZUILENHOEK"), ("Form.Slug", "iets-anders"), ("Form.SmoId", smo.ToString()), ("Form.WijkId", "7"),
            ("Form.Active", "true"), ("Form.Street", "Teststraat 1"), ("Form.Postcode", "3511 AA"), ("Form.City", "Utrecht"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Er is al een buurtcentrum met deze naam.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal("De Boog", await Data.ScalarAsync<string>("select name from centres where id = @centre", new { centre }));
    }
}
