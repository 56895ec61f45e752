using System.Globalization;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Microsoft.Playwright;
using MimeKit;

namespace Buurtcentra.EndToEnd;

/// <summary>
/// A melding from start to end in the browser, at phone width: a gebruiker scans the room's QR code and reports a broken
/// heater without an account, Stadsbedrijven plans it (in behandeling, a repair visit in the room's calendar) and solves it
/// in the werkbak, the reporter reads the mails and closes the melding through the private link. Every page is axe-clean.
/// App.Time: maandag 23 november 2026.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class MeldingFlowTests(BrowserFixture fixture)
{
    private const string Centre = "Buurtcentrum De Warme Kachel";
    private const string Room = "Kachelzaal";
    private const string Reporter = "Fatima El Amrani";
    private const string ReporterEmail = "fatima.elamrani@voorbeeld.example";
    private const string Description = "De verwarming onder het raam blijft koud. Het is hier maar 14 graden.";

    [Fact]
    public async Task A_gebruiker_reports_a_broken_heater_by_qr_stadsbedrijven_plans_and_solves_it_and_the_reporter_closes_it()
    {
        // Arrange: a centre with one room, its sociaal beheerder, and a Stadsbedrijven account.
        var data = fixture.Data;
        var centreId = await data.CentreAsync(Centre);
        var roomId = await data.RoomAsync(centreId, Room, capacity: 30);
        for (var weekday = 1; weekday <= 7; weekday++) await data.OpeningHoursAsync(centreId, weekday, new TimeOnly(8, 0), new TimeOnly(23, 0));
        var beheerderEmail = await data.EmailOfAsync(await data.UserAsync("sociaal_beheerder", centreIds: [centreId]));
        var stadsbedrijvenEmail = await data.EmailOfAsync(await data.UserAsync("stadsbedrijven"));

        // 1. The beheerder opens the room's QR page from the centre overview (to print it on the door).
        var beheerder = await fixture.NewPhonePageAsync();
        await SignInAsync(beheerder, beheerderEmail);
        await beheerder.GotoAsync($"/beheer/buurtcentra/{centreId}");
        await beheerder.GetByRole(AriaRole.Link, new() { Name = $"QR-code om problemen te melden ({Room})" }).ClickAsync();
        await Assertions.Expect(beheerder.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Iets kapot of niet in orde in {Room}?");
        await Assertions.Expect(beheerder.GetByRole(AriaRole.Img, new() { Name = $"QR-code naar het meldformulier voor {Room}" })).ToBeVisibleAsync();
        await beheerder.AssertAccessibleAsync();
        var qrUrl = await beheerder.GetByRole(AriaRole.Link, new() { Name = "Het meldformulier bekijken" }).GetAttributeAsync("href");
        Assert.Matches($"/melden/[a-z0-9-]+/{roomId}$", qrUrl!);

        // 2. The gebruiker scans it (no account needed) and reports the broken heater.
        var reporter = await fixture.NewPhonePageAsync();
        await reporter.GotoAsync(qrUrl!);
        await Assertions.Expect(reporter.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Probleem melden: {Room}");
        await Assertions.Expect(reporter.GetByLabel("Ruimte")).ToHaveValueAsync(roomId.ToString(CultureInfo.InvariantCulture));
        await reporter.AssertAccessibleAsync();

        // Sending without a description brings the form back with a Dutch message, and the choices kept.
        await reporter.GetByLabel("Kapot of defect").CheckAsync();
        await reporter.GetByLabel("Spoed", new() { Exact = true }).CheckAsync();
        await reporter.GetByLabel("Technisch: gebouw en installaties").CheckAsync();
        await reporter.GetByLabel("Uw naam").FillAsync(Reporter);
        await reporter.GetByLabel("Uw e-mailadres").FillAsync(ReporterEmail);
        await reporter.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).ClickAsync();
        await Assertions.Expect(reporter.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Assertions.Expect(reporter.GetByLabel("Kapot of defect")).ToBeCheckedAsync();
        await Assertions.Expect(reporter.GetByLabel("Uw naam")).ToHaveValueAsync(Reporter);
        await reporter.AssertAccessibleAsync();

        await reporter.GetByLabel("Wat is er aan de hand?").FillAsync(Description);
        await reporter.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).ClickAsync();
        await Assertions.Expect(reporter.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Uw melding is verstuurd");
        await reporter.AssertAccessibleAsync();
        var meldingId = await data.ScalarAsync<long>("select id from meldingen where centre_id = @centreId", new { centreId });
        var title = $"Kapot of defect: {Room}, {Centre}";

        // The reporter gets a confirmation with a private link; spoed goes to Stadsbedrijven at once.
        var received = await SignIn.WaitForMailAsync(fixture.App, ReporterEmail, m => m.Subject == $"We hebben uw melding ontvangen: {title}");
        Assert.Matches(PrivateLinkPattern(), received.TextBody ?? "");
        var spoed = await SignIn.WaitForMailAsync(fixture.App, stadsbedrijvenEmail, m => m.Subject == $"SPOED: {title}");
        Assert.Contains($"/beheer/meldingen/{meldingId}", spoed.TextBody);

        // 3. Stadsbedrijven finds it in the werkbak and takes it on: planned, and a repair visit that blocks the room.
        var stadsbedrijven = await fixture.NewPhonePageAsync();
        await SignInAsync(stadsbedrijven, stadsbedrijvenEmail);
        await stadsbedrijven.GotoAsync($"/beheer/meldingen?centrum={centreId}");
        var row = stadsbedrijven.Locator("tbody tr").Filter(new() { Has = stadsbedrijven.GetByRole(AriaRole.Link, new() { Name = $"{meldingId}: Kapot of defect" }) });
        await Assertions.Expect(row).ToContainTextAsync("Spoed");
        await Assertions.Expect(row).ToContainTextAsync("Nieuw");
        await Assertions.Expect(row).Not.ToContainTextAsync(Reporter);
        await stadsbedrijven.AssertAccessibleAsync();

        await row.GetByRole(AriaRole.Link, new() { Name = $"{meldingId}: Kapot of defect" }).ClickAsync();
        await Assertions.Expect(stadsbedrijven).ToHaveURLAsync(new Regex($"/beheer/meldingen/{meldingId}$"));
        await Assertions.Expect(stadsbedrijven.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Melding {meldingId}: Kapot of defect");
        await stadsbedrijven.AssertAccessibleAsync();

        var status = stadsbedrijven.GetByRole(AriaRole.Region, new() { Name = "Status wijzigen" });
        await status.GetByLabel("In behandeling nemen of de planning wijzigen").CheckAsync();
        await status.GetByLabel("Gepland op").FillAsync("2026-11-25");
        await status.GetByLabel("Wie doet het werk?").FillAsync("Stadsbedrijven, team installaties");
        await status.GetByLabel("Toelichting").FillAsync("We vervangen de thermostaat.");
        await status.GetByRole(AriaRole.Button, new() { Name = "Status opslaan" }).ClickAsync();
        await Assertions.Expect(stadsbedrijven.GetByRole(AriaRole.Status)).ToContainTextAsync($"Melding {meldingId} staat nu op ‘In behandeling’.");
        await stadsbedrijven.AssertAccessibleAsync();

        var visit = stadsbedrijven.GetByRole(AriaRole.Region, new() { Name = "Bezoek in de agenda" });
        await visit.GetByLabel("Dag van het bezoek").FillAsync("2026-11-25");
        await visit.GetByLabel("Van (tijd)").FillAsync("09:00");
        await visit.GetByLabel("Tot (tijd)").FillAsync("11:00");
        await visit.GetByLabel("Niemand mag de ruimte dan reserveren").CheckAsync();
        await visit.GetByRole(AriaRole.Button, new() { Name = "Bezoek plannen" }).ClickAsync();
        await Assertions.Expect(stadsbedrijven.GetByRole(AriaRole.Status)).ToContainTextAsync("Het bezoek staat in de agenda van de ruimte. De ruimte is dan buiten gebruik.");
        await Assertions.Expect(visit).ToContainTextAsync("woensdag 25 november 2026 09:00–11:00, Stadsbedrijven, team installaties (ruimte geblokkeerd)");
        await stadsbedrijven.AssertAccessibleAsync();

        // The visit is in the room's week grid, without the reporter or the description.
        await stadsbedrijven.GotoAsync($"/beheer/buurtcentra/{centreId}/week?datum=2026-11-25");
        var grid = stadsbedrijven.GetByRole(AriaRole.Table, new() { NameRegex = new Regex("^Bezetting per ruimte") });
        var roomRow = grid.Locator("tbody tr").Filter(new() { Has = stadsbedrijven.GetByRole(AriaRole.Rowheader, new() { Name = Room }) });
        var block = roomRow.Locator("td").Nth(2).GetByRole(AriaRole.Link, new() { Name = "09:00–11:00 Onderhoud: Kapot of defect" });
        await Assertions.Expect(block).ToHaveAttributeAsync("href", $"/beheer/meldingen/{meldingId}");
        await Assertions.Expect(grid).Not.ToContainTextAsync(Reporter);
        await Assertions.Expect(grid).Not.ToContainTextAsync("verwarming");
        await stadsbedrijven.AssertAccessibleAsync();

        // 4. The work is done: Stadsbedrijven marks it solved.
        await block.ClickAsync();
        status = stadsbedrijven.GetByRole(AriaRole.Region, new() { Name = "Status wijzigen" });
        await status.GetByLabel("Opgelost", new() { Exact = true }).CheckAsync();
        await status.GetByLabel("Toelichting").FillAsync("Nieuwe thermostaat geplaatst. De zaal is weer warm.");
        await status.GetByRole(AriaRole.Button, new() { Name = "Status opslaan" }).ClickAsync();
        await Assertions.Expect(stadsbedrijven.GetByRole(AriaRole.Status)).ToContainTextAsync($"Melding {meldingId} staat nu op ‘Opgelost’.");
        await stadsbedrijven.AssertAccessibleAsync();

        // 5. The reporter reads the mails and closes the melding through the link in the last one.
        var planned = await SignIn.WaitForMailAsync(fixture.App, ReporterEmail, m => m.Subject == $"In behandeling: {title}");
        Assert.Contains("Het werk is gepland op woensdag 25 november 2026 (Stadsbedrijven, team installaties).", planned.TextBody);
        Assert.Contains("Toelichting: We vervangen de thermostaat.", planned.TextBody);
        var solved = await SignIn.WaitForMailAsync(fixture.App, ReporterEmail, m => m.Subject == $"Opgelost: {title}");
        Assert.Contains("Is het probleem echt opgelost? Sluit de melding dan via de knop hieronder.", solved.TextBody);
        Assert.Contains("Toelichting: Nieuwe thermostaat geplaatst. De zaal is weer warm.", solved.TextBody);

        await reporter.GotoAsync(PrivateLinkPattern().Match(solved.TextBody ?? "").Value);
        await Assertions.Expect(reporter.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Melding {meldingId}: Kapot of defect");
        await Assertions.Expect(reporter.Locator(".melding-thread")).ToContainTextAsync("Nieuwe thermostaat geplaatst.");
        await reporter.AssertAccessibleAsync();
        var close = reporter.GetByRole(AriaRole.Region, new() { Name = "Is het probleem opgelost?" });
        await close.GetByLabel("Sluiten: het probleem is echt opgelost").CheckAsync();
        await close.GetByRole(AriaRole.Button, new() { Name = "Status opslaan" }).ClickAsync();
        await Assertions.Expect(reporter.GetByRole(AriaRole.Status)).ToContainTextAsync("De melding staat nu op ‘Gesloten’.");
        await Assertions.Expect(reporter.GetByRole(AriaRole.Region, new() { Name = "Is het probleem opgelost?" })).ToHaveCountAsync(0);
        await reporter.AssertAccessibleAsync();

        Assert.Equal("gesloten", await data.ScalarAsync<string>("select status from meldingen where id = @meldingId", new { meldingId }));
        // The beheerder of the centre heard of every step too.
        await SignIn.WaitForMailAsync(fixture.App, beheerderEmail, m => m.Subject == $"Gesloten: {title}");
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/inloggen");
        await page.GetByLabel("E-mailadres").First.FillAsync(email);
        await page.GetByLabel("Wachtwoord").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/beheer/buurtcentra$"));
    }

    [GeneratedRegex(@"https?://[^/\s]+/melding/[A-Za-z0-9_\-]+")]
    private static partial Regex PrivateLinkPattern();
}
