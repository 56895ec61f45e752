using Buurtcentra.Tests.Planning.Board;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Buurtcentra.Web.Features.Planning.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Buurtcentra.Tests.Planning.Runs;

public sealed class PlanInputLoaderTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private PlanningSeed Seed => new(Fixture.Database.DataSource);

    [Fact]
    public async Task The_input_holds_the_rounds_centres_rooms_wishes_locks_and_latest_policy()
    {
        _ = App.Services.GetRequiredService<TimeProvider>(); // the app's Dapper type handlers (time, date) are registered at start
        var centre = await Data.CentreAsync("Buurtcentrum Invoer", wijkId: 3);
        await Data.OpeningHoursAsync(centre, 2, new TimeOnly(9, 0), new TimeOnly(22, 0));
        var zaal = await Data.RoomAsync(centre, "Zaal", capacity: 40, facilities: ["piano"], accessibility: ["lift"]);
        var inactive = await Data.RoomAsync(centre, "Oud", capacity: 10);
        await Data.ScalarAsync<int>("update rooms set active = false where id = @inactive returning 1", new { inactive });
        await Data.ScalarAsync<int>("update rooms set setup_minutes = 10, cleanup_minutes = 20 where id = @zaal returning 1", new { zaal });
        var other = await Data.CentreAsync("Niet in de ronde");
        await Data.RoomAsync(other, "Elders");
        var round = await Seed.RoundAsync([centre]);
        await Seed.PolicyAsync(round, version: 1, huiskamer: 1);
        var policy = await Seed.PolicyAsync(round, version: 2, huiskamer: 100, commercieel: 7);
        await Data.ScalarAsync<int>("""
            insert into planning_protected_blocks (policy_id, room_id, weekday, starts_at, ends_at, categories, label)
            values (@policy, @zaal, 2, '09:00', '12:00', '{huiskamer}', 'Huiskamer open') returning 1
            """, new { policy, zaal });
        var organisation = await Data.OrganisationAsync("Koorvereniging", "gebruikersgroep");
        var koor = await Seed.WishAsync(round, centre, "Koor", "Koorvereniging", [new(zaal, 2, "19:00", "19:30"), new(null, 2, "20:00")], "huiskamer",
            frequency: "tweewekelijks", duration: 90, organisationId: organisation, facilities: ["piano"]);
        var bingo = await Seed.WishAsync(round, centre, "Bingo", "Bingo", [new(zaal, 2, "14:00")], "commercieel", email: "Bingo@Test.Example",
            frequency: "maandelijks");
        await Seed.WishAsync(round, centre, "Weg", "Weg", [new(zaal, 2, "10:00")], status: "ingetrokken");
        // Continuity: confirmed counts, changed does not.
        var previous = await Seed.RoundAsync([centre], "gepubliceerd", "Vorig seizoen");
        var oldWish = await Seed.WishAsync(previous, centre, "Koor", "Koorvereniging", [new(zaal, 2, "19:00")]);
        var oldBingo = await Seed.WishAsync(previous, centre, "Bingo", "Bingo", [new(zaal, 2, "14:00")], "commercieel", email: "bingo@test.example");
        var oldProposal = await Seed.ProposalAsync(previous, 1, new SeedAllocation(oldWish, zaal, 2, "19:00", "20:30", 0, 1),
            new SeedAllocation(oldBingo, zaal, 2, "14:00", "16:00", 0, 1));
        var oldAllocation = await Data.ScalarAsync<long>("select id from planning_allocations where proposal_id = @oldProposal and wish_id = @oldWish", new { oldProposal, oldWish });
        var oldBingoAllocation = await Data.ScalarAsync<long>("select id from planning_allocations where proposal_id = @oldProposal and wish_id = @oldBingo", new { oldProposal, oldBingo });
        await Data.ScalarAsync<int>("update planning_wishes set continues_allocation_id = @oldAllocation, continuity_answer = 'bevestigd' where id = @koor returning 1", new { oldAllocation, koor });
        await Data.ScalarAsync<int>("update planning_wishes set continues_allocation_id = @oldBingoAllocation, continuity_answer = 'gewijzigd' where id = @bingo returning 1", new { oldBingoAllocation, bingo });
        await Data.ScalarAsync<int>("""
            insert into planning_locks (round_id, wish_id, room_id, weekday, starts_at, ends_at, lane, created_at)
            values (@round, @koor, @zaal, 2, '19:15', '20:45', 2, now()), (@round, @bingo, null, null, null, null, 0, now()) returning 1
            """, new { round, koor, zaal, bingo });

        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        var loaded = await PlanInputLoader.LoadAsync(connection, round);
        var input = loaded.Input;

        Assert.Equal(2, loaded.PolicyVersion);
        var c = Assert.Single(input.Centres);
        Assert.Equal((centre, 3), (c.Id, c.WijkId));
        Assert.Equal([new OpeningWindow(2, 9 * 60, 22 * 60 + 30)], c.OpeningHours); // closing time plus set-up and clean-up
        var room = Assert.Single(input.Rooms);
        Assert.Equal((zaal, 40, true, true), (room.Id, room.Capacity, room.Facilities.Contains("piano"), room.Accessibility.Contains("lift")));
        Assert.Equal([koor, bingo], input.Wishes.Select(w => w.Id));
        var k = input.Wishes[0];
        Assert.Equal(($"org:{organisation}", Frequency.EveryOtherWeek, 90 + 30, true), (k.GroupKey, k.Frequency, k.DurationMinutes, k.Continuity));
        Assert.Equal([new WishOption(1, centre, zaal, 2, 19 * 60, 19 * 60 + 30), new WishOption(2, centre, null, 2, 20 * 60, 20 * 60)], k.Options);
        var b = input.Wishes[1];
        Assert.Equal(("mail:bingo@test.example", Frequency.Monthly, false), (b.GroupKey, b.Frequency, b.Continuity));
        Assert.Equal(30, loaded.PaddingOf(koor));
        Assert.Equal(new PlanLock(koor, new Placement(zaal, 2, 19 * 60 + 15, 20 * 60 + 45 + 30, 2)), input.Locks.Single(l => l.WishId == koor));
        Assert.Null(input.Locks.Single(l => l.WishId == bingo).Placement);
        Assert.Equal(100, input.Policy.CategoryWeights["huiskamer"]);
        Assert.Equal(7, input.Policy.CategoryWeights["commercieel"]);
        Assert.Equal([20, 10, 5], input.Policy.RankBonus);
        var block = Assert.Single(input.Policy.ProtectedBlocks);
        Assert.Equal((zaal, 2, 9 * 60, 12 * 60, "Huiskamer open", true), (block.RoomId, block.Weekday, block.StartMinute, block.EndMinute, block.Label, block.Categories.Contains("huiskamer")));
    }

    [Fact]
    public async Task A_round_without_policy_cannot_be_planned_and_says_why()
    {
        _ = App.Services.GetRequiredService<TimeProvider>();
        var centre = await Data.CentreAsync();
        var round = await Seed.RoundAsync([centre]);
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<PlanInputException>(() => PlanInputLoader.LoadAsync(connection, round));
        Assert.Contains("nog geen prioriteitsbeleid", error.Message);
    }
}
