using System.Net;
using System.Text;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Tariffs;

public sealed class InvoicingTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private static string Url(long centreId, string query = "") => $"/beheer/buurtcentra/{centreId}/facturatie{query}";

    private Bookings Bookings => new(Fixture.Database.DataSource);

    private async Task<Browser> SignedInAsync(string role, long? organisationId = null, long[]? centreIds = null)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync(role, organisationId, centreIds)));
        return browser;
    }

    /// <summary>
    /// March 2027 in one centre: billable lines at both edges of the month in local time (the clock goes forward on
    /// 28 March), om niet with a wederdienst, a pending request, a cancelled date, lines in February and April,
    /// and a line in another centre.
    /// </summary>
    private async Task<(long Centre, long OtherCentre)> MarchAsync()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Boog");
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        var kamer = await Data.RoomAsync(centre, "Huiskamer");
        var yoga = await Data.OrganisationAsync("Yoga; aan de Vecht", "gebruikersgroep", "commercieel");
        var koor = await Data.OrganisationAsync("Buurtkoor Hoograven", "gebruikersgroep", "bewonersinitiatief");

        var yogaLessons = await Bookings.ReservationAsync(centre, zaal, "Yoga", "commercieel", 4000, yoga);
        await Bookings.OccurrenceAsync(yogaLessons, zaal, new(2027, 3, 1, 0, 30, 0), new(2027, 3, 1, 1, 30, 0));      // 28 Feb 23:30 UTC: March
        await Bookings.OccurrenceAsync(yogaLessons, zaal, new(2027, 3, 31, 23, 30, 0), new(2027, 4, 1, 0, 15, 0));    // 31 Mar 21:30 UTC: March
        await Bookings.OccurrenceAsync(yogaLessons, zaal, new(2027, 2, 28, 23, 0, 0), new(2027, 2, 28, 23, 45, 0));   // February
        await Bookings.OccurrenceAsync(yogaLessons, zaal, new(2027, 4, 1, 0, 45, 0), new(2027, 4, 1, 1, 30, 0));      // 31 Mar 22:45 UTC: April
        await Bookings.OccurrenceAsync(yogaLessons, zaal, new(2027, 3, 10, 19, 0, 0), new(2027, 3, 10, 21, 0, 0), "geannuleerd");

        var party = await Bookings.ReservationAsync(centre, kamer, "=Verjaardag", "sociaal", 1250, contactName: "Piet Jansen");
        await Bookings.OccurrenceAsync(party, kamer, new(2027, 3, 13, 14, 0, 0), new(2027, 3, 13, 16, 30, 0));

        var choir = await Bookings.ReservationAsync(centre, zaal, "Buurtkoor", "om_niet", 0, koor, wederdienst: "Zingt op de buurtmiddag");
        await Bookings.OccurrenceAsync(choir, zaal, new(2027, 3, 2, 19, 0, 0), new(2027, 3, 2, 21, 0, 0));

        var pending = await Bookings.ReservationAsync(centre, kamer, "Nog niet beslist", "sociaal", 1250, status: "aangevraagd");
        await Bookings.OccurrenceAsync(pending, kamer, new(2027, 3, 20, 10, 0, 0), new(2027, 3, 20, 12, 0, 0), "aangevraagd");

        var otherCentre = await Data.CentreAsync("Buurtcentrum Elders");
        var elders = await Data.RoomAsync(otherCentre, "Zaal elders");
        var other = await Bookings.ReservationAsync(otherCentre, elders, "Elders", "commercieel", 9900);
        await Bookings.OccurrenceAsync(other, elders, new(2027, 3, 5, 10, 0, 0), new(2027, 3, 5, 12, 0, 0));
        return (centre, otherCentre);
    }

    [Fact]
    public async Task The_csv_lists_the_confirmed_billable_occurrences_of_the_local_month_for_excel()
    {
        var (centre, _) = await MarchAsync();
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centre]);

        var response = await browser.Client.GetAsync(Url(centre, "?maand=2027-03&formaat=csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Matches("^facturatie-test-\\d+-2027-03\\.csv$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
        [
            "Datum;Begintijd;Eindtijd;Ruimte;Organisatie of contactpersoon;Activiteit;Tarief;Uren;Tarief per uur;Bedrag;Reservering",
            "01-03-2027;00:30;01:30;Grote zaal;\"Yoga; aan de Vecht\";Yoga;Commercieel tarief;1,00;40,00;40,00;1",
            "13-03-2027;14:00;16:30;Huiskamer;Piet Jansen;'=Verjaardag;Sociaal tarief;2,50;12,50;31,25;2",
            "31-03-2027;23:30;00:15;Grote zaal;\"Yoga; aan de Vecht\";Yoga;Commercieel tarief;0,75;40,00;30,00;1",
            "Totaal;;;;;;;;;101,25;",
        ], lines);
    }

    [Fact]
    public async Task The_page_shows_the_billable_lines_with_the_total_and_om_niet_separately_with_its_wederdienst()
    {
        var (centre, _) = await MarchAsync();
        var browser = await SignedInAsync("functioneel_beheerder");

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(centre, "?maand=2027-03")));

        Assert.Contains("<h1 class=\"utrecht-heading-1\">Facturatie Buurtcentrum De Boog: maart 2027</h1>", page);
        var billable = page[page.IndexOf("id=\"te-factureren\"", StringComparison.Ordinal)..page.IndexOf("id=\"om-niet\"", StringComparison.Ordinal)];
        var free = page[page.IndexOf("id=\"om-niet\"", StringComparison.Ordinal)..];
        Assert.Contains("€ 101,25", billable);
        Assert.Contains("wo 31 maart 2027", billable);
        Assert.Contains("23:30–00:15", billable);
        Assert.Contains("Piet Jansen", billable);
        Assert.DoesNotContain("Buurtkoor", billable);
        Assert.DoesNotContain("Nog niet beslist", page);
        Assert.DoesNotContain("Elders", page);
        Assert.Contains("Buurtkoor Hoograven", free);
        Assert.Contains("Zingt op de buurtmiddag", free);
        Assert.Contains("?maand=2027-03&formaat=csv", page);
        Assert.Contains("?maand=2027-02\">Vorige maand: februari 2027", page);
    }

    [Fact]
    public async Task Without_a_month_the_current_month_is_shown_and_a_wrong_month_gets_a_dutch_message()
    {
        var (centre, _) = await MarchAsync();
        var browser = await SignedInAsync("sociaal_beheerder", centreIds: [centre]);
        var now = Buurtcentra.Web.Infrastructure.Time.AmsterdamTime.Today(App.Time);
        var current = new DateOnly(now.Year, now.Month, 1).ToString("MMMM yyyy", new System.Globalization.CultureInfo("nl-NL"));

        var plain = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(centre)));
        var wrong = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(centre, "?maand=2027-13")));
        var wrongCsv = await browser.Client.GetAsync(Url(centre, "?maand=maart&formaat=csv"));

        Assert.Contains($"Facturatie Buurtcentrum De Boog: {current}</h1>", plain);
        Assert.Contains("De maand ‘2027-13’ kennen we niet. Gebruik jaar en maand", wrong);
        Assert.Equal(HttpStatusCode.OK, wrongCsv.StatusCode);
        Assert.Equal("text/html", wrongCsv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("De maand ‘maart’ kennen we niet.", WebUtility.HtmlDecode(await wrongCsv.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("sociaal_beheerder")]
    [InlineData("stadsbedrijven")]
    public async Task A_beheerder_of_another_centre_or_stadsbedrijven_gets_404_for_page_and_csv(string role)
    {
        var (centre, otherCentre) = await MarchAsync();
        var browser = await SignedInAsync(role, centreIds: role == "sociaal_beheerder" ? [otherCentre] : null);

        var page = await browser.Client.GetAsync(Url(centre, "?maand=2027-03"));
        var csv = await browser.Client.GetAsync(Url(centre, "?maand=2027-03&formaat=csv"));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, csv.StatusCode);
        Assert.DoesNotContain("Yoga", await csv.Content.ReadAsStringAsync());
    }
}
