using System.Net;
using Buurtcentra.Tests.Planning.Rounds;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Planning.Policy;

/// <summary>The priority policy: every change is a new version with the blocks copied; everyone can read it.</summary>
public sealed class PolicyTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private RoundsData Rounds => new(Data, Fixture);

    private static string Url(long round) => $"/beheer/planning/rondes/{round}/beleid";

    private static (string, string)[] Weights(string description = "Nieuw beleid: eerst de huiskamer.", string huiskamer = "120", string rank1 = "40",
        string rank2 = "20", string rank3 = "5", bool fairness = false)
    {
        var fields = new List<(string, string)>
        {
            ("Form.Description", description), ("Form.WeightHuiskamer", huiskamer), ("Form.WeightSpDo", "80"), ("Form.WeightBewoners", "60"),
            ("Form.WeightMaatschappelijk", "50"), ("Form.WeightCommercieel", "10"), ("Form.ContinuityBonus", "25"), ("Form.RankBonus1", rank1),
            ("Form.RankBonus2", rank2), ("Form.RankBonus3", rank3), ("Form.SpreadBonus", "12"),
        };
        if (fairness) fields.Add(("Form.Fairness", "true"));
        return [.. fields];
    }

    private sealed record PolicyRow(long Id, int Version, string Description, int WeightHuiskamer, int WeightCommercieel, int RankBonus1, int RankBonus3,
        int SpreadBonus, bool Fairness, long? CreatedByUserId);

    private Task<IReadOnlyList<PolicyRow>> PoliciesAsync(long round) => Rounds.QueryAsync<PolicyRow>("""
        select id, version, description, weight_huiskamer, weight_commercieel, rank_bonus_1, rank_bonus_3, spread_bonus, fairness, created_by_user_id
        from planning_policies where round_id = @round order by version
        """, new { round });

    private sealed class BlockRow
    {
        public long PolicyId { get; init; }
        public long RoomId { get; init; }
        public int Weekday { get; init; }
        public TimeOnly StartsAt { get; init; }
        public TimeOnly EndsAt { get; init; }
        public string[] Categories { get; init; } = [];
        public string Label { get; init; } = "";
    }

    private Task<IReadOnlyList<BlockRow>> BlocksAsync(long policyId) => Rounds.QueryAsync<BlockRow>("""
        select policy_id, room_id, weekday::int as weekday, starts_at, ends_at, categories, label from planning_protected_blocks
        where policy_id = @policyId order by weekday, starts_at
        """, new { policyId });

    private async Task<long> BlockAsync(long policyId, long roomId, int weekday, string label = "Huiskamer open voor basisaanbod") =>
        await Data.ScalarAsync<long>("""
            insert into planning_protected_blocks (policy_id, room_id, weekday, starts_at, ends_at, categories, label)
            values (@policyId, @roomId, @weekday, '09:00', '12:00', '{huiskamer}', @label) returning id
            """, new { policyId, roomId, weekday = (short)weekday, label });

    [Fact]
    public async Task Saving_makes_a_new_version_with_the_blocks_copied_and_the_old_version_unchanged()
    {
        var centre = await Data.CentreAsync();
        var room = await Data.RoomAsync(centre, "Huiskamer", "huiskamer");
        var round = await Rounds.RoundAsync([centre]);
        var v1 = (await PoliciesAsync(round))[0];
        await BlockAsync(v1.Id, room, 1);
        var userId = await Data.UserAsync("sociaal_beheerder", centreIds: [centre]);
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));

        var response = await browser.PostFormAsync(Url(round), Url(round), Weights());
        Assert.Contains("Het beleid is opgeslagen als versie 2.", await RoundsData.FollowAsync(browser, response));

        var versions = await PoliciesAsync(round);
        Assert.Equal(2, versions.Count);
        Assert.Equal(v1, versions[0]);
        Assert.Equal((2, "Nieuw beleid: eerst de huiskamer.", 120, 10, 40, 5, 12, false, (long?)userId),
            (versions[1].Version, versions[1].Description, versions[1].WeightHuiskamer, versions[1].WeightCommercieel, versions[1].RankBonus1,
             versions[1].RankBonus3, versions[1].SpreadBonus, versions[1].Fairness, versions[1].CreatedByUserId));
        var copied = Assert.Single(await BlocksAsync(versions[1].Id));
        Assert.Equal((room, 1, new TimeOnly(9, 0), "Huiskamer open voor basisaanbod"), (copied.RoomId, copied.Weekday, copied.StartsAt, copied.Label));
        Assert.Single(await BlocksAsync(v1.Id));
    }

    [Fact]
    public async Task Saving_without_a_change_makes_no_new_version()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre]);
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);
        await browser.PostFormAsync(Url(round), Url(round), Weights());

        var page = await RoundsData.FollowAsync(browser, await browser.PostFormAsync(Url(round), Url(round), Weights()));

        Assert.Contains("Er is niets veranderd.", page);
        Assert.Equal(2, (await PoliciesAsync(round)).Count);
    }

    [Theory]
    [InlineData("", "100", "30", "15", "0", "Schrijf op hoe de ruimtes worden verdeeld.")]
    [InlineData("Beleid", "1001", "30", "15", "0", "Vul bij het gewicht voor huiskamer / basisaanbod een heel getal van 0 tot 1000 in.")]
    [InlineData("Beleid", "veel", "30", "15", "0", "'veel' is geen geldige waarde voor gewicht huiskamer / basisaanbod.")]
    [InlineData("Beleid", "100", "10", "15", "0", "De bonus voor de tweede keuze mag niet hoger zijn dan die voor de eerste keuze.")]
    [InlineData("Beleid", "100", "30", "15", "20", "De bonus voor de derde keuze mag niet hoger zijn dan die voor de tweede keuze.")]
    [InlineData("Beleid", "", "30", "15", "0", "Vul het gewicht voor huiskamer / basisaanbod in")]
    public async Task Wrong_weights_get_a_dutch_message_and_no_new_version(string description, string huiskamer, string rank1, string rank2, string rank3, string message)
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre]);
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var body = await RoundsData.BodyAsync(await browser.PostFormAsync(Url(round), Url(round), Weights(description, huiskamer, rank1, rank2, rank3)));

        Assert.Contains(message, body);
        Assert.Single(await PoliciesAsync(round));
    }

    [Fact]
    public async Task A_block_for_several_weekdays_becomes_a_new_version_with_one_block_per_day_and_can_be_removed_again()
    {
        var centre = await Data.CentreAsync();
        var room = await Data.RoomAsync(centre, "Huiskamer", "huiskamer");
        var round = await Rounds.RoundAsync([centre]);
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var response = await browser.PostFormAsync(Url(round), $"{Url(round)}/blokken",
            ("BlockForm.Label", "Huiskamer open voor basisaanbod"), ("BlockForm.RoomId", room.ToString()),
            ("BlockForm.Weekdays", "1"), ("BlockForm.Weekdays", "3"), ("BlockForm.Weekdays", "5"),
            ("BlockForm.StartsAt", "09:00"), ("BlockForm.EndsAt", "12:00"), ("BlockForm.Categories", "huiskamer"), ("BlockForm.Categories", "sp_do_groepsactiviteit"));
        Assert.Contains("versie 2", await RoundsData.FollowAsync(browser, response));

        var v2 = (await PoliciesAsync(round))[1];
        var blocks = await BlocksAsync(v2.Id);
        Assert.Equal([1, 3, 5], blocks.Select(b => b.Weekday));
        Assert.All(blocks, b => Assert.Equal(["huiskamer", "sp_do_groepsactiviteit"], b.Categories));

        var wednesday = await Data.ScalarAsync<long>("select id from planning_protected_blocks where policy_id = @id and weekday = 3", new { id = v2.Id });
        await browser.PostFormAsync(Url(round), $"{Url(round)}/blokken/{wednesday}/verwijderen");

        var versions = await PoliciesAsync(round);
        Assert.Equal(3, versions.Count);
        Assert.Equal([1, 5], (await BlocksAsync(versions[2].Id)).Select(b => b.Weekday));
        Assert.Equal(3, (await BlocksAsync(v2.Id)).Count);
        var old = await browser.GetPageAsync($"{Url(round)}?versie=2");
        Assert.Contains("U bekijkt versie 2. Dit is niet de huidige versie.", WebUtility.HtmlDecode(old));

        // A block of an older version is not "in" the policy any more: removing it answers 404.
        var stale = await browser.PostFormAsync(Url(round), $"{Url(round)}/blokken/{wednesday}/verwijderen");
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
    }

    [Fact]
    public async Task A_block_needs_a_room_of_the_round_and_sensible_times()
    {
        var centre = await Data.CentreAsync();
        var other = await Data.CentreAsync();
        var foreignRoom = await Data.RoomAsync(other, "Andere huiskamer", "huiskamer");
        var round = await Rounds.RoundAsync([centre]);
        var browser = await Rounds.StaffAsync("functioneel_beheerder");

        var foreign = await RoundsData.BodyAsync(await browser.PostFormAsync(Url(round), $"{Url(round)}/blokken",
            ("BlockForm.Label", "Blok"), ("BlockForm.RoomId", foreignRoom.ToString()), ("BlockForm.Weekdays", "1"),
            ("BlockForm.StartsAt", "09:00"), ("BlockForm.EndsAt", "12:00"), ("BlockForm.Categories", "huiskamer")));
        Assert.Contains("Kies een ruimte van een buurtcentrum in deze ronde.", foreign);

        var times = await RoundsData.BodyAsync(await browser.PostFormAsync(Url(round), $"{Url(round)}/blokken",
            ("BlockForm.Label", "Blok"), ("BlockForm.RoomId", foreignRoom.ToString()), ("BlockForm.Weekdays", "1"),
            ("BlockForm.StartsAt", "12:00"), ("BlockForm.EndsAt", "09:10"), ("BlockForm.Categories", "geheim")));
        Assert.Contains("Kies een eindtijd op een heel kwartier", times);
        Assert.Contains("Kies alleen soorten activiteit uit de lijst.", times);

        Assert.Single(await PoliciesAsync(round));
    }

    [Fact]
    public async Task An_adopted_round_keeps_its_policy()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: "vastgesteld");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var page = await browser.GetPageAsync(Url(round));
        Assert.DoesNotContain($"action=\"{Url(round)}\"", page);
        var body = await RoundsData.BodyAsync(await browser.PostFormAsync(Url(round), Url(round), Weights()));

        Assert.Contains("Het beleid kan niet meer veranderen", body);
        Assert.Single(await PoliciesAsync(round));
    }

    [Fact]
    public async Task Only_a_beheerder_of_all_centres_changes_the_policy()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centreA, centreB]);
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centreA]);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(round)));
        Assert.Contains("Alleen wie alle buurtcentra van de ronde beheert, kan het beleid veranderen.", page);
        var response = await browser.PostFormAsync(Url(round), Url(round), Weights());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(await PoliciesAsync(round));
    }

    [Fact]
    public async Task Everyone_reads_the_policy_of_an_open_round_but_not_of_a_concept()
    {
        var centre = await Data.CentreAsync();
        var room = await Data.RoomAsync(centre, "Huiskamer", "huiskamer");
        var open = await Rounds.RoundAsync([centre], phase: "open", name: "Open ronde");
        await BlockAsync((await PoliciesAsync(open))[0].Id, room, 2, "Dinsdagochtend huiskamer");
        var concept = await Rounds.RoundAsync([centre], name: "Conceptronde");
        var anonymous = new Browser(App);

        var page = WebUtility.HtmlDecode(await anonymous.GetPageAsync($"/planning/rondes/{open}/beleid"));
        Assert.Contains("Zo verdelen we de ruimtes.", page);
        Assert.Contains("Dinsdagochtend huiskamer", page);
        Assert.Contains("Huiskamer / basisaanbod", page);
        Assert.DoesNotContain("<form method=\"post\" action=\"/beheer", page);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.Client.GetAsync($"/planning/rondes/{concept}/beleid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.Client.GetAsync($"/planning/rondes/{open}/beleid?versie=7")).StatusCode);

        var group = await Rounds.GroupAsync(await Data.OrganisationAsync(kind: "gebruikersgroep"));
        Assert.Contains("Dinsdagochtend huiskamer", await group.GetPageAsync($"/planning/rondes/{open}/beleid"));
        Assert.Equal(HttpStatusCode.NotFound, (await group.Client.GetAsync($"/planning/rondes/{concept}/beleid")).StatusCode);
    }
}
