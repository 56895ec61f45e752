using System.Net;
using Buurtcentra.Tests.Planning.Board;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Tests.Planning.Draft;

public sealed class DraftTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private PlanningSeed Seed => new(Fixture.Database.DataSource);

    private sealed record World(long Centre, long Zaal1, long Round, long Koor, long Schaak, long Schaakclub, long ProposalV2);

    /// <summary>Koor (other group, with its own contact) got Zaal 1 on Tuesday; Schaak (organisation Schaakclub) did not, with the reason.</summary>
    private async Task<World> WorldAsync(string phase = "concept_gedeeld")
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Leeuw");
        var zaal1 = await Data.RoomAsync(centre, "Zaal 1", capacity: 40);
        var zaal2 = await Data.RoomAsync(centre, "Zaal 2", capacity: 40);
        var round = await Seed.RoundAsync([centre], phase);
        var schaakclub = await Data.OrganisationAsync("Schaakclub Lewenborg", "gebruikersgroep");
        var koor = await Seed.WishAsync(round, centre, "Koor Zuilen", "Zangvereniging Zuilen", [new(zaal1, 2, "19:00")], "huiskamer",
            email: "dirigent@koor.example", contactName: "Dirigent Jansen");
        var schaak = await Seed.WishAsync(round, centre, "Schaakavond", "Schaakclub Lewenborg", [new(zaal1, 2, "19:00")],
            organisationId: schaakclub, email: "bord@schaak.example");
        var bingo = await Seed.WishAsync(round, centre, "Bingo", "Bingoclub", [new(zaal2, 5, "14:00")], frequency: "tweewekelijks");
        await Seed.ProposalAsync(round, 1, new SeedAllocation(koor), new SeedAllocation(schaak), new SeedAllocation(bingo));
        var v2 = await Seed.ProposalAsync(round, 2,
            new SeedAllocation(koor, zaal1, 2, "19:00", "21:00", 0, 1),
            new SeedAllocation(schaak, Explanation: new WishExplanation(schaak, Outcome.NotGranted, null,
                [new OptionReason(1, [new Reason(ReasonKind.TakenBy) { BlockingWishId = koor, HigherPriority = true }])],
                [new FreeSlot(centre, zaal2, 3, 1140, 1260, 0)])),
            new SeedAllocation(bingo, zaal2, 5, "14:00", "16:00", 2, 1));
        return new World(centre, zaal1, round, koor, schaak, schaakclub, v2);
    }

    private async Task<Browser> GebruikerAsync(long organisationId) =>
        await SignInByLinkAsync(await Data.EmailOfAsync(await Data.UserAsync("gebruiker", organisationId)));

    /// <summary>Like Browser.SignInWithLinkAsync, but waits for this address's own mail (several gebruikers sign in per test).</summary>
    private async Task<Browser> SignInByLinkAsync(string email)
    {
        var browser = new Browser(App);
        await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? mail = null;
        while (mail is null && DateTime.UtcNow < deadline)
        {
            mail = App.SentMails().LastOrDefault(m => m.Contains(email, StringComparison.OrdinalIgnoreCase));
            if (mail is null) await Task.Delay(50);
        }
        var path = System.Text.RegularExpressions.Regex.Match(mail ?? "", @"/inloggen/link/[A-Za-z0-9_\-]+").Value;
        var response = await browser.PostFormAsync(path, path);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in by link for {email} failed with {(int)response.StatusCode}");
        return browser;
    }

    private static string DraftUrl(World w) => $"/planning/rondes/{w.Round}/concept";

    [Fact]
    public async Task A_group_sees_the_draft_roster_as_titles_and_its_own_result_with_the_reason()
    {
        var w = await WorldAsync();
        var browser = await GebruikerAsync(w.Schaakclub);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(DraftUrl(w)));

        Assert.Contains("Concept-rooster Buurtcentrum De Leeuw", page);
        Assert.Contains("19:00–21:00 · Koor Zuilen · Zaal 1", page);
        Assert.Contains("14:00–16:00 · Bingo · Zaal 2 · om de week, week 2", page);
        Assert.Contains("Niet toegekend: keus 1 (Zaal 1, di 19:00) ging naar ‘Koor Zuilen’ van Zangvereniging Zuilen, dat een hogere prioriteit heeft (huiskamer/basisaanbod).", page);
        Assert.Contains("Wel vrij: Zaal 2, woensdag 19:00–21:00 (zelfde buurtcentrum).", page);
        // No other group's contact details, and the roster has no group names.
        Assert.DoesNotContain("dirigent@koor.example", page);
        Assert.DoesNotContain("Dirigent Jansen", page);
        Assert.DoesNotContain("Bingoclub", page);
    }

    [Fact]
    public async Task Someone_without_wishes_in_the_round_gets_404_and_before_sharing_a_group_sees_no_roster()
    {
        var w = await WorldAsync("in_behandeling");
        var stranger = await GebruikerAsync(await Data.OrganisationAsync("Andere groep", "gebruikersgroep"));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(DraftUrl(w))).StatusCode);

        var own = await GebruikerAsync(w.Schaakclub);
        var page = WebUtility.HtmlDecode(await own.GetPageAsync(DraftUrl(w)));
        Assert.Contains("Het concept-rooster is nog niet gedeeld", page);
        Assert.DoesNotContain("Koor Zuilen", page);
        Assert.DoesNotContain("Niet toegekend", page);
    }

    [Fact]
    public async Task The_person_who_handed_in_a_wish_sees_it_even_without_the_organisation()
    {
        var w = await WorldAsync();
        var staffEmail = await Data.EmailOfAsync(await Data.UserAsync("gebruiker", await Data.OrganisationAsync("Los", "gebruikersgroep")));
        var submitter = await Data.ScalarAsync<long>("select id from users where email = @staffEmail", new { staffEmail });
        await Data.ScalarAsync<int>("update planning_wishes set submitted_by_user_id = @submitter where id = @koor returning 1", new { submitter, koor = w.Koor });
        var browser = await SignInByLinkAsync(staffEmail);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(DraftUrl(w)));

        Assert.Contains("Uw plek: Zaal 1, dinsdag 19:00–21:00", page);
        Assert.Contains("Toegekend: eerste keus (Zaal 1, dinsdag 19:00–21:00).", page);
        Assert.DoesNotContain("Schaakavond", page);
    }

    [Fact]
    public async Task A_group_reacts_per_wish_and_the_beheerder_reads_it_on_the_board()
    {
        var w = await WorldAsync();
        var browser = await GebruikerAsync(w.Schaakclub);

        var empty = await browser.PostFormAsync(DraftUrl(w), $"{DraftUrl(w)}/reactie", ("WishId", w.Schaak.ToString()), ("Reaction", "opmerking"), ("Comment", " "));
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("Schrijf uw opmerking.", WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync()));
        var none = await browser.PostFormAsync(DraftUrl(w), $"{DraftUrl(w)}/reactie", ("WishId", w.Schaak.ToString()));
        Assert.Contains("Kies of u akkoord bent of een opmerking heeft.", WebUtility.HtmlDecode(await none.Content.ReadAsStringAsync()));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_reactions"));

        var remark = await browser.PostFormAsync(DraftUrl(w), $"{DraftUrl(w)}/reactie",
            ("WishId", w.Schaak.ToString()), ("Reaction", "opmerking"), ("Comment", "Woensdag 19:00 in Zaal 2 past ons ook goed."));
        Assert.Equal(HttpStatusCode.Redirect, remark.StatusCode);
        Assert.Equal($"opmerking|Woensdag 19:00 in Zaal 2 past ons ook goed.|{w.ProposalV2}", await Data.ScalarAsync<string>(
            "select concat_ws('|', reaction, comment, proposal_id) from planning_reactions where wish_id = @Schaak and user_id is not null", w));
        Assert.Contains("Opmerking: Woensdag 19:00 in Zaal 2 past ons ook goed.", WebUtility.HtmlDecode(await browser.GetPageAsync(DraftUrl(w))));

        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [w.Centre])));
        var board = WebUtility.HtmlDecode(await beheerder.GetPageAsync($"/beheer/planning/rondes/{w.Round}/planbord/{w.Centre}"));
        Assert.Contains("Reacties van gebruikers", board);
        Assert.Contains("Opmerking: Woensdag 19:00 in Zaal 2 past ons ook goed.", board);
        Assert.Contains("1 reactie", board);
    }

    [Fact]
    public async Task A_group_cannot_react_on_another_groups_wish()
    {
        var w = await WorldAsync();
        var browser = await GebruikerAsync(w.Schaakclub);

        var response = await browser.PostFormAsync(DraftUrl(w), $"{DraftUrl(w)}/reactie", ("WishId", w.Koor.ToString()), ("Reaction", "akkoord"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from planning_reactions"));
    }

    [Fact]
    public async Task Akkoord_is_saved_on_the_latest_version()
    {
        var w = await WorldAsync("vastgesteld");
        var browser = await GebruikerAsync(w.Schaakclub);

        var response = await browser.PostFormAsync(DraftUrl(w), $"{DraftUrl(w)}/reactie", ("WishId", w.Schaak.ToString()), ("Reaction", "akkoord"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(w.ProposalV2, await Data.ScalarAsync<long>("select proposal_id from planning_reactions where reaction = 'akkoord' and wish_id = @Schaak", w));
    }
}
