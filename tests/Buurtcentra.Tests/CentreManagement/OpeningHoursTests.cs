using System.Net;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.CentreManagement;
using Buurtcentra.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Buurtcentra.Tests.CentreManagement;

public sealed class OpeningHoursTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private async Task<string> HoursAsync(long centreId) => await Data.ScalarAsync<string>("""
        select coalesce(string_agg(weekday || ' ' || to_char(opens_at, 'HH24:MI') || '-' || to_char(closes_at, 'HH24:MI'), ', ' order by weekday, opens_at), '')
        from opening_hours where centre_id = @centreId
        """, new { centreId });

    [Fact]
    public async Task Beheerder_replaces_the_week_with_two_periods_on_one_day()
    {
        var centre = await Data.CentreAsync("De Boog");
        await Data.OpeningHoursAsync(centre, 7, new TimeOnly(10, 0), new TimeOnly(14, 0));
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);
        var url = $"/beheer/buurtcentra/{centre}/openingstijden";

        var form = await browser.GetPageAsync(url);
        Assert.Contains("type=\"time\"", form);
        Assert.Contains("value=\"10:00\"", form);

        var response = await browser.PostFormAsync(url, url, Week.With((0, "09:00", "12:30", "19:00", "22:00"), (4, "13:00", "17:00", "", "")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("1 09:00-12:30, 1 19:00-22:00, 5 13:00-17:00", await HoursAsync(centre));
    }

    [Fact]
    public async Task Overlapping_periods_wrong_order_and_half_filled_get_dutch_messages_and_keep_the_old_week()
    {
        var centre = await Data.CentreAsync("De Boog");
        await Data.OpeningHoursAsync(centre, 3, new TimeOnly(9, 0), new TimeOnly(17, 0));
        var browser = await Staff.SignInAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);
        var url = $"/beheer/buurtcentra/{centre}/openingstijden";

        var response = await browser.PostFormAsync(url, url, Week.With(
            (0, "09:00", "13:00", "12:00", "17:00"),
            (1, "14:00", "10:00", "", ""),
            (2, "09:00", "", "", ""),
            (3, "", "", "", "18:00")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Op maandag overlappen de twee periodes.", body);
        Assert.Contains("Op dinsdag moet de sluitingstijd van de eerste periode later zijn dan de openingstijd.", body);
        Assert.Contains("Vul op woensdag bij de eerste periode ook in hoe laat het buurtcentrum dichtgaat.", body);
        Assert.Contains("Vul op donderdag bij de tweede periode ook in hoe laat het buurtcentrum opengaat.", body);
        Assert.Contains("value=\"12:00\"", body);
        Assert.Equal("3 09:00-17:00", await HoursAsync(centre));
    }

    [Fact]
    public async Task Empty_week_means_closed_every_day()
    {
        var centre = await Data.CentreAsync("De Boog");
        await Data.OpeningHoursAsync(centre, 3, new TimeOnly(9, 0), new TimeOnly(17, 0));
        var browser = await Staff.SignInAsync(App, Data, "functioneel_beheerder");
        var url = $"/beheer/buurtcentra/{centre}/openingstijden";

        var response = await browser.PostFormAsync(url, url, Week.Empty());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("", await HoursAsync(centre));
    }

    [Fact]
    public async Task Incomplete_week_is_refused()
    {
        var centre = await Data.CentreAsync("De Boog");
        await Data.OpeningHoursAsync(centre, 3, new TimeOnly(9, 0), new TimeOnly(17, 0));
        var browser = await Staff.SignInAsync(App, Data, "functioneel_beheerder");
        var url = $"/beheer/buurtcentra/{centre}/openingstijden";

        var response = await browser.PostFormAsync(url, url, ("Form.Days[0].Opens1", "09:00"), ("Form.Days[0].Closes1", "10:00"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Het formulier is niet compleet.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal("3 09:00-17:00", await HoursAsync(centre));
    }

    [Fact]
    public async Task When_the_database_refuses_one_period_the_whole_replace_is_rolled_back()
    {
        var centre = await Data.CentreAsync("De Boog");
        await Data.OpeningHoursAsync(centre, 3, new TimeOnly(9, 0), new TimeOnly(17, 0));
        var userId = await Data.UserAsync("functioneel_beheerder");

        using var scope = App.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext
        {
            User = AuthSetup.CreatePrincipal(userId, "Test", "t@test.example", Roles.FunctioneelBeheerder, null, Guid.NewGuid()),
        };
        var handler = scope.ServiceProvider.GetRequiredService<OpeningHoursHandler>();
        // Skips the validator on purpose: maandag is fine, zondag overlaps, so the database's exclusion constraint fires mid-way.
        var form = new OpeningHoursForm { Days = Enumerable.Range(0, 7).Select(_ => new DayHoursForm()).ToList() };
        (form.Days[0].Opens1, form.Days[0].Closes1) = (new TimeOnly(9, 0), new TimeOnly(12, 0));
        (form.Days[6].Opens1, form.Days[6].Closes1, form.Days[6].Opens2, form.Days[6].Closes2) =
            (new TimeOnly(9, 0), new TimeOnly(13, 0), new TimeOnly(12, 0), new TimeOnly(17, 0));

        var result = await handler.HandleAsync(centre, form);

        Assert.NotNull(result);
        Assert.False(result.Value.Succeeded);
        Assert.Equal("3 09:00-17:00", await HoursAsync(centre));
    }
}
