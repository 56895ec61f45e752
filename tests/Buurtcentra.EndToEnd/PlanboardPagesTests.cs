using Buurtcentra.Tests.Planning.Board;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Microsoft.Playwright;

namespace Buurtcentra.EndToEnd;

/// <summary>
/// The voorkeursplanning's planbord screens (Features/Planning: Board/, Runs/, Draft/, Publish/, Figures/) at 360 px:
/// axe-core finds no WCAG 2.1 AA violation and nothing scrolls sideways; also with an open wish and form errors.
/// Seeded straight into the database (no optimiser needed).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlanboardPagesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_planbord_pages_are_accessible_at_phone_width()
    {
        var data = fixture.Data;
        var seed = new PlanningSeed(fixture.Database.DataSource);
        var centre = await data.CentreAsync("Buurtcentrum Het Planbord");
        await seed.OpenAllWeekAsync(centre);
        var zaal1 = await data.RoomAsync(centre, "Grote zaal met een heel lange naam voor de telefoon", capacity: 60);
        var zaal2 = await data.RoomAsync(centre, "Huiskamer", type: "huiskamer", capacity: 20);
        var adminEmail = await data.EmailOfAsync(await data.UserAsync("functioneel_beheerder"));
        var admin = await data.ScalarAsync<long>("select id from users where email = @adminEmail", new { adminEmail });
        var round = await seed.RoundAsync([centre], "concept_gedeeld", "Seizoen 2027 planbord");
        await seed.PolicyAsync(round);
        var koor = await seed.WishAsync(round, centre, "Koor Zuilen", "Zangvereniging Zuilen", [new(zaal1, 2, "19:00")], "huiskamer", participants: 40);
        var yoga = await seed.WishAsync(round, centre, "Stoelyoga voor ouderen uit de wijk", "Yoga", [new(zaal2, 3, "10:00")], "sp_do_groepsactiviteit",
            frequency: "tweewekelijks", duration: 90, email: "yoga@tour.example");
        var brei = await seed.WishAsync(round, centre, "Breiclub", "Breiclub", [new(zaal2, 4, "14:00")], "maatschappelijke_organisatie",
            frequency: "maandelijks", email: "brei@tour.example");
        var markt = await seed.WishAsync(round, centre, "Rommelmarkt", "Handelaar", [new(zaal1, 6, "10:00")], "commercieel", email: "markt@tour.example");
        var schaak = await seed.WishAsync(round, centre, "Schaakavond", "Schaakclub", [new(zaal1, 2, "19:00"), new(null, 3, "19:00", "20:00")],
            participants: 12, email: "schaak@tour.example", submittedBy: admin);
        await seed.ProposalAsync(round, 1, new SeedAllocation(koor), new SeedAllocation(yoga), new SeedAllocation(brei), new SeedAllocation(markt), new SeedAllocation(schaak));
        await seed.ProposalAsync(round, 2,
            new SeedAllocation(koor, zaal1, 2, "19:00", "21:00", 0, 1, Locked: true),
            new SeedAllocation(yoga, zaal2, 3, "10:00", "11:30", 1, 1),
            new SeedAllocation(brei, zaal2, 4, "14:00", "16:00", 2, 1),
            new SeedAllocation(markt, zaal1, 6, "10:00", "12:00", 0, 1),
            new SeedAllocation(schaak, Explanation: new WishExplanation(schaak, Outcome.NotGranted, null,
                [new OptionReason(1, [new Reason(ReasonKind.TakenBy) { BlockingWishId = koor, HigherPriority = true }]),
                 new OptionReason(2, [new Reason(ReasonKind.Capacity) { RoomId = zaal2 }])],
                [new FreeSlot(centre, zaal1, 4, 1140, 1260, 0)])));
        await data.ScalarAsync<long>("""
            insert into planning_locks (round_id, wish_id, room_id, weekday, starts_at, ends_at, lane, created_at)
            values (@round, @koor, @zaal1, 2, '19:00', '21:00', 0, now()) returning wish_id
            """, new { round, koor, zaal1 });
        var run = await data.ScalarAsync<long>("""
            insert into planning_runs (round_id, status, method, progress_note, created_at, finished_at)
            values (@round, 'klaar', 'optimaal', 'Klaar: 4 van de 5 wensen toegekend. Het voorstel is versie 2.', now(), now()) returning id
            """, new { round });
        var failed = await data.ScalarAsync<long>("""
            insert into planning_runs (round_id, status, method, progress_note, error, created_at, finished_at)
            values (@round, 'mislukt', 'volgorde', 'Bezig', 'Deze ronde heeft nog geen prioriteitsbeleid.', now(), now()) returning id
            """, new { round });
        await data.ScalarAsync<long>("""
            insert into planning_reactions (wish_id, proposal_id, reaction, comment, actor_name, created_at)
            select @schaak, id, 'opmerking', 'Woensdagavond kan ook, dan graag in de grote zaal.', 'Schaakclub', now()
            from planning_proposals where round_id = @round and version = 2 returning id
            """, new { schaak, round });

        var page = await fixture.NewPhonePageAsync();
        await SignIn.WithPasswordAsync(page, adminEmail);

        var board = $"/beheer/planning/rondes/{round}/planbord/{centre}";
        foreach (var url in new[]
                 {
                     $"/beheer/planning/rondes/{round}/planbord", board, $"/beheer/planning/rondes/{round}/versies",
                     $"/beheer/planning/rondes/{round}/versies?a=1&b=2", $"/beheer/planning/rondes/{round}/berekening/{run}",
                     $"/beheer/planning/rondes/{round}/berekening/{failed}", $"/beheer/planning/rondes/{round}/cijfers",
                     $"/beheer/planning/rondes/{round}/publiceren", $"/planning/rondes/{round}/concept",
                 })
        {
            var response = await page.GotoAsync(url);
            Assert.True(response!.Ok, $"{url} gave {response.Status}");
            await page.AssertAccessibleAsync();
        }

        // An open wish with its forms, then a move with an error in it.
        await page.GotoAsync(board);
        await page.Locator($"#wens-{schaak} > summary").ClickAsync();
        await page.AssertAccessibleAsync();
        await page.Locator($"#move-{schaak}-start").FillAsync("zeven uur");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Toekennen en vastzetten ?: Schaakavond$") }).ClickAsync();
        await Assertions.Expect(page.GetByText("Schrijf de begintijd als uren en minuten, bijvoorbeeld 19:00.").First).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();

        // The group's reaction form with an error.
        await page.GotoAsync($"/planning/rondes/{round}/concept");
        await page.GetByLabel("Ik heb een opmerking").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Reactie versturen over ‘Schaakavond’" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Schrijf uw opmerking.").First).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();

        // A run in progress: the page follows its status without reloading and announces the end.
        var running = await data.ScalarAsync<long>("""
            insert into planning_runs (round_id, status, method, progress_note, created_at)
            values (@round, 'bezig', 'optimaal', 'Beste rooster tot nu toe: 1.200 punten.', now()) returning id
            """, new { round });
        await page.GotoAsync($"/beheer/planning/rondes/{round}/berekening/{running}");
        await Assertions.Expect(page.Locator("#run-state")).ToContainTextAsync("Bezig met rekenen");
        await Assertions.Expect(page.Locator("#run-done")).ToBeHiddenAsync();
        await page.AssertAccessibleAsync();
        await data.ScalarAsync<long>("""
            update planning_runs set status = 'klaar', progress_note = 'Klaar: 4 van de 5 wensen toegekend. Het voorstel is versie 2.', finished_at = now()
            where id = @running returning id
            """, new { running });
        await Assertions.Expect(page.Locator("#run-state")).ToContainTextAsync("Klaar: 4 van de 5 wensen toegekend", new() { Timeout = 15000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Bekijk het nieuwe voorstel op het planbord" })).ToBeVisibleAsync();

        // Publishing, once adopted: the dry run with its dates.
        await data.ScalarAsync<long>("update planning_rounds set phase = 'vastgesteld' where id = @round returning id", new { round });
        await page.GotoAsync($"/beheer/planning/rondes/{round}/publiceren");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Publiceren: 4 reeksen maken" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
    }
}
