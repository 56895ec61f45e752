using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Planning.Rounds;

/// <summary>The phase machine on the round page: one step at a time, never to "gepubliceerd", every change logged.</summary>
public sealed class RoundPhaseTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private RoundsData Rounds => new(Data, Fixture);

    private sealed record LogRow(string? FromPhase, string ToPhase, long? ActorUserId, string ActorName, DateTime OccurredAt, string? Note);

    private Task<IReadOnlyList<LogRow>> LogAsync(long round) => Rounds.QueryAsync<LogRow>(
        "select from_phase, to_phase, actor_user_id, actor_name, occurred_at, note from planning_phase_log where round_id = @round order by id", new { round });

    private Task<string> PhaseAsync(long round) => Data.ScalarAsync<string>("select phase from planning_rounds where id = @round", new { round });

    /// <param name="confirmed">The yes on the confirmation page (taking an open round in hand before its deadline).</param>
    private static Task<HttpResponseMessage> MoveAsync(Browser browser, long round, string to, string note = "", bool confirmed = false)
    {
        var fields = new List<(string, string)> { ("To", to), ("Note", note) };
        if (confirmed) fields.Add(("Confirmed", "true"));
        return browser.PostFormAsync($"/beheer/planning/rondes/{round}", $"/beheer/planning/rondes/{round}/fase", [.. fields]);
    }

    [Fact]
    public async Task The_round_moves_forward_and_back_one_step_and_each_move_is_logged_with_who_and_when()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre]);
        var userId = await Data.UserAsync("sociaal_beheerder", centreIds: [centre]);
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(userId));
        var name = await Data.ScalarAsync<string>("select display_name from users where id = @userId", new { userId });

        var page = await RoundsData.FollowAsync(browser, await MoveAsync(browser, round, "open", "  Iedereen is gemaild. "));
        Assert.Contains("De ronde staat nu in de fase ‘Open voor wensen’.", page);
        App.Time.Advance(TimeSpan.FromHours(1));
        await MoveAsync(browser, round, "in_behandeling", confirmed: true);
        App.Time.Advance(TimeSpan.FromHours(2));
        await MoveAsync(browser, round, "open", "Nog een week extra");

        Assert.Equal("open", await PhaseAsync(round));
        var start = AppFactory.Start.UtcDateTime;
        Assert.Equal([
            new LogRow("concept", "open", userId, name, start, "Iedereen is gemaild."),
            new LogRow("open", "in_behandeling", userId, name, start.AddHours(1), null),
            new LogRow("in_behandeling", "open", userId, name, start.AddHours(3), "Nog een week extra"),
        ], await LogAsync(round));
        var details = await browser.GetPageAsync($"/beheer/planning/rondes/{round}");
        Assert.Contains("Nog een week extra", details);
        Assert.Contains(name, details);
    }

    [Fact]
    public async Task Taking_an_open_round_in_hand_before_its_deadline_says_that_wishes_can_no_longer_be_added_and_waits_for_a_yes()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: "open"); // wishes until 1 May 2027; today is 23 November 2026
        var koor = await Data.OrganisationAsync("Buurtkoor", "gebruikersgroep");
        await Rounds.WishAsync(round, centre, koor, "Koor");
        await Rounds.WishAsync(round, centre, koor, "Koor op zaterdag");
        await Rounds.WishAsync(round, centre, null, "Losse wens");
        await Rounds.WishAsync(round, centre, null, "Bingo", status: "ingetrokken");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);
        Assert.Contains("Neemt u de ronde eerder in behandeling, dan kan dat niet meer",
            WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{round}")));

        var asked = await RoundsData.BodyAsync(await MoveAsync(browser, round, "in_behandeling", "Alles is binnen"));

        Assert.Contains("Ronde nu in behandeling nemen?", asked);
        Assert.Contains("Groepen mogen nog wensen indienen tot en met zaterdag 1 mei 2027.", asked);
        Assert.Contains("kunnen groepen geen wensen meer indienen, wijzigen of intrekken", asked);
        Assert.Contains("Tot nu toe zijn 3 wensen ingediend, van 2 groepen.", asked);
        Assert.Contains("<input type=\"hidden\" name=\"Confirmed\" value=\"true\">", asked);
        Assert.Contains("<input type=\"hidden\" name=\"Note\" value=\"Alles is binnen\">", asked);
        Assert.Equal("open", await PhaseAsync(round));
        Assert.Empty(await LogAsync(round));

        var done = await RoundsData.FollowAsync(browser, await MoveAsync(browser, round, "in_behandeling", "Alles is binnen", confirmed: true));

        Assert.Contains("De ronde staat nu in de fase ‘In behandeling’.", done);
        Assert.Equal("in_behandeling", await PhaseAsync(round));
        var log = Assert.Single(await LogAsync(round));
        Assert.Equal(("open", "in_behandeling", "Alles is binnen"), (log.FromPhase, log.ToPhase, log.Note));
    }

    [Fact]
    public async Task The_deadline_day_itself_still_asks_and_once_the_deadline_has_passed_the_round_is_taken_in_hand_at_once()
    {
        var centre = await Data.CentreAsync();
        var today = await Rounds.RoundAsync([centre], phase: "open", deadline: "2026-11-23");
        var passed = await Rounds.RoundAsync([centre], phase: "open", deadline: "2026-11-22");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        Assert.Contains("Tot nu toe zijn 0 wensen ingediend, van 0 groepen.", await RoundsData.BodyAsync(await MoveAsync(browser, today, "in_behandeling")));
        var page = await RoundsData.FollowAsync(browser, await MoveAsync(browser, passed, "in_behandeling"));

        Assert.Contains("De ronde staat nu in de fase ‘In behandeling’.", page);
        Assert.Equal(("open", "in_behandeling"), (await PhaseAsync(today), await PhaseAsync(passed)));
    }

    [Theory]
    [InlineData("concept", "in_behandeling")]
    [InlineData("concept", "vastgesteld")]
    [InlineData("open", "concept_gedeeld")]
    [InlineData("concept_gedeeld", "open")]
    [InlineData("vastgesteld", "gepubliceerd")]
    [InlineData("concept_gedeeld", "gepubliceerd")]
    [InlineData("gepubliceerd", "vastgesteld")]
    [InlineData("open", "open")]
    [InlineData("open", "afgerond")]
    public async Task An_illegal_move_is_refused_with_a_message_and_nothing_is_logged(string from, string to)
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: from);
        var browser = await Rounds.StaffAsync("functioneel_beheerder");

        var page = await RoundsData.FollowAsync(browser, await MoveAsync(browser, round, to));

        Assert.Contains("role=\"alert\"", page);
        Assert.Equal(from, await PhaseAsync(round));
        Assert.Empty(await LogAsync(round));
    }

    [Fact]
    public async Task Publishing_is_not_a_phase_change_and_the_page_offers_only_legal_moves()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: "vastgesteld");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var page = await browser.GetPageAsync($"/beheer/planning/rondes/{round}");
        Assert.Contains("name=\"To\" value=\"concept_gedeeld\"", page);
        Assert.DoesNotContain("name=\"To\" value=\"gepubliceerd\"", page);

        var refused = await RoundsData.FollowAsync(browser, await MoveAsync(browser, round, "gepubliceerd"));
        Assert.Contains("Publiceren doet u op het planbord", refused);
        Assert.Equal("vastgesteld", await PhaseAsync(round));
    }

    [Fact]
    public async Task Opening_a_concept_round_needs_a_deadline_that_has_not_passed()
    {
        var centre = await Data.CentreAsync();
        var noDeadline = await Rounds.RoundAsync([centre], deadline: null);
        var passed = await Rounds.RoundAsync([centre], deadline: "2026-11-22");
        var today = await Rounds.RoundAsync([centre], deadline: "2026-11-23");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        Assert.Contains("Vul eerst de uiterste datum voor wensen in", await RoundsData.FollowAsync(browser, await MoveAsync(browser, noDeadline, "open")));
        Assert.Contains("is al voorbij", await RoundsData.FollowAsync(browser, await MoveAsync(browser, passed, "open")));
        await MoveAsync(browser, today, "open");

        Assert.Equal(("concept", "concept", "open"), (await PhaseAsync(noDeadline), await PhaseAsync(passed), await PhaseAsync(today)));
    }

    [Fact]
    public async Task A_note_longer_than_1000_characters_is_refused()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre]);
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var page = await RoundsData.FollowAsync(browser, await MoveAsync(browser, round, "open", new string('x', 1001)));

        Assert.Contains("De toelichting mag hoogstens 1000 tekens lang zijn.", page);
        Assert.Equal("concept", await PhaseAsync(round));
        Assert.Empty(await LogAsync(round));
    }
}
