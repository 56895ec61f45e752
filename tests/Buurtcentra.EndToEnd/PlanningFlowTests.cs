using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Microsoft.Playwright;

namespace Buurtcentra.EndToEnd;

/// <summary>
/// A season planned in the browser, at phone width: the beheerder opens a round, two groups ask for the same
/// Thursday evening, the optimiser gives it to the group with the higher priority and tells the other group why,
/// the beheerder publishes a full season (September to July, further ahead than the booking horizon) and the series
/// shows in the week grid. Every page is axe-clean.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlanningFlowTests(BrowserFixture fixture)
{
    private const string RoundName = "Seizoen 2027-2028 De Vlonder";
    private const string Room = "Vlonderzaal";

    [Fact]
    public async Task Two_groups_want_the_same_evening_the_higher_priority_gets_it_with_an_explanation_and_publishing_makes_the_series()
    {
        var data = fixture.Data;
        var centreId = await data.CentreAsync("Buurtcentrum De Vlonder");
        var roomId = await data.RoomAsync(centreId, Room, capacity: 30);
        for (var weekday = 1; weekday <= 7; weekday++) await data.OpeningHoursAsync(centreId, weekday, new TimeOnly(9, 0), new TimeOnly(23, 0));
        var taalcafe = await data.OrganisationAsync("Taalcafé Vlonder", "gebruikersgroep", "maatschappelijke_organisatie");
        var yoga = await data.OrganisationAsync("Yogastudio Vlonder", "gebruikersgroep", "commercieel");
        var taalcafeEmail = await data.EmailOfAsync(await data.UserAsync("gebruiker", taalcafe));
        var yogaEmail = await data.EmailOfAsync(await data.UserAsync("gebruiker", yoga));
        var beheerderEmail = await data.EmailOfAsync(await data.UserAsync("sociaal_beheerder", centreIds: [centreId]));
        // A concept round for a real season, September 2027 to July 2028, with the default policy: a maatschappelijke
        // organisatie weighs more than a commercial one. Today is 23 November 2026: the season ends beyond the 400-day horizon.
        var roundId = await data.ScalarAsync<long>("""
            insert into planning_rounds (name, season_start, season_end, wishes_deadline, phase, created_at, updated_at)
            values (@RoundName, '2027-09-06', '2028-07-16', '2026-12-31', 'concept', now(), now()) returning id
            """, new { RoundName });
        await data.ScalarAsync<int>("insert into planning_round_centres (round_id, centre_id) values (@roundId, @centreId) returning 1", new { roundId, centreId });
        await data.ScalarAsync<long>("""
            insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                                           weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, created_at)
            values (@roundId, 1, 'Maatschappelijke organisaties gaan voor commerciële huurders.', 100, 80, 60, 50, 20, 30, 30, 15, 0, 10, now()) returning id
            """, new { roundId });

        // 1. The beheerder opens the round for wishes.
        var beheerder = await fixture.NewPhonePageAsync();
        await SignIn.WithPasswordAsync(beheerder, beheerderEmail);
        var roundUrl = $"/beheer/planning/rondes/{roundId}";
        await beheerder.GotoAsync(roundUrl);
        await beheerder.AssertAccessibleAsync();
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Naar ‘Open voor wensen’" }).ClickAsync();
        await Assertions.Expect(beheerder.Locator("[aria-current=step]")).ToContainTextAsync("Open voor wensen");

        // 2. Both groups ask for the Vlonderzaal on Thursday from 19:00 to 21:00, every week.
        await HandInWishAsync(taalcafeEmail, "Taalcafé", "Maatschappelijke organisatie");
        await HandInWishAsync(yogaEmail, "Avondyoga", "Commercieel");

        // 3. The beheerder takes the round in hand before the deadline (so says yes to the question first) and asks the
        //    optimiser for a proposal.
        await beheerder.GotoAsync(roundUrl);
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Naar ‘In behandeling’" }).ClickAsync();
        await Assertions.Expect(beheerder.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ronde nu in behandeling nemen?");
        await Assertions.Expect(beheerder.Locator("main")).ToContainTextAsync("Tot nu toe zijn 2 wensen ingediend, van 2 groepen.");
        await beheerder.AssertAccessibleAsync();
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Ja, neem de ronde nu in behandeling" }).ClickAsync();
        await Assertions.Expect(beheerder.Locator("[aria-current=step]")).ToContainTextAsync("In behandeling");
        await beheerder.GotoAsync($"{roundUrl}/planbord/{centreId}");
        await beheerder.AssertAccessibleAsync();
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Voorstel maken", Exact = true }).ClickAsync();
        await Assertions.Expect(beheerder).ToHaveURLAsync(new Regex(@"/berekening/\d+$"));
        await Assertions.Expect(beheerder.Locator("#run-state")).ToContainTextAsync("Klaar", new() { Timeout = 60_000 });
        await Assertions.Expect(beheerder.Locator("#run-error")).ToBeHiddenAsync(); // no "De berekening is mislukt." next to a good run
        await beheerder.AssertAccessibleAsync();
        await beheerder.GetByRole(AriaRole.Link, new() { Name = "Bekijk het nieuwe voorstel op het planbord" }).ClickAsync();
        var board = beheerder.Locator("main");
        await Assertions.Expect(board).ToContainTextAsync("Taalcafé");
        await Assertions.Expect(board).ToContainTextAsync("ging naar ‘Taalcafé’");
        await beheerder.AssertAccessibleAsync();

        // 4. The draft is shared: the group that did not get the evening reads why.
        await beheerder.GotoAsync(roundUrl);
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Naar ‘Concept-rooster gedeeld’" }).ClickAsync();
        await Assertions.Expect(beheerder.Locator("[aria-current=step]")).ToContainTextAsync("Concept-rooster gedeeld");

        var yogaPage = await fixture.NewPhonePageAsync();
        await SignIn.WithLinkAsync(yogaPage, fixture.App, yogaEmail);
        await yogaPage.GotoAsync("/planning");
        await yogaPage.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Het rooster en uw resultaat, met uitleg") }).ClickAsync();
        await Assertions.Expect(yogaPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Concept-rooster {RoundName}");
        var result = yogaPage.Locator("main");
        await Assertions.Expect(result).ToContainTextAsync("Niet toegekend");
        await Assertions.Expect(result).ToContainTextAsync("ging naar ‘Taalcafé’ van Taalcafé Vlonder, dat een hogere prioriteit heeft");
        await yogaPage.AssertAccessibleAsync();

        // 5. The beheerder adopts the roster and publishes it: one weekly series, every Thursday of the season.
        await beheerder.GotoAsync(roundUrl);
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Naar ‘Vastgesteld’" }).ClickAsync();
        await Assertions.Expect(beheerder.Locator("[aria-current=step]")).ToContainTextAsync("Vastgesteld");
        await beheerder.GotoAsync($"{roundUrl}/publiceren");
        await beheerder.AssertAccessibleAsync();
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Publiceren: 1 reeks maken" }).ClickAsync();
        await Assertions.Expect(beheerder.GetByRole(AriaRole.Status).First).ToBeVisibleAsync();
        await beheerder.AssertAccessibleAsync();

        Assert.Equal("gepubliceerd", await data.ScalarAsync<string>("select phase from planning_rounds where id = @roundId", new { roundId }));
        var dates = await data.ScalarAsync<string>("""
            select string_agg(to_char(o.starts_at at time zone 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI'), ',' order by o.starts_at)
            from occurrences o join reservations r on r.id = o.reservation_id
            where r.organisation_id = @taalcafe and r.room_id = @roomId and o.status = 'bevestigd'
            """, new { taalcafe, roomId });
        var thursdays = Enumerable.Range(0, 60).Select(i => new DateOnly(2027, 9, 9).AddDays(7 * i)).Where(d => d <= new DateOnly(2028, 7, 16)).ToList();
        Assert.Equal(new DateOnly(2028, 7, 13), thursdays[^1]);
        Assert.Equal(string.Join(",", thursdays.Select(d => d.ToString("yyyy-MM-dd") + " 19:00")), dates);
        Assert.Equal(0, await data.ScalarAsync<long>("select count(*) from reservations where organisation_id = @yoga", new { yoga }));

        // 6. The week grid of the first and of the last Thursday shows the Taalcafé in the Vlonderzaal.
        await beheerder.GotoAsync($"/beheer/buurtcentra/{centreId}/week?datum=2027-09-09");
        var grid = beheerder.GetByRole(AriaRole.Table, new() { NameRegex = new Regex("^Bezetting per ruimte") });
        var row = grid.GetByRole(AriaRole.Row).Filter(new() { Has = beheerder.GetByRole(AriaRole.Rowheader, new() { Name = Room }) });
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToContainTextAsync("Taalcafé");
        await beheerder.AssertAccessibleAsync();
        await beheerder.GotoAsync($"/beheer/buurtcentra/{centreId}/week?datum=2028-07-13");
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToContainTextAsync("Taalcafé");
    }

    private async Task HandInWishAsync(string email, string activity, string category)
    {
        var page = await fixture.NewPhonePageAsync();
        await SignIn.WithLinkAsync(page, fixture.App, email);
        await page.GotoAsync("/planning");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Wens indienen voor {RoundName}" }).ClickAsync();
        await page.GetByLabel("Naam van de activiteit").FillAsync(activity);
        await page.GetByLabel("Soort activiteit").SelectOptionAsync(new SelectOptionValue { Label = category });
        await page.GetByLabel("Aantal deelnemers").FillAsync("15");
        await page.GetByLabel("Hoe vaak").SelectOptionAsync(new SelectOptionValue { Label = "Elke week" });
        await page.GetByLabel("Hoe lang").SelectOptionAsync(new SelectOptionValue { Label = "2 uur" });
        var first = page.GetByRole(AriaRole.Group, new() { Name = "Eerste keuze" });
        await first.GetByLabel("Ruimte").SelectOptionAsync(new SelectOptionValue { Label = $"{Room} (30 personen)" });
        await first.GetByLabel("Dag").SelectOptionAsync(new SelectOptionValue { Label = "Donderdag" });
        await first.GetByLabel("Vroegste begintijd").FillAsync("19:00");
        await first.GetByLabel("Laatste begintijd").FillAsync("19:00");
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Wens indienen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync($"Uw wens ‘{activity}’ is ingediend.");
    }
}
