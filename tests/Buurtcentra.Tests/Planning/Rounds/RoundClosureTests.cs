using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Planning.Rounds;

/// <summary>Closure periods of a round: added by hand inside the season, or copied from the centres' sluitingsdagen.</summary>
public sealed class RoundClosureTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private RoundsData Rounds => new(Data, Fixture);

    private sealed record ClosureRow(long? CentreId, DateOnly StartsOn, DateOnly EndsOn, string Reason);

    private Task<IReadOnlyList<ClosureRow>> ClosuresAsync(long round) => Rounds.QueryAsync<ClosureRow>(
        "select centre_id, starts_on, ends_on, reason from planning_round_closures where round_id = @round order by starts_on, centre_id nulls first, reason", new { round });

    private static string Url(long round) => $"/beheer/planning/rondes/{round}/sluitingen";

    [Fact]
    public async Task A_closure_inside_the_season_is_added_for_all_centres_or_one()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centreA, centreB]);
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centreA, centreB]);

        var response = await browser.PostFormAsync(Url(round), Url(round), ("Form.StartsOn", "2027-12-27"), ("Form.EndsOn", "2028-01-07"), ("Form.Reason", " Kerstvakantie "));
        Assert.Contains("De sluiting ‘Kerstvakantie’ is toegevoegd.", await RoundsData.FollowAsync(browser, response));
        await browser.PostFormAsync(Url(round), Url(round), ("Form.CentreId", centreB.ToString()), ("Form.StartsOn", "2028-03-01"), ("Form.Reason", "Onderhoud"));

        Assert.Equal([
            new ClosureRow(null, new DateOnly(2027, 12, 27), new DateOnly(2028, 1, 7), "Kerstvakantie"),
            new ClosureRow(centreB, new DateOnly(2028, 3, 1), new DateOnly(2028, 3, 1), "Onderhoud"),
        ], await ClosuresAsync(round));
    }

    [Theory]
    [InlineData("2027-08-01", "2027-08-31", "Reden", "De sluiting moet binnen het seizoen vallen")]
    [InlineData("2028-01-10", "2028-01-09", "Reden", "De laatste dag mag niet vóór de eerste dag liggen.")]
    [InlineData("", "", "Reden", "Vul de eerste dag van de sluiting in.")]
    [InlineData("2028-01-10", "", "", "Vul de reden in")]
    public async Task A_wrong_closure_gets_a_dutch_message_and_is_not_stored(string starts, string ends, string reason, string message)
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre]);
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var body = await RoundsData.BodyAsync(await browser.PostFormAsync(Url(round), Url(round),
            ("Form.StartsOn", starts), ("Form.EndsOn", ends), ("Form.Reason", reason)));

        Assert.Contains(message, body);
        Assert.Empty(await ClosuresAsync(round));
    }

    [Fact]
    public async Task Copying_takes_the_city_wide_and_own_sluitingsdagen_in_the_season_cut_at_its_edges_once()
    {
        var centreA = await Data.CentreAsync();
        var other = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centreA]);
        const string insert = "insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at) values (@centre, @starts::date, @ends::date, 'feestdag', @reason, now()) returning id";
        await Data.ScalarAsync<long>(insert, new { centre = (long?)null, starts = "2027-12-25", ends = "2027-12-26", reason = "Kerstmis" });
        await Data.ScalarAsync<long>(insert, new { centre = (long?)centreA, starts = "2027-08-16", ends = "2027-09-03", reason = "Zomersluiting" });
        await Data.ScalarAsync<long>(insert, new { centre = (long?)other, starts = "2028-02-01", ends = "2028-02-01", reason = "Andermans sluiting" });
        await Data.ScalarAsync<long>(insert, new { centre = (long?)null, starts = "2028-12-25", ends = "2028-12-26", reason = "Kerstmis na het seizoen" });
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centreA]);
        var copyUrl = $"/beheer/planning/rondes/{round}/sluitingen/overnemen";

        var page = await RoundsData.FollowAsync(browser, await browser.PostFormAsync(Url(round), copyUrl));
        Assert.Contains("Er zijn 2 sluitingen overgenomen", page);
        await browser.PostFormAsync(Url(round), copyUrl);

        Assert.Equal([
            new ClosureRow(centreA, new DateOnly(2027, 8, 30), new DateOnly(2027, 9, 3), "Zomersluiting"),
            new ClosureRow(null, new DateOnly(2027, 12, 25), new DateOnly(2027, 12, 26), "Kerstmis"),
        ], await ClosuresAsync(round));
    }

    [Fact]
    public async Task A_closure_is_removed_only_from_its_own_round()
    {
        var centreA = await Data.CentreAsync();
        var centreB = await Data.CentreAsync();
        var roundA = await Rounds.RoundAsync([centreA]);
        var roundB = await Rounds.RoundAsync([centreB]);
        var closureA = await Data.ScalarAsync<long>("insert into planning_round_closures (round_id, starts_on, ends_on, reason) values (@roundA, '2027-12-27', '2027-12-31', 'Kerst') returning id", new { roundA });
        var closureB = await Data.ScalarAsync<long>("insert into planning_round_closures (round_id, starts_on, ends_on, reason) values (@roundB, '2027-12-27', '2027-12-31', 'Kerst') returning id", new { roundB });
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centreA]);

        var foreign = await browser.PostFormAsync(Url(roundA), $"/beheer/planning/rondes/{roundA}/sluitingen/{closureB}/verwijderen");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var own = await browser.PostFormAsync(Url(roundA), $"/beheer/planning/rondes/{roundA}/sluitingen/{closureA}/verwijderen");
        Assert.Contains("De sluiting is verwijderd.", await RoundsData.FollowAsync(browser, own));

        Assert.Empty(await ClosuresAsync(roundA));
        Assert.Single(await ClosuresAsync(roundB));
    }

    [Fact]
    public async Task A_published_round_keeps_its_closures()
    {
        var centre = await Data.CentreAsync();
        var round = await Rounds.RoundAsync([centre], phase: "gepubliceerd");
        var browser = await Rounds.StaffAsync("sociaal_beheerder", [centre]);

        var page = await browser.GetPageAsync(Url(round));
        Assert.DoesNotContain("Sluiting toevoegen</button>", page);
        var body = await RoundsData.BodyAsync(await browser.PostFormAsync(Url(round), Url(round), ("Form.StartsOn", "2027-12-27"), ("Form.Reason", "Kerst")));
        Assert.Contains("De ronde is gepubliceerd.", body);
        Assert.Empty(await ClosuresAsync(round));
    }
}
