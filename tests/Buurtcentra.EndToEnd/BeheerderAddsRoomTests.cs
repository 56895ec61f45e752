using Buurtcentra.Tests.Support;
using Microsoft.Playwright;

namespace Buurtcentra.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class BeheerderAddsRoomTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Beheerder_logs_in_adds_a_room_with_facilities_and_it_appears_on_the_public_page()
    {
        var data = fixture.Data;
        var centreId = await data.CentreAsync("Buurtcentrum De Proeftuin");
        await data.OpeningHoursAsync(centreId, 1, new TimeOnly(9, 0), new TimeOnly(17, 0));
        var email = await data.EmailOfAsync(await data.UserAsync("sociaal_beheerder", centreIds: [centreId]));
        var slug = await data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        var page = await fixture.NewPhonePageAsync();

        await page.GotoAsync("/");
        await page.AssertAccessibleAsync();
        await page.GotoAsync("/inloggen");
        await page.AssertAccessibleAsync();
        await page.GetByLabel("E-mailadres").First.FillAsync(email);
        await page.GetByLabel("Wachtwoord").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/beheer/buurtcentra$"));
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Buurtcentrum De Proeftuin" }).ClickAsync();
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ruimte toevoegen" }).ClickAsync();
        await page.AssertAccessibleAsync();

        // First a mistake: the form says what is wrong, in Dutch, and keeps what was typed.
        await page.GetByLabel("Naam van de ruimte").FillAsync("Muziekkamer");
        await page.GetByLabel("Soort ruimte").SelectOptionAsync(new SelectOptionValue { Label = "Zaal" });
        await page.GetByLabel("Aantal personen").FillAsync("veel");
        await page.GetByLabel("Piano").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ruimte toevoegen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("aantal personen");
        await Assertions.Expect(page.GetByLabel("Naam van de ruimte")).ToHaveValueAsync("Muziekkamer");
        await Assertions.Expect(page.GetByLabel("Piano")).ToBeCheckedAsync();
        await page.AssertAccessibleAsync();

        await page.GetByLabel("Aantal personen").FillAsync("25");
        await page.GetByLabel("Beamer").CheckAsync();
        await page.GetByLabel("Ringleiding").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ruimte toevoegen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Muziekkamer");
        await page.AssertAccessibleAsync();

        await page.GotoAsync($"/buurtcentra/{slug}");
        var room = page.Locator("section, article, li, div").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Muziekkamer" }) }).Last;
        await Assertions.Expect(room).ToContainTextAsync("Piano");
        await Assertions.Expect(room).ToContainTextAsync("Beamer");
        await Assertions.Expect(room).ToContainTextAsync("Ringleiding");
        await Assertions.Expect(room).ToContainTextAsync("25");
        await page.AssertAccessibleAsync();

        await page.GotoAsync("/buurtcentra?Capacity=20&Facility=piano");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Buurtcentrum De Proeftuin");
        await page.AssertAccessibleAsync();
    }
}
