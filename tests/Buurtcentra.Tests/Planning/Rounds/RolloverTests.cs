using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Planning.Rounds;

/// <summary>Doorrollen: last season's granted allocations (latest proposal) become continuity wishes that the groups answer.</summary>
public sealed class RolloverTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private RoundsData Rounds => new(Data, Fixture);

    private sealed class WishRow
    {
        public long Id { get; init; }
        public long CentreId { get; init; }
        public long? OrganisationId { get; init; }
        public string GroupName { get; init; } = "";
        public string Activity { get; init; } = "";
        public string Category { get; init; } = "";
        public string Frequency { get; init; } = "";
        public int DurationMinutes { get; init; }
        public int Participants { get; init; }
        public long? ContinuesAllocationId { get; init; }
        public string? ContinuityAnswer { get; init; }
        public string Status { get; init; } = "";
    }

    private Task<IReadOnlyList<WishRow>> WishesAsync(long round) => Rounds.QueryAsync<WishRow>("""
        select id, centre_id, organisation_id, group_name, activity, category, frequency, duration_minutes, participants, continues_allocation_id,
               continuity_answer, status
        from planning_wishes where round_id = @round order by id
        """, new { round });

    private sealed record World(long CentreA, long CentreB, long Zaal, long Huiskamer, long Old, long New, long Club, long Taal,
        long GrantedLatest, long GrantedOnlyBefore);

    /// <summary>
    /// Last season (published) for centres A and B: proposal 1 and proposal 2 (the latest). In proposal 2 the club got the
    /// zaal on Wednesday 20:00–22:00 (every other week), the taalcafé got nothing (in proposal 1 it had a place), and a
    /// group in centre B got a room. The new round is for centre A only.
    /// </summary>
    private async Task<World> WorldAsync(string newPhase = "concept")
    {
        var centreA = await Data.CentreAsync("Buurtcentrum Doorrol");
        var centreB = await Data.CentreAsync();
        var zaal = await Data.RoomAsync(centreA, "Grote zaal");
        var huiskamer = await Data.RoomAsync(centreA, "Huiskamer", "huiskamer");
        var roomB = await Data.RoomAsync(centreB, "Zaal B");
        var club = await Data.OrganisationAsync("Klaverjasclub Doorrol", "gebruikersgroep", "bewonersinitiatief");
        var taal = await Data.OrganisationAsync("Taalcafé Doorrol", "gebruikersgroep", "maatschappelijke_organisatie");
        var old = await Rounds.RoundAsync([centreA, centreB], phase: "gepubliceerd", name: "Seizoen 2026-2027", seasonStart: "2026-08-31", seasonEnd: "2027-07-02", deadline: "2026-05-01");
        var clubWish = await Rounds.WishAsync(old, centreA, club, "Klaverjassen", zaal, 3, "19:30", "20:30", frequency: "tweewekelijks", duration: 120, participants: 16);
        var taalWish = await Rounds.WishAsync(old, centreA, taal, "Taalcafé", huiskamer, 2, "10:00", "10:00", category: "maatschappelijke_organisatie");
        var wishB = await Rounds.WishAsync(old, centreB, null, "Yoga in B", roomB, 1);
        var first = await Rounds.ProposalAsync(old, 1);
        await Rounds.AllocationAsync(first, clubWish, huiskamer, 3, "19:30", "21:30");
        var grantedOnlyBefore = await Rounds.AllocationAsync(first, taalWish, huiskamer, 2, "10:00", "12:00");
        var latest = await Rounds.ProposalAsync(old, 2);
        var granted = await Rounds.AllocationAsync(latest, clubWish, zaal, 3, "20:00", "22:15", lane: 1);
        await Rounds.AllocationAsync(latest, taalWish, null);
        await Rounds.AllocationAsync(latest, wishB, roomB, 1, "19:00", "21:00");
        var @new = await Rounds.RoundAsync([centreA], phase: newPhase);
        return new World(centreA, centreB, zaal, huiskamer, old, @new, club, taal, granted, grantedOnlyBefore);
    }

    private static Task<HttpResponseMessage> RollAsync(Browser browser, long round, long from) =>
        browser.PostFormAsync($"/beheer/planning/rondes/{round}", $"/beheer/planning/rondes/{round}/doorrollen", ("rollFromRoundId", from.ToString()));

    [Fact]
    public async Task Every_granted_allocation_of_the_latest_proposal_in_the_new_rounds_centres_becomes_an_open_continuity_wish()
    {
        var w = await WorldAsync();
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [w.CentreA, w.CentreB]);

        var page = await browser.GetPageAsync($"/beheer/planning/rondes/{w.New}");
        Assert.Contains($"<option value=\"{w.Old}\"", page);
        var done = await RoundsData.FollowAsync(browser, await RollAsync(browser, w.New, w.Old));
        Assert.Contains("Er is 1 wens van vorig seizoen doorgerold.", done);

        var wish = Assert.Single(await WishesAsync(w.New));
        Assert.Equal((w.CentreA, (long?)w.Club, "Klaverjasclub Doorrol", "Klaverjassen", "bewonersinitiatief", "tweewekelijks", 135, 16, (long?)w.GrantedLatest, "open", "ingediend"),
            (wish.CentreId, wish.OrganisationId, wish.GroupName, wish.Activity, wish.Category, wish.Frequency, wish.DurationMinutes, wish.Participants,
             wish.ContinuesAllocationId, wish.ContinuityAnswer, wish.Status));
        var option = Assert.Single(await Rounds.QueryAsync<(int Rank, long? RoomId, int Weekday, TimeOnly Earliest, TimeOnly Latest)>(
            "select rank::int, room_id, weekday::int, earliest_start, latest_start from planning_wish_options where wish_id = @id", new { id = wish.Id }));
        Assert.Equal((1, (long?)w.Zaal, 3, new TimeOnly(20, 0), new TimeOnly(20, 0)), option);
        Assert.Equal(w.Old, await Data.ScalarAsync<long>("select rolled_from_round_id from planning_rounds where id = @id", new { id = w.New }));

        // Again: nothing new, nothing twice.
        Assert.Contains("Er waren geen nieuwe plekken om door te rollen.", await RoundsData.FollowAsync(browser, await RollAsync(browser, w.New, w.Old)));
        Assert.Single(await WishesAsync(w.New));
    }

    [Fact]
    public async Task A_new_round_can_start_from_the_previous_round_when_it_is_created()
    {
        var w = await WorldAsync();
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [w.CentreA]);
        const string url = "/beheer/planning/rondes/nieuw";

        var form = await browser.GetPageAsync(url);
        Assert.Contains("Seizoen 2026-2027", form);
        var response = await browser.PostFormAsync(url, url, ("Name", "Seizoen 2027-2028 (nieuw)"), ("SeasonStart", "2027-08-30"), ("SeasonEnd", "2028-07-02"),
            ("WishesDeadline", "2027-05-01"), ("CentreIds", w.CentreA.ToString()), ("RollFromRoundId", w.Old.ToString()));

        Assert.Contains("Er is 1 wens van vorig seizoen doorgerold.", await RoundsData.FollowAsync(browser, response));
        var round = await Data.ScalarAsync<long>("select id from planning_rounds where name = 'Seizoen 2027-2028 (nieuw)'");
        Assert.Equal([(long?)w.GrantedLatest], (await WishesAsync(round)).Select(x => x.ContinuesAllocationId));
    }

    [Fact]
    public async Task Doorrollen_is_refused_from_an_unpublished_or_foreign_round_and_into_a_round_that_is_open()
    {
        var w = await WorldAsync();
        var unpublished = await Rounds.RoundAsync([w.CentreA], phase: "vastgesteld", name: "Nog niet gepubliceerd");
        var otherCentre = await Data.CentreAsync();
        var foreign = await Rounds.RoundAsync([otherCentre], phase: "gepubliceerd", name: "Andermans ronde");
        var open = await Rounds.RoundAsync([w.CentreA], phase: "open");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [w.CentreA]);

        var page = await browser.GetPageAsync($"/beheer/planning/rondes/{w.New}");
        Assert.DoesNotContain("Andermans ronde", page);
        Assert.DoesNotContain("Nog niet gepubliceerd", page);
        Assert.Contains("Kies een gepubliceerde ronde uit de lijst.", await RoundsData.FollowAsync(browser, await RollAsync(browser, w.New, unpublished)));
        Assert.Contains("Kies een gepubliceerde ronde uit de lijst.", await RoundsData.FollowAsync(browser, await RollAsync(browser, w.New, foreign)));
        Assert.Contains("Doorrollen kan alleen zolang de ronde een concept is.", await RoundsData.FollowAsync(browser, await RollAsync(browser, open, w.Old)));

        Assert.Empty(await WishesAsync(w.New));
        Assert.Empty(await WishesAsync(open));
        Assert.Null(await Data.ScalarAsync<long?>("select rolled_from_round_id from planning_rounds where id = @id", new { id = w.New }));
    }

    [Fact]
    public async Task Groups_confirm_change_or_withdraw_their_continuity_wishes_and_the_beheerder_sees_each_answer()
    {
        var w = await WorldAsync();
        var admin = await Rounds.StaffAsync("functioneel_beheerder");
        await RollAsync(admin, w.New, w.Old);
        // A second and third granted allocation for the club, so it can answer three times.
        var secondWish = await Rounds.WishAsync(w.Old, w.CentreA, w.Club, "Klaverjasmiddag", w.Huiskamer, 5, "14:00", "14:00");
        var thirdWish = await Rounds.WishAsync(w.Old, w.CentreA, w.Club, "Bridge", w.Huiskamer, 4, "14:00", "14:00");
        var latest = await Data.ScalarAsync<long>("select id from planning_proposals where round_id = @old and version = 2", new { old = w.Old });
        await Rounds.AllocationAsync(latest, secondWish, w.Huiskamer, 5, "14:00", "16:00");
        await Rounds.AllocationAsync(latest, thirdWish, w.Huiskamer, 4, "14:00", "16:00");
        await RollAsync(admin, w.New, w.Old);
        await admin.PostFormAsync($"/beheer/planning/rondes/{w.New}", $"/beheer/planning/rondes/{w.New}/fase", ("To", "open"));
        var wishes = await WishesAsync(w.New);
        Assert.Equal(["Klaverjassen", "Klaverjasmiddag", "Bridge"], wishes.Select(x => x.Activity));

        var group = await Rounds.GroupAsync(w.Club);
        var portal = WebUtility.HtmlDecode(await group.GetPageAsync("/planning"));
        Assert.Contains("3 activiteiten van vorig seizoen wachten op uw antwoord.", portal);
        Assert.Contains("Bevestigen: alles blijft zo", portal);

        await group.PostFormAsync("/planning", $"/planning/wensen/{wishes[0].Id}/bevestigen");
        var edit = $"/planning/wensen/{wishes[1].Id}/bewerken";
        var form = await group.GetPageAsync(edit);
        Assert.Contains("Deze wens komt uit vorig seizoen.", WebUtility.HtmlDecode(form));
        await group.PostFormAsync(edit, edit,
            ("CentreId", w.CentreA.ToString()), ("Activity", "Klaverjasmiddag"), ("Category", "bewonersinitiatief"), ("Participants", "12"),
            ("Frequency", "wekelijks"), ("DurationMinutes", "180"), ("Options[0].Rank", "1"), ("Options[0].RoomId", w.Huiskamer.ToString()),
            ("Options[0].Weekday", "5"), ("Options[0].EarliestStart", "13:30"), ("Options[0].LatestStart", "14:00"));
        await group.PostFormAsync("/planning", $"/planning/wensen/{wishes[2].Id}/intrekken");

        Assert.Equal([("bevestigd", "ingediend", 135), ("gewijzigd", "ingediend", 180), ("open", "ingetrokken", 120)],
            (await WishesAsync(w.New)).Select(x => (x.ContinuityAnswer!, x.Status, x.DurationMinutes)));

        var list = WebUtility.HtmlDecode(await admin.GetPageAsync($"/beheer/planning/rondes/{w.New}/wensen?status=alle&doorgerold=ja"));
        Assert.Contains("Bevestigd", list);
        Assert.Contains("Gewijzigd", list);
        Assert.Contains("Ingetrokken", list);
        var counts = WebUtility.HtmlDecode(await admin.GetPageAsync($"/beheer/planning/rondes/{w.New}"));
        Assert.Contains("Doorgerold uit", counts);

        // The beheerder records an answer given on the phone for a continuity wish.
        var staffEdit = $"/beheer/planning/rondes/{w.New}/wensen/{wishes[1].Id}/bewerken";
        var staffForm = await admin.GetPageAsync(staffEdit);
        Assert.Contains("Antwoord van de groep over vorig seizoen", staffForm);
        await admin.PostFormAsync(staffEdit, staffEdit,
            ("CentreId", w.CentreA.ToString()), ("OrganisationId", w.Club.ToString()), ("ContinuityAnswer", "bevestigd"),
            ("Activity", "Klaverjasmiddag"), ("Category", "bewonersinitiatief"), ("Participants", "12"), ("Frequency", "wekelijks"),
            ("DurationMinutes", "180"), ("Options[0].Rank", "1"), ("Options[0].RoomId", w.Huiskamer.ToString()),
            ("Options[0].Weekday", "5"), ("Options[0].EarliestStart", "13:30"), ("Options[0].LatestStart", "14:00"));
        Assert.Equal("bevestigd", (await WishesAsync(w.New))[1].ContinuityAnswer);
    }
}
