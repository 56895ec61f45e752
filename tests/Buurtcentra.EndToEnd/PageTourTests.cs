using Buurtcentra.Tests.Support;
using Microsoft.Playwright;

namespace Buurtcentra.EndToEnd;

/// <summary>Every screen, public and management, at 360 px: axe-core finds no WCAG 2.1 AA violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageTourTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Every_page_is_accessible_at_phone_width()
    {
        var data = fixture.Data;
        var smo = await data.OrganisationAsync("Wijk&Co Tour");
        var centreId = await data.CentreAsync("Buurtcentrum De Rondgang", smo);
        var roomId = await data.RoomAsync(centreId, "Rondgangzaal", facilities: ["beamer"], accessibility: ["rolstoeltoegankelijk"]);
        await data.OpeningHoursAsync(centreId, 2, new TimeOnly(9, 0), new TimeOnly(12, 0));
        await data.OpeningHoursAsync(centreId, 2, new TimeOnly(19, 0), new TimeOnly(22, 0));
        await data.ScalarAsync<long>("insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at) values (@centreId, '2026-12-28', '2026-12-31', 'vakantiesluiting', 'Kerstvakantie', now()) returning id", new { centreId });
        var group = await data.OrganisationAsync("Klaverjasclub Rondgang", "gebruikersgroep", "bewonersinitiatief");
        var userId = await data.UserAsync("sociaal_beheerder", centreIds: [centreId]);
        var adminEmail = await data.EmailOfAsync(await data.UserAsync("functioneel_beheerder"));
        var slug = await data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });

        var page = await fixture.NewPhonePageAsync();
        foreach (var url in new[] { "/", "/buurtcentra", $"/buurtcentra?Capacity=abc", $"/buurtcentra/{slug}", "/bestaat-niet",
                     "/ruimte-zoeken", "/ruimte-zoeken?Weekday=2&Facilities=beamer&Near=wijk:7", "/ruimte-zoeken?Date=2026-12-01&From=18:00&To=17:00&Facilities=jacuzzi" })
        {
            await page.GotoAsync(url);
            await page.AssertAccessibleAsync();
        }
        // The finder's result page above really had results (free slots as links) when axe looked at it.
        await page.GotoAsync("/ruimte-zoeken?Weekday=2&Facilities=beamer&Near=wijk:7");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "vrij 09:00–12:00" }).First).ToBeVisibleAsync();

        await page.GotoAsync("/inloggen");
        await page.GetByLabel("E-mailadres").First.FillAsync(adminEmail);
        await page.GetByLabel("Wachtwoord").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mijn buurtcentra");

        string[] pages =
        [
            "/beheer/buurtcentra", "/beheer/buurtcentra/nieuw", $"/beheer/buurtcentra/{centreId}", $"/beheer/buurtcentra/{centreId}/bewerken",
            $"/beheer/buurtcentra/{centreId}/openingstijden", $"/beheer/buurtcentra/{centreId}/ruimtes/nieuw", $"/beheer/ruimtes/{roomId}/bewerken",
            "/beheer/sluitingsdagen", "/beheer/sluitingsdagen?periode=voorbij", "/beheer/sluitingsdagen/nieuw",
            "/beheer/organisaties", "/beheer/organisaties/nieuw", $"/beheer/organisaties/{group}/bewerken",
            "/beheer/gebruikers", "/beheer/gebruikers/nieuw", $"/beheer/gebruikers/{userId}/bewerken",
        ];
        foreach (var url in pages)
        {
            var response = await page.GotoAsync(url);
            Assert.True(response!.Ok, $"{url} gave {response.Status}");
            await page.AssertAccessibleAsync();
        }

        // A form with errors is accessible too: submit the empty new-centre form.
        await page.GotoAsync("/beheer/buurtcentra/nieuw");
        await page.Locator("main form button[type=submit]").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
    }
}
