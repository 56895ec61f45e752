using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Meldingen;

/// <summary>Where people find the report form: the public centre page, and per room the QR code on the beheer overview.</summary>
public sealed class MeldingLinksTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    [Fact]
    public async Task The_centre_page_links_to_the_report_form_and_the_beheer_overview_to_each_room_s_qr_code_for_its_beheerders()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Grote zaal");
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });

        var visitor = new Browser(App);
        var page = WebUtility.HtmlDecode(await visitor.GetPageAsync($"/buurtcentra/{slug}"));
        Assert.Contains($"<a class=\"utrecht-link\" href=\"/melden/{slug}\">Probleem melden: is er iets kapot, vies of onveilig in De Boog?</a>", page);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Client.GetAsync($"/melden/{slug}")).StatusCode);

        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centreId])));
        var overview = await beheerder.GetPageAsync($"/beheer/buurtcentra/{centreId}");
        Assert.Contains($"href=\"/beheer/ruimtes/{roomId}/qr\">QR-code<span class=\"visually-hidden\"> om problemen te melden (Grote zaal)</span></a>", overview);
        Assert.Contains("Iets kapot of niet in orde in Grote zaal?", await beheerder.GetPageAsync($"/beheer/ruimtes/{roomId}/qr"));

        // Stadsbedrijven reads the overview but does not manage the centre: no QR link (the page would answer 404).
        var stadsbedrijven = new Browser(App);
        await stadsbedrijven.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("stadsbedrijven")));
        Assert.DoesNotContain("/qr\"", await stadsbedrijven.GetPageAsync($"/beheer/buurtcentra/{centreId}"));
    }
}
