using Microsoft.Playwright;

namespace Buurtcentra.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class PublicSiteTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Login_page_is_accessible_and_shows_dutch_errors_at_phone_width()
    {
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync("/inloggen");
        await page.AssertAccessibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Vul uw e-mailadres in.");
        await page.AssertAccessibleAsync();
    }
}
