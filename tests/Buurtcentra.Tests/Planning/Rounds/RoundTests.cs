using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Planning.Rounds;

/// <summary>Creating, listing and changing planningsrondes, and who may do what per centre.</summary>
public sealed class RoundTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private RoundsData Rounds => new(Data, Fixture);

    private const string NewUrl = "/beheer/planning/rondes/nieuw";

    private static List<KeyValuePair<string, string>> Fields(string name = "Seizoen 2027-2028", string start = "2027-08-30", string end = "2028-07-02",
        string deadline = "2027-05-01", long[]? centres = null, string? rollFrom = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Name", name), new("SeasonStart", start), new("SeasonEnd", end), new("WishesDeadline", deadline) };
        fields.AddRange((centres ?? []).Select(c => new KeyValuePair<string, string>("CentreIds", c.ToString())));
        if (rollFrom is not null) fields.Add(new("RollFromRoundId", rollFrom));
        return fields;
    }

    private sealed record RoundRow(long Id, string Name, DateOnly SeasonStart, DateOnly SeasonEnd, DateOnly? WishesDeadline, string Phase, long? CreatedByUserId);

    private Task<IReadOnlyList<RoundRow>> RoundRowsAsync() => Rounds.QueryAsync<RoundRow>(
        "select id, name, season_start, season_end, wishes_deadline, phase, created_by_user_id from planning_rounds order by id");

    [Fact]
    public async Task A_beheerder_creates_a_concept_round_with_policy_version_1_and_a_first_log_line()
    {
        var centreA = await Data.CentreAsync("Buurtcentrum De Akker");
        var centreB = await Data.CentreAsync("Buurtcentrum De Beek");
        var userId = await Data.UserAsync("sociaal_beheerder", centreIds: [centreA, centreB]);
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));

        var page = await browser.GetPageAsync(NewUrl);
        Assert.Contains("Buurtcentrum De Akker", page);

        var response = await browser.PostFormAsync(NewUrl, NewUrl, Fields(name: "  Seizoen 2027-2028 ", centres: [centreA, centreB]));

        var round = Assert.Single(await RoundRowsAsync());
        Assert.Equal($"/beheer/planning/rondes/{round.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(("Seizoen 2027-2028", new DateOnly(2027, 8, 30), new DateOnly(2028, 7, 2), (DateOnly?)new DateOnly(2027, 5, 1), "concept", (long?)userId),
            (round.Name, round.SeasonStart, round.SeasonEnd, round.WishesDeadline, round.Phase, round.CreatedByUserId));
        Assert.Equal([centreA, centreB], await Rounds.QueryAsync<long>("select centre_id from planning_round_centres where round_id = @id order by centre_id", new { id = round.Id }));

        var policy = Assert.Single(await Rounds.QueryAsync<(int Version, int Huiskamer, int SpDo, int Bewoners, int Maatschappelijk, int Commercieel, int Continuity,
            int Rank1, int Rank2, int Rank3, int Spread, bool Fairness, string Description)>("""
            select version, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk, weight_commercieel, continuity_bonus,
                   rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, fairness, description
            from planning_policies where round_id = @id
            """, new { id = round.Id }));
        Assert.Equal((1, 100, 80, 60, 50, 20, 30, 30, 15, 0, 10, true),
            (policy.Version, policy.Huiskamer, policy.SpDo, policy.Bewoners, policy.Maatschappelijk, policy.Commercieel, policy.Continuity,
             policy.Rank1, policy.Rank2, policy.Rank3, policy.Spread, policy.Fairness));
        Assert.Contains("Zo verdelen we de ruimtes", policy.Description);

        var log = Assert.Single(await Rounds.QueryAsync<(string? From, string To, long? Actor, DateTime At)>(
            "select from_phase, to_phase, actor_user_id, occurred_at from planning_phase_log where round_id = @id", new { id = round.Id }));
        Assert.Equal((null, "concept", (long?)userId, App.Time.GetUtcNow().UtcDateTime), log);

        var details = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{round.Id}"));
        Assert.Contains("Concept", details);
        Assert.Contains($"href=\"/beheer/planning/rondes/{round.Id}/planbord/{centreA}\"", details);
        Assert.Contains($"href=\"/beheer/planning/rondes/{round.Id}/cijfers\"", details);
    }

    [Theory]
    [InlineData("", "2027-08-30", "2028-07-02", "2027-05-01", "Vul de naam van de ronde in")]
    [InlineData("Seizoen", "2027-08-30", "2027-08-01", "2027-05-01", "De laatste dag van het seizoen moet na de eerste dag liggen.")]
    [InlineData("Seizoen", "2027-08-30", "2028-10-30", "2027-05-01", "Een seizoen duurt hoogstens ruim een jaar")]
    [InlineData("Seizoen", "2027-08-30", "2028-07-02", "2027-09-01", "De uiterste datum voor wensen moet vóór de eerste dag van het seizoen liggen.")]
    [InlineData("Seizoen", "", "2028-07-02", "", "Vul de eerste dag van het seizoen in.")]
    [InlineData("Seizoen", "30-08-2027x", "2028-07-02", "", "is geen geldige waarde voor eerste dag van het seizoen")]
    public async Task Invalid_round_data_gives_a_dutch_message_and_stores_nothing(string name, string start, string end, string deadline, string message)
    {
        var centre = await Data.CentreAsync();
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var body = await RoundsData.BodyAsync(await browser.PostFormAsync(NewUrl, NewUrl, Fields(name, start, end, deadline, [centre])));

        Assert.Contains(message, body);
        Assert.Empty(await RoundRowsAsync());
    }

    [Fact]
    public async Task A_round_needs_at_least_one_centre()
    {
        var centre = await Data.CentreAsync();
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var body = await RoundsData.BodyAsync(await browser.PostFormAsync(NewUrl, NewUrl, Fields(centres: [])));

        Assert.Contains("Kies minstens één buurtcentrum.", body);
        Assert.Empty(await RoundRowsAsync());
    }

    [Fact]
    public async Task A_centre_the_beheerder_does_not_manage_cannot_be_put_in_a_round()
    {
        var own = await Data.CentreAsync();
        var other = await Data.CentreAsync("Buurtcentrum Van Een Ander");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [own]);

        var page = await browser.GetPageAsync(NewUrl);
        Assert.DoesNotContain("Buurtcentrum Van Een Ander", page);
        var response = await browser.PostFormAsync(NewUrl, NewUrl, Fields(centres: [own, other]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await RoundRowsAsync());
    }

    [Fact]
    public async Task The_list_shows_rounds_with_a_managed_centre_and_functioneel_beheer_sees_all()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync();
        await Rounds.RoundAsync([centreA], name: "Ronde van A");
        await Rounds.RoundAsync([centreB], name: "Ronde van B");
        await Rounds.RoundAsync([centreA, centreB], name: "Ronde van A en B");

        var beheerder = await Rounds.StaffAsync("sociaal_beheerder", [centreA]);
        var list = await beheerder.GetPageAsync("/beheer/planning");
        Assert.Contains("Ronde van A<", list);
        Assert.Contains("Ronde van A en B", list);
        Assert.DoesNotContain("Ronde van B<", list);

        var admin = await Rounds.StaffAsync("functioneel_beheerder");
        var all = await admin.GetPageAsync("/beheer/planning");
        Assert.Contains("Ronde van A<", all);
        Assert.Contains("Ronde van B<", all);
    }

    [Fact]
    public async Task A_beheerder_of_another_centre_gets_404_on_every_page_of_the_round()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centreA]);
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centreB]);

        foreach (var url in new[] { "", "/bewerken", "/sluitingen", "/beleid", "/wensen", "/wensen/nieuw" })
        {
            var response = await browser.Client.GetAsync($"/beheer/planning/rondes/{round}{url}");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url} gave {(int)response.StatusCode}");
        }
        var phase = await browser.PostFormAsync("/beheer/planning", $"/beheer/planning/rondes/{round}/fase", ("To", "open"));
        Assert.Equal(HttpStatusCode.NotFound, phase.StatusCode);
        Assert.Equal("concept", await Data.ScalarAsync<string>("select phase from planning_rounds where id = @round", new { round }));
    }

    [Fact]
    public async Task Managing_one_centre_of_a_two_centre_round_is_enough_to_look_but_not_to_change_it()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centreA, centreB], name: "Gedeelde ronde");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centreA]);

        var details = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{round}"));
        Assert.Contains("U beheert niet alle buurtcentra van deze ronde", details);
        Assert.DoesNotContain($"action=\"/beheer/planning/rondes/{round}/fase\"", details);
        Assert.Contains($"/planbord/{centreA}\"", details);
        Assert.DoesNotContain($"/planbord/{centreB}\"", details);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/beheer/planning/rondes/{round}/bewerken")).StatusCode);
        var edit = await browser.PostFormAsync($"/beheer/planning/rondes/{round}", $"/beheer/planning/rondes/{round}/bewerken", Fields(name: "Overgenomen", centres: [centreA]));
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        var phase = await browser.PostFormAsync($"/beheer/planning/rondes/{round}", $"/beheer/planning/rondes/{round}/fase", ("To", "open"));
        Assert.Equal(HttpStatusCode.NotFound, phase.StatusCode);
        Assert.Equal(("Gedeelde ronde", "concept"), Assert.Single(await Rounds.QueryAsync<(string, string)>("select name, phase from planning_rounds")));
    }

    [Fact]
    public async Task A_concept_round_can_be_changed_and_loses_a_centre_only_when_nothing_refers_to_it()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync("Buurtcentrum Met Wensen");
        var centreC = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centreA, centreB]);
        await Rounds.WishAsync(round, centreB, null, "Klaverjassen");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centreA, centreB, centreC]);
        var url = $"/beheer/planning/rondes/{round}/bewerken";

        var refused = await RoundsData.BodyAsync(await browser.PostFormAsync(url, url, Fields(name: "Nieuwe naam", centres: [centreA])));
        Assert.Contains("Buurtcentrum Met Wensen kan niet uit de ronde", refused);
        Assert.Equal("Seizoen 2027-2028", await Data.ScalarAsync<string>("select name from planning_rounds where id = @round", new { round }));

        var response = await browser.PostFormAsync(url, url, Fields(name: "Nieuwe naam", end: "2028-06-30", centres: [centreB, centreC]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(("Nieuwe naam", new DateOnly(2028, 6, 30)),
            Assert.Single(await Rounds.QueryAsync<(string, DateOnly)>("select name, season_end from planning_rounds where id = @round", new { round })));
        Assert.Equal([centreB, centreC], await Rounds.QueryAsync<long>("select centre_id from planning_round_centres where round_id = @round order by centre_id", new { round }));
    }

    [Fact]
    public async Task A_round_that_is_no_longer_a_concept_keeps_its_name_season_and_centres()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: "open");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var page = await RoundsData.FollowAsync(browser, await browser.Client.GetAsync($"/beheer/planning/rondes/{round}/bewerken"));
        Assert.Contains("geen concept meer", page);

        var url = $"/beheer/planning/rondes/{round}/bewerken";
        var body = await RoundsData.BodyAsync(await browser.PostFormAsync($"/beheer/planning/rondes/{round}", url, Fields(name: "Stiekem anders", centres: [centre])));
        Assert.Contains("geen concept meer", body);
        Assert.Equal("Seizoen 2027-2028", await Data.ScalarAsync<string>("select name from planning_rounds where id = @round", new { round }));
    }

    [Fact]
    public async Task Stadsbedrijven_has_no_part_in_the_planning()
    {
        var centre = await Data.CentreAsync();
        await Rounds.RoundAsync([centre]);
        var stadsbedrijven = await Rounds.StaffAsync("stadsbedrijven");
        var response = await stadsbedrijven.Client.GetAsync("/beheer/planning");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/geen-toegang", response.Headers.Location!.OriginalString);
    }
}
