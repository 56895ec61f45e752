using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.CentreManagement;

public sealed class CreateCentreTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private async Task<(Browser Browser, long SmoId)> FunctioneelBeheerAsync()
    {
        var smoId = await Data.OrganisationAsync("Vooruit");
        return (await Staff.SignInAsync(App, Data, "functioneel_beheerder"), smoId);
    }

    private static (string, string)[] Fields(long smoId, string name = "Buurtcentrum Café 't Hoekje", string slug = "",
        string postcode = "3572ab", string email = "info@hoekje.example") =>
    [
        ("Form.Name", name), ("Form.Slug", slug), ("Form.Street", "Hoekstraat 1"), ("Form.Postcode", postcode),
        ("Form.City", "Utrecht"), ("Form.WijkId", "5"), ("Form.SmoId", smoId.ToString()), ("Form.Email", email),
        ("Form.Phone", "030 123 45 67"), ("Form.Description", "Gezellig op de hoek."),
    ];

    [Fact]
    public async Task Functioneel_beheerder_creates_a_centre_with_derived_slug_and_normalised_postcode()
    {
        var (browser, smoId) = await FunctioneelBeheerAsync();

        var response = await browser.PostFormAsync("/beheer/buurtcentra/nieuw", "/beheer/buurtcentra/nieuw", Fields(smoId));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await Data.ScalarAsync<long>("select id from centres where name = 'Buurtcentrum Café ''t Hoekje'");
        Assert.Equal($"/beheer/buurtcentra/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("buurtcentrum-cafe-t-hoekje", await Data.ScalarAsync<string>("select slug from centres where id = @id", new { id }));
        Assert.Equal("3572 AB", await Data.ScalarAsync<string>("select postcode from centres where id = @id", new { id }));
        Assert.Equal(smoId, await Data.ScalarAsync<long>("select smo_id from centres where id = @id", new { id }));
        Assert.Equal(5, await Data.ScalarAsync<int>("select wijk_id::int from centres where id = @id", new { id }));
        Assert.True(await Data.ScalarAsync<bool>("select active from centres where id = @id", new { id }));

        var overview = await browser.GetPageAsync($"/beheer/buurtcentra/{id}");
        Assert.Contains("is toegevoegd", overview);
        Assert.Contains("Gezellig op de hoek.", overview);
    }

    [Fact]
    public async Task Empty_form_gives_dutch_messages_and_stores_nothing()
    {
        var (browser, _) = await FunctioneelBeheerAsync();

        var response = await browser.PostFormAsync("/beheer/buurtcentra/nieuw", "/beheer/buurtcentra/nieuw",
            ("Form.Name", ""), ("Form.Street", ""), ("Form.Postcode", ""), ("Form.City", ""), ("Form.WijkId", ""), ("Form.SmoId", ""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Vul de naam van het buurtcentrum in.", body);
        Assert.Contains("Vul de straat en het huisnummer in.", body);
        Assert.Contains("Vul de postcode in.", body);
        Assert.Contains("Vul de plaats in.", body);
        Assert.Contains("Kies een wijk.", body);
        Assert.Contains("Kies een SMO.", body);
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from centres"));
    }

    [Fact]
    public async Task Wrong_postcode_slug_email_and_too_long_description_get_dutch_messages_and_keep_the_input()
    {
        var (browser, smoId) = await FunctioneelBeheerAsync();
        var fields = Fields(smoId, slug: "Met Spaties", postcode: "0123 AB", email: "geen-adres")
            .Where(f => f.Item1 != "Form.Description").Append(("Form.Description", new string('x', 2001))).ToArray();

        var response = await browser.PostFormAsync("/beheer/buurtcentra/nieuw", "/beheer/buurtcentra/nieuw", fields);

        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Vul een geldige postcode in: 4 cijfers en 2 letters, bijvoorbeeld 3511 AB.", body);
        Assert.Contains("Het webadres mag alleen kleine letters, cijfers en losse streepjes bevatten", body);
        Assert.Contains("Vul een geldig e-mailadres in, bijvoorbeeld info@buurtcentrum.nl.", body);
        Assert.Contains("De beschrijving mag maximaal 2000 tekens lang zijn.", body);
        Assert.Contains("value=\"Hoekstraat 1\"", body);
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from centres"));
    }

    [Fact]
    public async Task Duplicate_name_in_other_case_gives_a_field_error_not_a_crash()
    {
        var (browser, smoId) = await FunctioneelBeheerAsync();
        await Data.CentreAsync("De Boog", smoId);

        var response = await browser.PostFormAsync("/beheer/buurtcentra/nieuw", "/beheer/buurtcentra/nieuw",
            Fields(smoId, name: "de boog", slug: "de-boog-2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Er is al een buurtcentrum met deze naam. Kies een andere naam.", body);
        Assert.Contains("id=\"Form_Name-error\"", body);
        Assert.Equal(1L, await Data.ScalarAsync<long>("select count(*) from centres"));
    }

    [Fact]
    public async Task Duplicate_slug_gives_a_field_error()
    {
        var (browser, smoId) = await FunctioneelBeheerAsync();
        await Data.CentreAsync("De Boog", smoId);
        var takenSlug = await Data.ScalarAsync<string>("select slug from centres");

        var response = await browser.PostFormAsync("/beheer/buurtcentra/nieuw", "/beheer/buurtcentra/nieuw",
            Fields(smoId, name: "Het Nieuwe Huis", slug: takenSlug));

        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Dit webadres is al in gebruik. Kies een ander webadres.", body);
        Assert.Equal(1L, await Data.ScalarAsync<long>("select count(*) from centres"));
    }

    [Fact]
    public async Task Organisation_that_is_not_an_smo_is_refused()
    {
        var (browser, _) = await FunctioneelBeheerAsync();
        var notAnSmo = await Data.OrganisationAsync("Stadsbedrijven", kind: "stadsbedrijven");

        var response = await browser.PostFormAsync("/beheer/buurtcentra/nieuw", "/beheer/buurtcentra/nieuw", Fields(notAnSmo));

        Assert.Contains("Kies een SMO uit de lijst.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from centres"));
    }

    [Theory]
    [InlineData("sociaal_beheerder")]
    [InlineData("smo_coordinator")]
    [InlineData("stadsbedrijven")]
    public async Task Only_functioneel_beheer_may_create_centres(string role)
    {
        var smoId = await Data.OrganisationAsync();
        var browser = await Staff.SignInAsync(App, Data, role);

        var page = await browser.Client.GetAsync("/beheer/buurtcentra/nieuw");
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);

        var token = await browser.TokenFromAsync("/beheer/buurtcentra");
        var post = await browser.Client.PostAsync("/beheer/buurtcentra/nieuw", new FormUrlEncodedContent(
            Fields(smoId).Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))
                .Append(new("__RequestVerificationToken", token))));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.False(post.StatusCode == HttpStatusCode.Redirect && post.Headers.Location!.OriginalString.StartsWith("/beheer/buurtcentra/", StringComparison.Ordinal));
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from centres"));
    }
}
