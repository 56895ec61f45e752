using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Microsoft.Playwright;

namespace Buurtcentra.EndToEnd;

/// <summary>
/// Voorkeursplanning from a group's side, at phone width: /planning with a continuity wish to answer, the wish form
/// with errors and filled in, and the result on /planning. Every page is axe-clean and does not scroll sideways.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlanningWishPagesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_group_answers_last_seasons_wish_and_hands_in_a_new_one()
    {
        var data = fixture.Data;
        var centreId = await data.CentreAsync("Buurtcentrum De Wensput");
        var roomId = await data.RoomAsync(centreId, "Wensputzaal", capacity: 40, facilities: ["koffie"]);
        var groupId = await data.OrganisationAsync("Buurtkoor De Wensput", "gebruikersgroep", "bewonersinitiatief");
        var email = await data.EmailOfAsync(await data.UserAsync("gebruiker", groupId));
        var roundId = await data.ScalarAsync<long>("""
            insert into planning_rounds (name, season_start, season_end, wishes_deadline, phase, created_at, updated_at)
            values ('Wensput seizoen 2027-2028', '2027-08-30', '2028-07-02', '2027-06-30', 'open', now(), now()) returning id
            """);
        await data.ScalarAsync<int>("insert into planning_round_centres (round_id, centre_id) values (@roundId, @centreId) returning 1", new { roundId, centreId });
        await data.ScalarAsync<long>("""
            insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                                           weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, created_at)
            values (@roundId, 1, 'Zo verdelen we de ruimtes.', 100, 80, 60, 50, 20, 30, 30, 15, 0, 10, now()) returning id
            """, new { roundId });
        // Last season's place, rolled over: a proposal of an earlier round with the allocation it continues.
        var oldRound = await data.ScalarAsync<long>("""
            insert into planning_rounds (name, season_start, season_end, phase, created_at, updated_at)
            values ('Wensput seizoen 2026-2027', '2026-08-31', '2027-07-02', 'gepubliceerd', now(), now()) returning id
            """);
        var oldWish = await data.ScalarAsync<long>("""
            insert into planning_wishes (round_id, centre_id, organisation_id, group_name, activity, category, participants, frequency, duration_minutes, created_at, updated_at)
            values (@oldRound, @centreId, @groupId, 'Buurtkoor De Wensput', 'Koorrepetitie', 'bewonersinitiatief', 25, 'wekelijks', 120, now(), now()) returning id
            """, new { oldRound, centreId, groupId });
        var proposal = await data.ScalarAsync<long>(
            "insert into planning_proposals (round_id, version, policy_version, solver_status, created_at) values (@oldRound, 1, 1, 'optimaal', now()) returning id", new { oldRound });
        var allocation = await data.ScalarAsync<long>("""
            insert into planning_allocations (proposal_id, wish_id, room_id, weekday, starts_at, ends_at) values (@proposal, @oldWish, @roomId, 3, '19:30', '21:30') returning id
            """, new { proposal, oldWish, roomId });
        var continuity = await data.ScalarAsync<long>("""
            insert into planning_wishes (round_id, centre_id, organisation_id, group_name, activity, category, participants, frequency, duration_minutes,
                                         continues_allocation_id, continuity_answer, created_at, updated_at)
            values (@roundId, @centreId, @groupId, 'Buurtkoor De Wensput', 'Koorrepetitie', 'bewonersinitiatief', 25, 'wekelijks', 120, @allocation, 'open', now(), now()) returning id
            """, new { roundId, centreId, groupId, allocation });
        await data.ScalarAsync<int>(
            "insert into planning_wish_options (wish_id, rank, room_id, weekday, earliest_start, latest_start) values (@continuity, 1, @roomId, 3, '19:30', '19:30') returning 1",
            new { continuity, roomId });

        var page = await fixture.NewPhonePageAsync();
        await SignIn.WithLinkAsync(page, fixture.App, email);

        await page.GotoAsync("/planning");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Voorkeursplanning");
        await Assertions.Expect(page.GetByText("Eén activiteit van vorig seizoen wacht op uw antwoord.", new() { Exact = false })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Bevestigen: alles blijft zo (Koorrepetitie)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("blijft zoals het was");
        await page.AssertAccessibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Wens indienen voor Wensput seizoen 2027-2028" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Wens indienen voor Wensput seizoen 2027-2028");
        await page.AssertAccessibleAsync();

        await page.GetByLabel("Naam van de activiteit").FillAsync("Zangles voor kinderen");
        await page.GetByLabel("Soort activiteit").SelectOptionAsync(new SelectOptionValue { Label = "Bewonersinitiatief" });
        await page.GetByLabel("Aantal deelnemers").FillAsync("12");
        var first = page.GetByRole(AriaRole.Group, new() { Name = "Eerste keuze" });
        await first.GetByLabel("Dag").SelectOptionAsync(new SelectOptionValue { Label = "Woensdag" });
        await first.GetByLabel("Vroegste begintijd").FillAsync("20:00");
        await first.GetByLabel("Laatste begintijd").FillAsync("19:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wens indienen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Bij keuze 1 mag de laatste begintijd niet vóór de vroegste begintijd liggen.");
        await page.AssertAccessibleAsync();

        await first.GetByLabel("Vroegste begintijd").FillAsync("16:00");
        await first.GetByLabel("Laatste begintijd").FillAsync("16:30");
        await first.GetByLabel("Ruimte").SelectOptionAsync(new SelectOptionValue { Label = "Wensputzaal (40 personen)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Wens indienen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Uw wens ‘Zangles voor kinderen’ is ingediend.");
        await Assertions.Expect(page.GetByText("1. keuze: woensdag, begin tussen 16:00 en 16:30, Wensputzaal")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();

        await page.GotoAsync($"/planning/rondes/{roundId}/beleid");
        await page.AssertAccessibleAsync();

        Assert.Equal("bevestigd", await data.ScalarAsync<string>("select continuity_answer from planning_wishes where id = @continuity", new { continuity }));
    }
}
