using System.Net;
using Buurtcentra.Tests.Planning.Rounds;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Planning.Wishes;

/// <summary>Groups hand in, change and withdraw wishes while the round is open; the beheerder does so on their behalf until it is adopted.</summary>
public sealed class WishTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private RoundsData Rounds => new(Data, Fixture);

    private sealed class WishRow
    {
        public long Id { get; init; }
        public long CentreId { get; init; }
        public long? OrganisationId { get; init; }
        public string GroupName { get; init; } = "";
        public string? ContactName { get; init; }
        public string? ContactEmail { get; init; }
        public string Activity { get; init; } = "";
        public string Category { get; init; } = "";
        public string[] TargetGroups { get; init; } = [];
        public int Participants { get; init; }
        public string[] Facilities { get; init; } = [];
        public string[] Accessibility { get; init; } = [];
        public string Frequency { get; init; } = "";
        public int DurationMinutes { get; init; }
        public bool IsPublic { get; init; }
        public string? Remarks { get; init; }
        public string? ContinuityAnswer { get; init; }
        public string Status { get; init; } = "";
        public long? SubmittedByUserId { get; init; }
    }

    private sealed record OptionRow(int Rank, long? RoomId, int Weekday, TimeOnly EarliestStart, TimeOnly LatestStart);

    private Task<IReadOnlyList<WishRow>> WishesAsync(long round) => Rounds.QueryAsync<WishRow>("""
        select id, centre_id, organisation_id, group_name, contact_name, contact_email, activity, category, target_groups, participants, facilities,
               accessibility, frequency, duration_minutes, is_public, remarks, continuity_answer, status, submitted_by_user_id
        from planning_wishes where round_id = @round order by id
        """, new { round });

    private Task<IReadOnlyList<OptionRow>> OptionsAsync(long wish) => Rounds.QueryAsync<OptionRow>(
        "select rank::int as rank, room_id, weekday::int as weekday, earliest_start, latest_start from planning_wish_options where wish_id = @wish order by rank",
        new { wish });

    /// <summary>A valid wish for <paramref name="centre"/>; options are (room or "", weekday, earliest, latest) per row.</summary>
    private static List<KeyValuePair<string, string>> Fields(long centre, string activity = "Klaverjassen", string duration = "150", string participants = "16",
        string category = "bewonersinitiatief", (string Room, string Weekday, string Earliest, string Latest)[]? options = null, string[]? ranks = null, params (string, string)[] extra)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("CentreId", centre.ToString()), new("Activity", activity), new("Category", category), new("Participants", participants),
            new("Frequency", "wekelijks"), new("DurationMinutes", duration), new("TargetGroups", "ouderen"), new("TargetGroups", "iedereen"),
            new("Facilities", "koffie"), new("Accessibility", "rolstoeltoegankelijk"), new("IsPublic", "true"), new("Remarks", "Graag met koffie."),
        };
        options ??= [("", "2", "19:00", "20:00")];
        for (var i = 0; i < 3; i++)
        {
            var (room, weekday, earliest, latest) = i < options.Length ? options[i] : ("", "", "", "");
            fields.Add(new($"Options[{i}].Rank", ranks is not null && i < ranks.Length ? ranks[i] : (i + 1).ToString()));
            fields.Add(new($"Options[{i}].RoomId", room));
            fields.Add(new($"Options[{i}].Weekday", weekday));
            fields.Add(new($"Options[{i}].EarliestStart", earliest));
            fields.Add(new($"Options[{i}].LatestStart", latest));
        }
        fields.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Item1, e.Item2)));
        return fields;
    }

    private static string NewUrl(long round) => $"/planning/rondes/{round}/wensen/nieuw";

    [Fact]
    public async Task A_group_hands_in_a_wish_with_ranked_options_while_the_round_is_open()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Akker");
        var other = await Data.CentreAsync("Buurtcentrum De Beek");
        var zaal = await Data.RoomAsync(centre, "Grote zaal", capacity: 40);
        var round = await Rounds.RoundAsync([centre, other], phase: "open");
        var organisation = await Data.OrganisationAsync("Klaverjasclub De Akker", "gebruikersgroep", "bewonersinitiatief");
        var browser = await Rounds.GroupAsync(organisation);
        var user = Assert.Single(await Rounds.QueryAsync<(long Id, string Name, string Email)>(
            "select id, display_name, email from users where organisation_id = @organisation", new { organisation }));

        var form = WebUtility.HtmlDecode(await browser.GetPageAsync(NewUrl(round)));
        Assert.Contains("Grote zaal (40 personen)", form);
        // First and third row filled, the second left empty: stored as choices 1 and 2.
        var response = await browser.PostFormAsync(NewUrl(round), NewUrl(round), Fields(centre,
            options: [(zaal.ToString(), "2", "19:00", "20:00"), ("", "", "", ""), ("", "4", "19:30", "")]));

        Assert.Contains("Uw wens ‘Klaverjassen’ is ingediend.", await RoundsData.FollowAsync(browser, response));
        var wish = Assert.Single(await WishesAsync(round));
        Assert.Equal((centre, (long?)organisation, "Klaverjasclub De Akker", user.Name, user.Email, "Klaverjassen", "bewonersinitiatief", 16, "wekelijks", 150, true,
                "Graag met koffie.", (string?)null, "ingediend", (long?)user.Id),
            (wish.CentreId, wish.OrganisationId, wish.GroupName, wish.ContactName, wish.ContactEmail, wish.Activity, wish.Category, wish.Participants,
                wish.Frequency, wish.DurationMinutes, wish.IsPublic, wish.Remarks, wish.ContinuityAnswer, wish.Status, wish.SubmittedByUserId));
        Assert.Equal(["ouderen", "iedereen"], wish.TargetGroups);
        Assert.Equal(["koffie"], wish.Facilities);
        Assert.Equal(["rolstoeltoegankelijk"], wish.Accessibility);
        Assert.Equal([
            new OptionRow(1, zaal, 2, new TimeOnly(19, 0), new TimeOnly(20, 0)),
            new OptionRow(2, null, 4, new TimeOnly(19, 30), new TimeOnly(19, 30)),
        ], await OptionsAsync(wish.Id));

        var portal = WebUtility.HtmlDecode(await browser.GetPageAsync("/planning"));
        Assert.Contains("Klaverjassen", portal);
        Assert.Contains("1. keuze: dinsdag, begin tussen 19:00 en 20:00, Grote zaal", portal);
        Assert.Contains("2. keuze: donderdag om 19:30, elke passende ruimte", portal);
    }

    [Theory]
    [InlineData("", "", "", "", "150", "16", "Vul minstens één keuze in: een dag en een begintijd.")]
    [InlineData("", "2", "20:00", "19:00", "150", "16", "Bij keuze 1 mag de laatste begintijd niet vóór de vroegste begintijd liggen.")]
    [InlineData("", "2", "06:00", "", "150", "16", "Bij keuze 1 moet de begintijd tussen 07:00 en 23:00 liggen.")]
    [InlineData("", "2", "19:10", "", "150", "16", "Kies bij keuze 1 tijden op een heel kwartier")]
    [InlineData("", "2", "22:30", "", "150", "16", "Bij keuze 1 duurt de activiteit tot na middernacht.")]
    [InlineData("", "8", "19:00", "", "150", "16", "Kies bij keuze 1 een dag uit de lijst.")]
    [InlineData("room", "", "", "", "150", "16", "Kies de dag bij keuze 1.")]
    [InlineData("", "2", "", "", "150", "16", "Vul bij keuze 1 de vroegste begintijd in.")]
    [InlineData("", "2", "19:00", "", "50", "16", "De duur gaat in stappen van een kwartier")]
    [InlineData("", "2", "19:00", "", "735", "16", "Een activiteit duurt 15 minuten tot 12 uur.")]
    [InlineData("foreign", "2", "19:00", "", "150", "16", "Bij keuze 1 hoort de ruimte niet bij Buurtcentrum Eigen.")]
    [InlineData("room", "2", "19:00", "", "150", "31", "Bij keuze 1 is Kleine zaal te klein: er passen 30 mensen en u verwacht er 31.")]
    [InlineData("", "2", "19:00", "", "150", "nul", "'nul' is geen geldige waarde voor aantal deelnemers.")]
    [InlineData("", "2", "zeven uur", "", "150", "16", "'zeven uur' is geen geldige waarde voor vroegste begintijd.")]
    public async Task A_wrong_wish_gets_a_dutch_message_and_is_not_stored(string room, string weekday, string earliest, string latest, string duration,
        string participants, string message)
    {
        var centre = await Data.CentreAsync("Buurtcentrum Eigen");
        var other = await Data.CentreAsync("Buurtcentrum Ander");
        var own = await Data.RoomAsync(centre, "Kleine zaal", capacity: 30);
        var foreign = await Data.RoomAsync(other, "Andere zaal", capacity: 30);
        var round = await Rounds.RoundAsync([centre, other], phase: "open");
        var browser = await Rounds.GroupAsync(await Data.OrganisationAsync(kind: "gebruikersgroep"));
        var roomId = room switch { "room" => own.ToString(), "foreign" => foreign.ToString(), _ => "" };

        var body = await RoundsData.BodyAsync(await browser.PostFormAsync(NewUrl(round), NewUrl(round),
            Fields(centre, duration: duration, participants: participants, options: [(roomId, weekday, earliest, latest)])));

        Assert.Contains(message, body);
        Assert.Empty(await WishesAsync(round));
    }

    [Fact]
    public async Task Repeated_ranks_and_repeated_options_are_refused()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: "open");
        var browser = await Rounds.GroupAsync(await Data.OrganisationAsync(kind: "gebruikersgroep"));

        var ranks = await RoundsData.BodyAsync(await browser.PostFormAsync(NewUrl(round), NewUrl(round),
            Fields(centre, options: [("", "2", "19:00", ""), ("", "3", "19:00", "")], ranks: ["1", "1", "3"])));
        Assert.Contains("Keuze 1 staat er twee keer in.", ranks);

        var same = await RoundsData.BodyAsync(await browser.PostFormAsync(NewUrl(round), NewUrl(round),
            Fields(centre, options: [("", "2", "19:00", "19:30"), ("", "2", "19:00", "19:30")])));
        Assert.Contains("Keuze 2 is hetzelfde als keuze 1.", same);

        Assert.Empty(await WishesAsync(round));
    }

    [Theory]
    [InlineData("in_behandeling", "2027-05-01")]
    [InlineData("concept_gedeeld", "2027-05-01")]
    [InlineData("open", "2026-11-22")]
    public async Task Outside_the_open_phase_or_after_the_deadline_a_group_cannot_hand_in_change_or_withdraw(string phase, string deadline)
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: phase, deadline: deadline);
        var organisation = await Data.OrganisationAsync(kind: "gebruikersgroep");
        var existing = await Rounds.WishAsync(round, centre, organisation, "Bestaande wens");
        var browser = await Rounds.GroupAsync(organisation);
        var expected = phase == "open" ? "De uiterste datum voor wensen was 22 november 2026." : "de ronde is niet open voor wensen";

        Assert.Contains(expected, await RoundsData.FollowAsync(browser, await browser.Client.GetAsync(NewUrl(round))));
        Assert.Contains(expected, await RoundsData.FollowAsync(browser, await browser.PostFormAsync("/planning", NewUrl(round), Fields(centre))));
        Assert.Contains(expected, await RoundsData.FollowAsync(browser,
            await browser.PostFormAsync("/planning", $"/planning/wensen/{existing}/bewerken", Fields(centre, activity: "Veranderd"))));
        Assert.Contains(expected, await RoundsData.FollowAsync(browser, await browser.PostFormAsync("/planning", $"/planning/wensen/{existing}/intrekken")));

        var wish = Assert.Single(await WishesAsync(round));
        Assert.Equal(("Bestaande wens", "ingediend"), (wish.Activity, wish.Status));
        Assert.DoesNotContain($"/planning/rondes/{round}/wensen/nieuw", await browser.GetPageAsync("/planning"));
    }

    [Fact]
    public async Task A_concept_round_is_invisible_to_groups()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], name: "Geheime conceptronde");
        var organisation = await Data.OrganisationAsync(kind: "gebruikersgroep");
        var wish = await Rounds.WishAsync(round, centre, organisation, "Doorgerolde wens");
        var browser = await Rounds.GroupAsync(organisation);

        Assert.DoesNotContain("Geheime conceptronde", await browser.GetPageAsync("/planning"));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(NewUrl(round))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/planning/wensen/{wish}/bewerken")).StatusCode);
    }

    [Fact]
    public async Task A_group_changes_and_withdraws_its_own_wishes_but_never_another_groups()
    {
        var centre = await Data.CentreAsync();
        var room = await Data.RoomAsync(centre, "Huiskamer", "huiskamer");
        var round = await Rounds.RoundAsync([centre], phase: "open");
        var organisation = await Data.OrganisationAsync(kind: "gebruikersgroep");
        var otherOrganisation = await Data.OrganisationAsync(kind: "gebruikersgroep");
        var own = await Rounds.WishAsync(round, centre, organisation, "Eigen wens");
        var foreign = await Rounds.WishAsync(round, centre, otherOrganisation, "Andermans wens");
        var browser = await Rounds.GroupAsync(organisation);

        var edit = $"/planning/wensen/{own}/bewerken";
        var page = await browser.GetPageAsync(edit);
        Assert.Contains("value=\"Eigen wens\"", page);
        var response = await browser.PostFormAsync(edit, edit, Fields(centre, activity: "Eigen wens, nu op woensdag", options: [(room.ToString(), "3", "14:00", "15:00")]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal([new OptionRow(1, room, 3, new TimeOnly(14, 0), new TimeOnly(15, 0))], await OptionsAsync(own));

        foreach (var url in new[] { $"/planning/wensen/{foreign}/bewerken" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(url)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostFormAsync(edit, $"/planning/wensen/{foreign}/bewerken", Fields(centre, activity: "Overgenomen"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostFormAsync(edit, $"/planning/wensen/{foreign}/intrekken")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostFormAsync(edit, $"/planning/wensen/{foreign}/bevestigen")).StatusCode);

        var withdrawn = await RoundsData.FollowAsync(browser, await browser.PostFormAsync("/planning", $"/planning/wensen/{own}/intrekken"));
        Assert.Contains("Uw wens ‘Eigen wens, nu op woensdag’ is ingetrokken.", withdrawn);
        Assert.Contains("Ingetrokken", withdrawn);
        Assert.Contains("Deze wens is ingetrokken", await RoundsData.FollowAsync(browser, await browser.Client.GetAsync(edit)));

        var wishes = await WishesAsync(round);
        Assert.Equal([("Eigen wens, nu op woensdag", "ingetrokken"), ("Andermans wens", "ingediend")], wishes.Select(w => (w.Activity, w.Status)));
    }

    [Fact]
    public async Task The_beheerder_adds_wishes_for_a_group_with_or_without_organisation_in_any_phase_before_adoption()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: "in_behandeling");
        var organisation = await Data.OrganisationAsync("Taalcafé Test", "gebruikersgroep", "maatschappelijke_organisatie");
        var userId = await Data.UserAsync("sociaal_beheerder", centreIds: [centre]);
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));
        var url = $"/beheer/planning/rondes/{round}/wensen/nieuw";

        var missing = await RoundsData.BodyAsync(await browser.PostFormAsync(url, url, Fields(centre, activity: "Moestuin")));
        Assert.Contains("Kies een organisatie, of vul de naam van de groep in.", missing);
        Assert.Contains("Vul het e-mailadres van de contactpersoon in.", missing);

        await browser.PostFormAsync(url, url, Fields(centre, activity: "Moestuin", extra: [("GroupName", "Buurtmoestuin"), ("ContactName", "Piet"), ("ContactEmail", "piet@moestuin.example")]));
        await browser.PostFormAsync(url, url, Fields(centre, activity: "Taalcafé", category: "maatschappelijke_organisatie", extra: [("OrganisationId", organisation.ToString())]));

        var wishes = await WishesAsync(round);
        Assert.Equal([("Moestuin", (long?)null, "Buurtmoestuin", "piet@moestuin.example", (long?)userId), ("Taalcafé", organisation, "Taalcafé Test", null, userId)],
            wishes.Select(w => (w.Activity, w.OrganisationId, w.GroupName, w.ContactEmail, w.SubmittedByUserId)));

        var list = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{round}/wensen?soort=maatschappelijke_organisatie"));
        Assert.Contains("Taalcafé Test", list);
        Assert.DoesNotContain("Buurtmoestuin", list);

        await Data.ScalarAsync<int>("update planning_rounds set phase = 'vastgesteld' where id = @round returning 1", new { round });
        var adopted = await RoundsData.FollowAsync(browser, await browser.PostFormAsync($"/beheer/planning/rondes/{round}/wensen", url, Fields(centre, activity: "Te laat")));
        Assert.Contains("De ronde is vastgesteld.", adopted);
        var withdraw = await RoundsData.FollowAsync(browser, await browser.PostFormAsync($"/beheer/planning/rondes/{round}/wensen",
            $"/beheer/planning/rondes/{round}/wensen/{wishes[0].Id}/intrekken"));
        Assert.Contains("De ronde is vastgesteld.", withdraw);
        Assert.Equal(2, (await WishesAsync(round)).Count(w => w.Status == "ingediend"));
    }

    [Fact]
    public async Task The_beheerder_changes_and_withdraws_wishes_only_in_centres_they_manage()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync("Buurtcentrum Niet Van Mij");
        var round = await Rounds.RoundAsync([centreA, centreB], phase: "open");
        var wishA = await Rounds.WishAsync(round, centreA, null, "Wens in A");
        var wishB = await Rounds.WishAsync(round, centreB, null, "Geheime wens in B");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centreA]);
        var baseUrl = $"/beheer/planning/rondes/{round}/wensen";

        var list = await browser.GetPageAsync(baseUrl);
        Assert.Contains("Wens in A", list);
        Assert.DoesNotContain("Geheime wens in B", list);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"{baseUrl}/{wishB}/bewerken")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostFormAsync(baseUrl, $"{baseUrl}/{wishB}/bewerken", Fields(centreB, activity: "Overgenomen"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostFormAsync(baseUrl, $"{baseUrl}/{wishB}/intrekken")).StatusCode);
        // Moving an own wish to the centre they do not manage, or adding one there, is refused too.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostFormAsync(baseUrl, $"{baseUrl}/{wishA}/bewerken",
            Fields(centreB, activity: "Verhuisd", extra: [("GroupName", "Groep"), ("ContactEmail", "groep@test.example")]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostFormAsync(baseUrl, $"{baseUrl}/nieuw",
            Fields(centreB, activity: "Nieuw in B", extra: [("GroupName", "Groep"), ("ContactEmail", "groep@test.example")]))).StatusCode);

        var withdrawn = await RoundsData.FollowAsync(browser, await browser.PostFormAsync(baseUrl, $"{baseUrl}/{wishA}/intrekken"));
        Assert.Contains("is ingetrokken", withdrawn);
        Assert.Equal([("Wens in A", "ingetrokken", centreA), ("Geheime wens in B", "ingediend", centreB)],
            (await WishesAsync(round)).Select(w => (w.Activity, w.Status, w.CentreId)));
    }
}
