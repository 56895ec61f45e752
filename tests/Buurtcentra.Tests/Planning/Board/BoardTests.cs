using System.Net;
using Buurtcentra.Tests.Support;
using Dapper;

namespace Buurtcentra.Tests.Planning.Board;

public sealed class BoardTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private PlanningSeed Seed => new(Fixture.Database.DataSource);

    private sealed record World(long Centre, long Zaal1, long Zaal2, long Klein, long Round, long Koor, long Yoga, long Breien, long Schaak,
        long Proposal, long OtherCentre, long OtherRound);

    /// <summary>
    /// Centre with Zaal 1 (40), Zaal 2 (40) and a small room (8), open 08:00–23:30 every day; four wishes in version 1:
    /// Koor (huiskamer, weekly, Zaal 1 di 19:00–21:00), Yoga (every other week, lane 1, Zaal 2 wo 19:00–20:30),
    /// Breien (monthly, lane 2, Zaal 2 wo 10:00–12:00) and Schaak (not granted).
    /// </summary>
    private async Task<World> WorldAsync(string phase = "in_behandeling")
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Planning");
        await Seed.OpenAllWeekAsync(centre);
        var zaal1 = await Data.RoomAsync(centre, "Zaal 1", capacity: 40);
        var zaal2 = await Data.RoomAsync(centre, "Zaal 2", capacity: 40);
        var klein = await Data.RoomAsync(centre, "Spreekkamer", capacity: 8);
        var round = await Seed.RoundAsync([centre], phase);
        await Seed.PolicyAsync(round);
        var koor = await Seed.WishAsync(round, centre, "Koor Zuilen", "Zangvereniging Zuilen", [new(zaal1, 2, "19:00")], "huiskamer", participants: 30);
        var yoga = await Seed.WishAsync(round, centre, "Stoelyoga", "Yoga voor ouderen", [new(zaal2, 3, "19:00")], frequency: "tweewekelijks", duration: 90);
        var breien = await Seed.WishAsync(round, centre, "Breiclub", "Breiclub De Steek", [new(zaal2, 3, "10:00")], frequency: "maandelijks");
        var schaak = await Seed.WishAsync(round, centre, "Schaakavond", "Schaakclub", [new(zaal1, 2, "19:00"), new(null, 2, "19:00", "20:00")], participants: 12);
        var proposal = await Seed.ProposalAsync(round, 1,
            new SeedAllocation(koor, zaal1, 2, "19:00", "21:00", 0, 1),
            new SeedAllocation(yoga, zaal2, 3, "19:00", "20:30", 1, 1),
            new SeedAllocation(breien, zaal2, 3, "10:00", "12:00", 2, 1),
            new SeedAllocation(schaak));
        var otherCentre = await Data.CentreAsync("Buurtcentrum Verboden Terrein");
        var otherRound = await Seed.RoundAsync([otherCentre], phase, "Ronde van B");
        return new World(centre, zaal1, zaal2, klein, round, koor, yoga, breien, schaak, proposal, otherCentre, otherRound);
    }

    private async Task<Browser> BeheerderAsync(long centreId)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centreId])));
        return browser;
    }

    private static string BoardUrl(World w) => $"/beheer/planning/rondes/{w.Round}/planbord/{w.Centre}";

    private static (string, string)[] Move(long wishId, int baseVersion, long roomId, int weekday, string start, int? lane = null) =>
    [
        ("WishId", wishId.ToString()), ("BaseVersion", baseVersion.ToString()), ("RoomId", roomId.ToString()),
        ("Weekday", weekday.ToString()), ("Start", start), ("Lane", lane?.ToString() ?? ""),
    ];

    private async Task<int> LatestVersionAsync(long roundId) =>
        await Data.ScalarAsync<int>("select coalesce(max(version), 0) from planning_proposals where round_id = @roundId", new { roundId });

    private sealed record PlacedRow(long? RoomId, int? Weekday, TimeOnly? StartsAt, TimeOnly? EndsAt, int Lane, int? OptionRank, bool Locked);

    private async Task<PlacedRow> PlacedAsync(long roundId, int version, long wishId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<PlacedRow>("""
            select a.room_id, a.weekday::int as weekday, a.starts_at, a.ends_at, a.lane::int as lane, a.option_rank::int as option_rank, a.locked
            from planning_allocations a join planning_proposals p on p.id = a.proposal_id
            where p.round_id = @roundId and p.version = @version and a.wish_id = @wishId
            """, new { roundId, version, wishId });
    }

    [Fact]
    public async Task The_board_shows_rooms_by_weekday_with_activity_group_time_rhythm_category_and_the_wishes_not_granted()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w)));

        Assert.Contains("<h1 class=\"utrecht-heading-1\">Planbord Buurtcentrum De Planning</h1>", page);
        Assert.Contains("Koor Zuilen", page);
        Assert.Contains("Zangvereniging Zuilen", page);
        Assert.Contains("19:00–21:00", page);
        Assert.Contains("om de week, week 1", page);
        Assert.Contains("eens per maand, de 2e woensdag", page);
        Assert.Contains("board-item--huiskamer", page);
        Assert.Contains("Huiskamer/basisaanbod", page); // the category in words, not colour alone
        Assert.Contains("Niet toegekend (1)", page);
        Assert.Contains("Schaakavond", page);
        Assert.Contains("In dit buurtcentrum: 3 van de 4 wensen toegekend.", page);
        Assert.DoesNotContain("groep@test.example", page); // contact details are not on the board
    }

    [Fact]
    public async Task A_beheerder_of_another_centre_gets_404_on_the_board_the_versions_and_the_forms()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.OtherCentre);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(BoardUrl(w))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/beheer/planning/rondes/{w.Round}/versies")).StatusCode);
        // Their own round, but the centre of the other round in the address
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/beheer/planning/rondes/{w.OtherRound}/planbord/{w.Centre}")).StatusCode);
        var token = await browser.TokenFromAsync($"/beheer/planning/rondes/{w.OtherRound}/versies");
        var response = await browser.Client.PostAsync($"{BoardUrl(w)}/vastzetten", new FormUrlEncodedContent(
            [new("WishId", w.Koor.ToString()), new("BaseVersion", "1"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_locks"));
    }

    [Fact]
    public async Task Locking_as_is_records_the_place_for_the_next_run_and_unlocking_removes_it_without_a_new_version()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        var response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/vastzetten", ("WishId", w.Yoga.ToString()), ("BaseVersion", "1"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var locked = await Data.ScalarAsync<string>(
            "select concat_ws(' ', room_id, weekday, starts_at, ends_at, lane) from planning_locks where round_id = @Round and wish_id = @Yoga", w);
        Assert.Equal($"{w.Zaal2} 3 19:00:00 20:30:00 1", locked);
        Assert.True((await PlacedAsync(w.Round, 1, w.Yoga)).Locked);
        Assert.Equal(1, await LatestVersionAsync(w.Round));
        Assert.Contains("vastgezet", WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w))));

        response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/losmaken", ("WishId", w.Yoga.ToString()), ("BaseVersion", "1"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_locks"));
        Assert.False((await PlacedAsync(w.Round, 1, w.Yoga)).Locked);
    }

    [Fact]
    public async Task Moving_makes_a_new_manual_version_with_the_others_copied_and_a_lock()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        var response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", Move(w.Schaak, 1, w.Zaal1, 2, "21:15"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(2, await LatestVersionAsync(w.Round));
        Assert.Equal("handmatig", await Data.ScalarAsync<string>("select solver_status from planning_proposals where round_id = @Round and version = 2", w));
        var moved = await PlacedAsync(w.Round, 2, w.Schaak);
        Assert.Equal(new PlacedRow(w.Zaal1, 2, new TimeOnly(21, 15), new TimeOnly(23, 15), 0, null, true), moved);
        // The others are copied unchanged, and version 1 stays as it was.
        Assert.Equal(await PlacedAsync(w.Round, 1, w.Koor), await PlacedAsync(w.Round, 2, w.Koor));
        Assert.Equal(await PlacedAsync(w.Round, 1, w.Breien), await PlacedAsync(w.Round, 2, w.Breien));
        Assert.Null((await PlacedAsync(w.Round, 1, w.Schaak)).RoomId);
        Assert.Equal(3, await Data.ScalarAsync<int>("select granted from planning_proposals where round_id = @Round and version = 1", w));
        Assert.Equal(4, await Data.ScalarAsync<int>("select granted from planning_proposals where round_id = @Round and version = 2", w));
        Assert.Equal($"{w.Zaal1} 2 21:15:00", await Data.ScalarAsync<string>(
            "select concat_ws(' ', room_id, weekday, starts_at) from planning_locks where wish_id = @Schaak", w));
        var board = WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w)));
        Assert.Contains("Door de beheerder geplaatst: Zaal 1, dinsdag 21:15–23:15.", board);
    }

    [Fact]
    public async Task A_move_into_an_option_records_its_rank()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        // Option 2 of Schaakavond: any fitting room on Tuesday, start between 19:00 and 20:00.
        var response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", Move(w.Schaak, 1, w.Zaal2, 2, "19:30"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(2, (await PlacedAsync(w.Round, 2, w.Schaak)).OptionRank);
        Assert.Contains("Door de beheerder vastgezet op de tweede keus: Zaal 2, dinsdag 19:30–21:30.",
            WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w))));
    }

    [Theory]
    // Weekly Schaak onto Tuesday 20:00 in Zaal 1: Koor is there every week.
    [InlineData("weekly-on-weekly", "Zaal 1 is op dinsdag dan al in gebruik door ‘Koor Zuilen’")]
    // Weekly Schaak right after Koor (21:00): Zaal 1 needs its 15 minutes to clean up.
    [InlineData("weekly-after-weekly", "Tussen twee activiteiten is 15 minuten nodig")]
    // Weekly Schaak on Wednesday 19:00 in Zaal 2: meets Yoga (every other week) in its weeks.
    [InlineData("weekly-on-biweekly", "in gebruik door ‘Stoelyoga’")]
    // Breien (monthly, 2nd) to Wednesday 19:00: monthly meets every-other-week.
    [InlineData("monthly-on-biweekly", "in gebruik door ‘Stoelyoga’")]
    public async Task A_move_that_meets_another_allocation_in_the_same_weeks_is_refused(string which, string message)
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        var fields = which switch
        {
            "weekly-on-weekly" => Move(w.Schaak, 1, w.Zaal1, 2, "20:00"),
            "weekly-after-weekly" => Move(w.Schaak, 1, w.Zaal1, 2, "21:00"),
            "weekly-on-biweekly" => Move(w.Schaak, 1, w.Zaal2, 3, "19:00"),
            _ => Move(w.Breien, 1, w.Zaal2, 3, "19:00", lane: 2),
        };

        var response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, page);
        Assert.Contains("Controleer het formulier", page);
        Assert.Equal(1, await LatestVersionAsync(w.Round));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_locks"));
    }

    [Fact]
    public async Task A_move_without_a_day_or_with_a_day_that_does_not_exist_is_refused_with_a_dutch_message_and_changes_nothing()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        foreach (var (weekday, message) in new[] { ("", "Kies een dag."), ("8", "Kies een dag van maandag tot en met zondag.") })
        {
            var fields = Move(w.Schaak, 1, w.Zaal1, 2, "20:00").Select(f => f.Item1 == "Weekday" ? (f.Item1, weekday) : f).ToArray();
            var response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", fields);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        }
        Assert.Equal(1, await LatestVersionAsync(w.Round));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_locks"));
    }

    [Fact]
    public async Task Every_other_week_shares_a_room_with_the_other_week_and_monthly_with_another_week_of_the_month()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        var yoga2 = await Seed.WishAsync(w.Round, w.Centre, "Stoelyoga 2", "Yoga B", [new(w.Zaal2, 3, "19:00")], frequency: "tweewekelijks", duration: 90);
        var breien2 = await Seed.WishAsync(w.Round, w.Centre, "Haakclub", "Haakclub", [new(w.Zaal2, 3, "10:00")], frequency: "maandelijks");

        var first = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", Move(yoga2, 1, w.Zaal2, 3, "19:00", lane: 2));
        var second = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", Move(breien2, 2, w.Zaal2, 3, "10:00", lane: 3));
        var third = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", Move(breien2, 3, w.Zaal2, 3, "10:00", lane: 2));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode); // the 2nd Wednesday is Breiclub's
        Assert.Contains("in gebruik door ‘Breiclub’", WebUtility.HtmlDecode(await third.Content.ReadAsStringAsync()));
        Assert.Equal(3, await LatestVersionAsync(w.Round));
        Assert.Equal(2, (await PlacedAsync(w.Round, 3, yoga2)).Lane);
        Assert.Equal(3, (await PlacedAsync(w.Round, 3, breien2)).Lane);
    }

    [Theory]
    [InlineData("capacity", "In Spreekkamer passen maximaal 8 mensen")]
    [InlineData("closed", "open van 08:00 tot 23:30")]
    [InlineData("bad-time", "Schrijf de begintijd als uren en minuten")]
    [InlineData("odd-minutes", "hele 5 minuten")]
    [InlineData("lane", "Kies week 1 of week 2")]
    [InlineData("stale", "Het voorstel is intussen veranderd (nu versie 1)")]
    [InlineData("other-centre-room", "Kies een ruimte van dit buurtcentrum")]
    public async Task A_move_that_breaks_a_rule_is_refused_with_a_dutch_message_and_changes_nothing(string which, string message)
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        var otherRoom = await Data.RoomAsync(w.OtherCentre, "Zaal elders", capacity: 100);
        var fields = which switch
        {
            "capacity" => Move(w.Schaak, 1, w.Klein, 1, "19:00"),
            "closed" => Move(w.Schaak, 1, w.Zaal2, 1, "21:45"),
            "bad-time" => Move(w.Schaak, 1, w.Zaal2, 1, "zeven uur"),
            "odd-minutes" => Move(w.Schaak, 1, w.Zaal2, 1, "19:03"),
            "lane" => Move(w.Yoga, 1, w.Zaal2, 1, "19:00", lane: 3),
            "stale" => Move(w.Schaak, 7, w.Zaal2, 1, "19:00"),
            _ => Move(w.Schaak, 1, otherRoom, 1, "19:00"),
        };

        var response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(1, await LatestVersionAsync(w.Round));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_locks"));
    }

    [Fact]
    public async Task Niet_toekennen_takes_a_granted_wish_off_the_board_in_a_new_version_and_locks_it()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        var response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/niet-toekennen", ("WishId", w.Koor.ToString()), ("BaseVersion", "1"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(2, await LatestVersionAsync(w.Round));
        Assert.Null((await PlacedAsync(w.Round, 2, w.Koor)).RoomId);
        Assert.True((await PlacedAsync(w.Round, 2, w.Koor)).Locked);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from planning_locks where wish_id = @Koor and room_id is null", w));
        Assert.Contains("de beheerder heeft besloten deze wens niet toe te kennen", WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w))));
    }

    [Theory]
    [InlineData("vastgesteld")]
    [InlineData("open")]
    public async Task Outside_the_editing_phases_the_board_can_be_read_but_not_changed(string phase)
    {
        var w = await WorldAsync(phase);
        var browser = await BeheerderAsync(w.Centre);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w)));
        Assert.Contains("kunt u het planbord alleen bekijken", page);
        Assert.DoesNotContain("Verplaatsen en vastzetten", page);

        var response = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/vastzetten", ("WishId", w.Koor.ToString()), ("BaseVersion", "1"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Het planbord kan alleen worden aangepast in de fases", WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w))));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_locks"));
    }

    [Fact]
    public async Task While_a_run_is_going_on_the_board_cannot_be_changed_and_a_second_run_is_refused()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        // A run being worked on (the worker only claims waiting runs, so this one stays as it is).
        var running = await Data.ScalarAsync<long>("""
            insert into planning_runs (round_id, status, progress_note, created_at) values (@Round, 'bezig', 'Bezig met rekenen.', now()) returning id
            """, w);

        var move = await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", Move(w.Schaak, 1, w.Zaal2, 1, "19:00"));
        Assert.Contains("Er loopt een berekening", WebUtility.HtmlDecode(await move.Content.ReadAsStringAsync()));

        var start = await browser.PostFormAsync(BoardUrl(w), $"/beheer/planning/rondes/{w.Round}/berekening", ("method", "optimaal"), ("back", BoardUrl(w)));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal($"/beheer/planning/rondes/{w.Round}/berekening/{running}", start.Headers.Location?.OriginalString);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from planning_runs"));
        Assert.Equal(1, await LatestVersionAsync(w.Round));
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{w.Round}/berekening/{running}"));
        Assert.Contains("Er loopt al een berekening voor deze ronde", page);
        Assert.Contains("Bezig met rekenen", page);
        Assert.Contains("aria-live=\"polite\"", page);
        Assert.Contains("<noscript><meta http-equiv=\"refresh\"", page);
    }

    [Fact]
    public async Task A_run_cannot_start_outside_the_editing_phases()
    {
        var w = await WorldAsync("vastgesteld");
        var browser = await BeheerderAsync(w.Centre);

        var start = await browser.PostFormAsync(BoardUrl(w), $"/beheer/planning/rondes/{w.Round}/berekening", ("method", "optimaal"), ("back", BoardUrl(w)));

        Assert.Equal(BoardUrl(w), start.Headers.Location?.OriginalString);
        Assert.Contains("Een voorstel maken kan alleen in de fases", WebUtility.HtmlDecode(await browser.GetPageAsync(BoardUrl(w))));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_runs"));
    }

    [Fact]
    public async Task A_run_that_cannot_load_its_input_is_stored_as_failed_with_the_reason_and_the_page_shows_it()
    {
        var w = await WorldAsync();
        await Data.ScalarAsync<int>("delete from planning_policies where round_id = @Round returning 1", w);
        var browser = await BeheerderAsync(w.Centre);

        var start = await browser.PostFormAsync(BoardUrl(w), $"/beheer/planning/rondes/{w.Round}/berekening", ("method", "optimaal"));
        var runUrl = start.Headers.Location!.OriginalString;
        var runId = long.Parse(runUrl[(runUrl.LastIndexOf('/') + 1)..]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await Data.ScalarAsync<string>("select status from planning_runs where id = @runId", new { runId }) != "mislukt" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var status = await browser.Client.GetStringAsync($"{runUrl}/status");
        Assert.Contains("\"status\":\"mislukt\"", status);
        Assert.Contains("\"finished\":true", status);
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(runUrl));
        Assert.Contains("Deze ronde heeft nog geen prioriteitsbeleid", page);
        Assert.DoesNotContain("<noscript>", page);
        Assert.Equal(1, await LatestVersionAsync(w.Round));
    }

    [Fact]
    public async Task Versions_list_who_made_them_and_compare_the_wishes_whose_place_differs()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", Move(w.Schaak, 1, w.Zaal1, 2, "21:15"));
        await browser.PostFormAsync(BoardUrl(w), $"{BoardUrl(w)}/verplaatsen", Move(w.Yoga, 2, w.Zaal2, 4, "19:00", lane: 2));

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{w.Round}/versies?a=1&b=3"));

        Assert.Contains("2 wensen staan in versie 1 en versie 3 op een andere plek", page);
        Assert.Contains("Zaal 1, dinsdag 21:15–23:15", page);
        Assert.Contains("Zaal 2, woensdag 19:00–20:30, om de week, week 1", page);
        Assert.Contains("Zaal 2, donderdag 19:00–20:30, om de week, week 2", page);
        Assert.Contains("Aangepast door de beheerder", page);
        Assert.Contains("Versie 1: 3 van 4 wensen toegekend", page);
        Assert.DoesNotContain(">Koor Zuilen<", page); // unchanged wishes are not listed

        var same = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{w.Round}/versies?a=2&b=2"));
        Assert.Contains("versie 1 en versie 2", same); // a equal to b falls back to the version before b
    }
}
