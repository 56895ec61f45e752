using System.Globalization;
using System.Net;
using Buurtcentra.Tests.CentreManagement;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Tests.ClosureDays;

public sealed class ClosureDaysTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string New = "/beheer/sluitingsdagen/nieuw";

    private DateOnly Today => AmsterdamTime.Today(App.Time);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task<long> CountAsync() => Data.ScalarAsync<long>("select count(*) from closure_days");

    private async Task<long> ClosureAsync(long? centreId, DateOnly startsOn, DateOnly? endsOn = null, string reason = "Sluiting") =>
        await Data.ScalarAsync<long>("""
            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
            values (@centreId, @startsOn, @endsOn, 'overig', @reason, now()) returning id
            """, new { centreId, startsOn, endsOn = endsOn ?? startsOn, reason });

    private static (string, string)[] Fields(string centre, DateOnly startsOn, string endsOn = "", string reason = "Schilderwerk", string kind = "overig") =>
        [("Form.CentreId", centre), ("Form.Kind", kind), ("Form.StartsOn", Iso(startsOn)), ("Form.EndsOn", endsOn), ("Form.Reason", reason)];

    [Fact]
    public async Task Sociaal_beheerder_adds_a_one_day_closure_for_own_centre()
    {
        var centre = await Data.CentreAsync("De Boog");
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);

        var form = await browser.GetPageAsync(New);
        Assert.Contains("De Boog", form);
        Assert.DoesNotContain("Alle buurtcentra", form);

        var response = await browser.PostFormAsync(New, New, Fields(centre.ToString(), Today.AddDays(10), reason: "  Schilderwerk  "));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{centre}|{Iso(Today.AddDays(10))}|{Iso(Today.AddDays(10))}|overig|Schilderwerk", await Data.ScalarAsync<string>(
            "select concat_ws('|', centre_id, to_char(starts_on, 'YYYY-MM-DD'), to_char(ends_on, 'YYYY-MM-DD'), kind, reason) from closure_days"));
        var list = await browser.GetPageAsync("/beheer/sluitingsdagen");
        Assert.Contains("Schilderwerk", list);
        Assert.Contains("De sluiting is toegevoegd.", list);
    }

    [Fact]
    public async Task Sociaal_beheerder_cannot_add_a_closure_for_another_centre_or_for_all_centres()
    {
        var own = await Data.CentreAsync("De Boog");
        var other = await Data.CentreAsync("De Zuilenhoek");
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [own]);

        var forOther = await browser.PostFormAsync(New, New, Fields(other.ToString(), Today.AddDays(10)));
        var forAll = await browser.PostFormAsync(New, New, Fields("alle", Today.AddDays(10)));
        var invalidForOther = await browser.PostFormAsync(New, New, Fields(other.ToString(), Today.AddDays(10), reason: ""));
        var unknown = await browser.PostFormAsync(New, New, Fields("999999", Today.AddDays(10)));

        Assert.Equal(HttpStatusCode.NotFound, forOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forAll.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, invalidForOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0L, await CountAsync());
    }

    [Fact]
    public async Task Functioneel_beheerder_adds_a_closure_for_all_centres()
    {
        await Data.CentreAsync("De Boog");
        var browser = await Staff.SignInAsync(App, Data, "functioneel_beheerder");
        Assert.Contains("Alle buurtcentra", await browser.GetPageAsync(New));

        var response = await browser.PostFormAsync(New, New,
            Fields("alle", Today.AddDays(5), Iso(Today.AddDays(6)), "Kerstdagen", "feestdag"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await Data.ScalarAsync<bool>(
            "select centre_id is null and ends_on - starts_on = 1 and kind = 'feestdag' from closure_days"));
    }

    [Fact]
    public async Task Wrong_dates_and_missing_reason_get_dutch_messages_and_store_nothing()
    {
        var centre = await Data.CentreAsync("De Boog");
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);
        var id = centre.ToString();

        async Task<string> PostAsync((string, string)[] fields)
        {
            var response = await browser.PostFormAsync(New, New, fields);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        }

        Assert.Contains("De laatste dag mag niet vóór de eerste dag liggen.", await PostAsync(Fields(id, Today.AddDays(10), Iso(Today.AddDays(9)))));
        Assert.Contains("Een sluiting duurt maximaal een jaar.", await PostAsync(Fields(id, Today.AddDays(10), Iso(Today.AddDays(10 + 367)))));
        Assert.Contains("De eerste dag mag niet meer dan een jaar geleden zijn.", await PostAsync(Fields(id, Today.AddYears(-1).AddDays(-1))));
        Assert.Contains("Vul de reden van de sluiting in.", await PostAsync(Fields(id, Today.AddDays(10), reason: " ")));
        Assert.Contains("De reden moet tussen 2 en 200 tekens lang zijn.", await PostAsync(Fields(id, Today.AddDays(10), reason: new string('x', 201))));
        Assert.Contains("Kies de soort sluiting.", await PostAsync(Fields(id, Today.AddDays(10), kind: "staking")));
        var empty = await PostAsync([("Form.CentreId", ""), ("Form.Kind", "overig"), ("Form.StartsOn", ""), ("Form.Reason", "")]);
        Assert.Contains("Kies voor welk buurtcentrum de sluiting geldt.", empty);
        Assert.Contains("Vul de eerste dag van de sluiting in.", empty);
        Assert.Equal(0L, await CountAsync());

        // Exactly 366 days apart is the longest the database allows, and is accepted.
        var longest = await browser.PostFormAsync(New, New, Fields(id, Today.AddDays(1), Iso(Today.AddDays(367))));
        Assert.Equal(HttpStatusCode.Redirect, longest.StatusCode);
    }

    [Fact]
    public async Task Date_that_is_not_a_date_gets_one_dutch_message_and_a_dutch_written_date_is_understood()
    {
        var centre = await Data.CentreAsync("De Boog");
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);

        var bad = await browser.PostFormAsync(New, New, ("Form.CentreId", centre.ToString()), ("Form.Kind", "overig"),
            ("Form.StartsOn", "morgen"), ("Form.Reason", "Schilderwerk"));
        var body = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Contains("'morgen' is geen geldige waarde voor eerste dag.", body);
        Assert.DoesNotContain("Vul de eerste dag van de sluiting in.", body);
        Assert.Equal(0L, await CountAsync());

        var day = Today.AddDays(12);
        var dutch = await browser.PostFormAsync(New, New, ("Form.CentreId", centre.ToString()), ("Form.Kind", "overig"),
            ("Form.StartsOn", day.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture)), ("Form.Reason", "Schilderwerk"));
        Assert.Equal(HttpStatusCode.Redirect, dutch.StatusCode);
        Assert.Equal(Iso(day), await Data.ScalarAsync<string>("select to_char(starts_on, 'YYYY-MM-DD') from closure_days"));
    }

    [Fact]
    public async Task List_shows_city_wide_and_own_closures_upcoming_or_past_but_not_other_centres()
    {
        var own = await Data.CentreAsync("De Boog");
        var other = await Data.CentreAsync("De Zuilenhoek");
        await ClosureAsync(own, Today.AddDays(3), reason: "Eigen komend");
        await ClosureAsync(own, Today.AddDays(-20), Today.AddDays(-10), reason: "Eigen voorbij");
        await ClosureAsync(own, Today.AddDays(-2), Today, reason: "Eigen loopt tot vandaag");
        await ClosureAsync(null, Today.AddDays(30), reason: "Heel de stad");
        await ClosureAsync(other, Today.AddDays(3), reason: "Van een ander");
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [own]);

        var upcoming = await browser.GetPageAsync("/beheer/sluitingsdagen");
        Assert.Contains("Eigen komend", upcoming);
        Assert.Contains("Eigen loopt tot vandaag", upcoming);
        Assert.Contains("Heel de stad", upcoming);
        Assert.Contains("Alle buurtcentra", upcoming);
        Assert.DoesNotContain("Eigen voorbij", upcoming);
        Assert.DoesNotContain("Van een ander", upcoming);
        Assert.Contains("href=\"/beheer/sluitingsdagen?periode=voorbij\"", upcoming);

        var past = await browser.GetPageAsync("/beheer/sluitingsdagen?periode=voorbij");
        Assert.Contains("Eigen voorbij", past);
        Assert.DoesNotContain("Eigen komend", past);
        Assert.DoesNotContain("Van een ander", past);
    }

    [Fact]
    public async Task Beheerder_deletes_own_closure_but_gets_404_for_another_centre_and_for_city_wide_ones()
    {
        var own = await Data.CentreAsync("De Boog");
        var other = await Data.CentreAsync("De Zuilenhoek");
        var ownClosure = await ClosureAsync(own, Today.AddDays(3));
        var otherClosure = await ClosureAsync(other, Today.AddDays(3));
        var cityWide = await ClosureAsync(null, Today.AddDays(3));
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [own]);

        var list = await browser.GetPageAsync("/beheer/sluitingsdagen");
        Assert.Contains($"/beheer/sluitingsdagen/{ownClosure}/verwijderen", list);
        Assert.DoesNotContain($"/beheer/sluitingsdagen/{cityWide}/verwijderen", list);

        var deleteOther = await browser.PostFormAsync("/beheer/sluitingsdagen", $"/beheer/sluitingsdagen/{otherClosure}/verwijderen");
        var deleteCityWide = await browser.PostFormAsync("/beheer/sluitingsdagen", $"/beheer/sluitingsdagen/{cityWide}/verwijderen");
        var deleteOwn = await browser.PostFormAsync("/beheer/sluitingsdagen", $"/beheer/sluitingsdagen/{ownClosure}/verwijderen");

        Assert.Equal(HttpStatusCode.NotFound, deleteOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deleteCityWide.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, deleteOwn.StatusCode);
        Assert.Equal(new[] { otherClosure, cityWide }.Order(), (await Data.ScalarAsync<long[]>("select array_agg(id order by id) from closure_days")).Order());
    }

    [Fact]
    public async Task Functioneel_beheerder_deletes_a_city_wide_closure()
    {
        var cityWide = await ClosureAsync(null, Today.AddDays(3));
        var browser = await Staff.SignInAsync(App, Data, "functioneel_beheerder");

        var response = await browser.PostFormAsync("/beheer/sluitingsdagen", $"/beheer/sluitingsdagen/{cityWide}/verwijderen");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0L, await CountAsync());
    }

    [Fact]
    public async Task Stadsbedrijven_see_all_closures_but_cannot_add_or_delete()
    {
        var centre = await Data.CentreAsync("De Boog");
        var closure = await ClosureAsync(centre, Today.AddDays(3), reason: "Onderhoud cv");
        var browser = await Staff.SignInAsync(App, Data, "stadsbedrijven");

        var list = await browser.GetPageAsync("/beheer/sluitingsdagen");
        Assert.Contains("Onderhoud cv", list);
        Assert.DoesNotContain("verwijderen", list);
        Assert.DoesNotContain("Sluiting toevoegen", list);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(New)).StatusCode);

        var add = await browser.PostFormAsync("/beheer/sluitingsdagen", New, Fields(centre.ToString(), Today.AddDays(10)));
        var delete = await browser.PostFormAsync("/beheer/sluitingsdagen", $"/beheer/sluitingsdagen/{closure}/verwijderen");

        Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(1L, await CountAsync());
    }
}
