using System.Net;
using System.Text.Json;
using Buurtcentra.Tests.Planning.Board;
using Buurtcentra.Tests.Support;
using Dapper;

namespace Buurtcentra.Tests.Planning.Runs;

/// <summary>
/// "Voorstel maken" end to end: the button queues a run, the background worker loads the round and runs the real
/// optimiser (or the greedy planner), and the result is a new proposal version with explanations. These tests need
/// PlanOptimiser.Solve and GreedyPlanner.Plan (feat/optimiser); with the stubs the run fails and says so.
/// The solver's time limit is small in tests (appsettings.Testing.json: Planning:SolveSeconds).
/// </summary>
public sealed class RunTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private PlanningSeed Seed => new(Fixture.Database.DataSource);

    private sealed record World(long Centre, long Zaal1, long Round, long Koor, long Schaak);

    /// <summary>Koor (huiskamer, high priority) and Schaak (bewonersinitiatief) both want Zaal 1 on Tuesday 19:00; Schaak's second choice is Wednesday.</summary>
    private async Task<World> WorldAsync()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Rekenaar");
        await Seed.OpenAllWeekAsync(centre);
        var zaal1 = await Data.RoomAsync(centre, "Zaal 1", capacity: 40);
        var round = await Seed.RoundAsync([centre]);
        await Seed.PolicyAsync(round);
        var koor = await Seed.WishAsync(round, centre, "Koor Zuilen", "Zangvereniging Zuilen", [new(zaal1, 2, "19:00")], "huiskamer",
            participants: 30, email: "koor@test.example");
        var schaak = await Seed.WishAsync(round, centre, "Schaakavond", "Schaakclub", [new(zaal1, 2, "19:00"), new(zaal1, 3, "19:00")],
            participants: 12, email: "schaak@test.example");
        return new World(centre, zaal1, round, koor, schaak);
    }

    private async Task<Browser> BeheerderAsync(long centreId)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centreId])));
        return browser;
    }

    private static string BoardUrl(World w) => $"/beheer/planning/rondes/{w.Round}/planbord/{w.Centre}";

    /// <summary>Starts a run and follows its status URL (as the page's script does) until it is finished.</summary>
    private static async Task<(string RunUrl, JsonElement Status)> RunAsync(Browser browser, World w, string method)
    {
        var start = await browser.PostFormAsync(BoardUrl(w), $"/beheer/planning/rondes/{w.Round}/berekening", ("method", method), ("back", BoardUrl(w)));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var runUrl = start.Headers.Location!.OriginalString;
        Assert.Matches(@"/berekening/\d+$", runUrl);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = JsonDocument.Parse(await browser.Client.GetStringAsync($"{runUrl}/status")).RootElement;
            if (status.GetProperty("finished").GetBoolean()) return (runUrl, status);
            Assert.True(DateTime.UtcNow < deadline, "The run did not finish within a minute.");
            await Task.Delay(100);
        }
    }

    private sealed record Placed(long? RoomId, int? Weekday, TimeOnly? StartsAt, int? OptionRank, bool Locked, string Explanation);

    private async Task<Placed> PlacedAsync(long roundId, int version, long wishId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Placed>("""
            select a.room_id, a.weekday::int as weekday, a.starts_at, a.option_rank::int as option_rank, a.locked, a.explanation::text as explanation
            from planning_allocations a join planning_proposals p on p.id = a.proposal_id
            where p.round_id = @roundId and p.version = @version and a.wish_id = @wishId
            """, new { roundId, version, wishId });
    }

    [Fact]
    public async Task A_run_gives_the_slot_to_the_higher_priority_wish_and_explains_the_alternative()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        var (runUrl, status) = await RunAsync(browser, w, "optimaal");

        Assert.Equal("klaar", status.GetProperty("status").GetString());
        Assert.Equal(1, status.GetProperty("version").GetInt32());
        Assert.Equal("optimaal", await Data.ScalarAsync<string>("select solver_status from planning_proposals where round_id = @Round", w));
        Assert.Equal(2, await Data.ScalarAsync<int>("select granted from planning_proposals where round_id = @Round", w));
        var koor = await PlacedAsync(w.Round, 1, w.Koor);
        Assert.Equal((w.Zaal1, 2, new TimeOnly(19, 0), 1), (koor.RoomId!.Value, koor.Weekday!.Value, koor.StartsAt!.Value, koor.OptionRank!.Value));
        var schaak = await PlacedAsync(w.Round, 1, w.Schaak);
        Assert.Equal((3, 2), (schaak.Weekday!.Value, schaak.OptionRank!.Value));

        var runPage = WebUtility.HtmlDecode(await browser.GetPageAsync(runUrl));
        Assert.Contains("Klaar: 2 van de 2 wensen toegekend. Het voorstel is versie 1.", runPage);
        var board = WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w)));
        Assert.Contains("Toegekend: eerste keus (Zaal 1, dinsdag 19:00–21:00).", board);
        Assert.Contains("Toegekend als tweede keus (Zaal 1, woensdag 19:00–21:00), omdat keus 1 (Zaal 1, di 19:00) naar ‘Koor Zuilen’ van Zangvereniging Zuilen ging", board);
    }

    [Fact]
    public async Task A_new_run_keeps_what_the_beheerder_locked()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        await RunAsync(browser, w, "optimaal");
        // The beheerder puts Schaak on Tuesday after the choir (with the 15 minutes to clean up) and fixes it there.
        var move = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen",
            ("WishId", w.Schaak.ToString()), ("BaseVersion", "1"), ("RoomId", w.Zaal1.ToString()), ("Weekday", "2"), ("Start", "21:15"), ("Lane", ""));
        Assert.Equal(HttpStatusCode.Redirect, move.StatusCode);

        var (_, status) = await RunAsync(browser, w, "optimaal");

        Assert.Equal(3, status.GetProperty("version").GetInt32());
        var schaak = await PlacedAsync(w.Round, 3, w.Schaak);
        Assert.Equal((w.Zaal1, 2, new TimeOnly(21, 15), true), (schaak.RoomId!.Value, schaak.Weekday!.Value, schaak.StartsAt!.Value, schaak.Locked));
        Assert.Equal(new TimeOnly(19, 0), (await PlacedAsync(w.Round, 3, w.Koor)).StartsAt);
    }

    [Fact]
    public async Task A_run_in_order_of_priority_is_stored_as_a_greedy_version_for_comparison()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        var (_, status) = await RunAsync(browser, w, "volgorde");

        Assert.Equal("klaar", status.GetProperty("status").GetString());
        Assert.Equal("greedy", await Data.ScalarAsync<string>("select solver_status from planning_proposals where round_id = @Round", w));
        Assert.Equal(1, (await PlacedAsync(w.Round, 1, w.Koor)).OptionRank);
        var versions = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{w.Round}/versies"));
        Assert.Contains("Op volgorde van prioriteit, zonder optimalisatie", versions);
    }
}
