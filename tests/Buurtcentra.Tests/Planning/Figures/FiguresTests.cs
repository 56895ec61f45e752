using System.Net;
using Buurtcentra.Tests.Planning.Board;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Figures;
using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Tests.Planning.Figures;

public sealed class FiguresCalculatorTests
{
    [Fact]
    public void Shares_hours_occupancy_and_groups_without_anything_are_counted_as_described()
    {
        FiguresWish[] wishes =
        [
            new(1, "org:1", "Koor", "huiskamer", Frequency.Weekly, 120),
            new(2, "org:2", "Yoga", "huiskamer", Frequency.EveryOtherWeek, 90),
            new(3, "org:2", "Yoga extra", "huiskamer", Frequency.Weekly, 60),
            new(4, "mail:a@b.nl", "Schaakclub", "bewonersinitiatief", Frequency.Monthly, 120),
            new(5, "mail:c@d.nl", "Bingo", "commercieel", Frequency.Weekly, 120),
        ];
        FiguresAllocation[] allocations =
        [
            new(1, new GrantedPlace(10, 2, 19 * 60, 21 * 60, 0), 1),          // Tuesday evening, 2 h weekly
            new(2, new GrantedPlace(10, 3, 11 * 60, 12 * 60 + 30, 1), 2),     // Wednesday 11:00–12:30, every other week
            new(3, null, null),
            new(4, new GrantedPlace(11, 2, 17 * 60, 19 * 60, 2), null),        // placed by hand, monthly
            new(5, null, null),
        ];
        FiguresRoom[] rooms = [new(10, 1), new(11, 1)];
        (long, OpeningSpan)[] hours = [(1, new OpeningSpan(2, 9 * 60, 22 * 60)), (1, new OpeningSpan(3, 9 * 60, 22 * 60))];

        var f = FiguresCalculator.Calculate(wishes, allocations, rooms, hours);

        var huiskamer = f.Categories.Single(c => c.Category == "huiskamer");
        Assert.Equal((3, 2, 1), (huiskamer.Wishes, huiskamer.Granted, huiskamer.FirstChoice));
        Assert.Equal(2 + 1.5 * 0.5, huiskamer.HoursPerWeek, 6);
        var bewoners = f.Categories.Single(c => c.Category == "bewonersinitiatief");
        Assert.Equal(2 * 12.0 / 52.0, bewoners.HoursPerWeek, 6);
        Assert.Equal((5, 3, 1), (f.Total.Wishes, f.Total.Granted, f.Total.FirstChoice));
        Assert.Equal([1, 1, 0, 1, 2], f.Ranks.Select(r => r.Count));

        // Tuesday evening: Koor 2 h + Schaak 1 h × 12/52, against 2 rooms × 4 h open (18:00–22:00).
        var tuesdayEvening = f.Occupancy.Single(o => o.Weekday == 2 && o.Daypart == "avond");
        Assert.Equal(2 + 12.0 / 52.0, tuesdayEvening.UsedHours, 6);
        Assert.Equal(8, tuesdayEvening.OpenHours, 6);
        // Wednesday morning: Yoga 1 h (11–12) at half; the 30 minutes after 12:00 count for the afternoon.
        Assert.Equal(0.5, f.Occupancy.Single(o => o.Weekday == 3 && o.Daypart == "ochtend").UsedHours, 6);
        Assert.Equal(0.25, f.Occupancy.Single(o => o.Weekday == 3 && o.Daypart == "middag").UsedHours, 6);
        Assert.Null(f.Occupancy.Single(o => o.Weekday == 1 && o.Daypart == "ochtend").Share); // closed on Monday

        Assert.Equal(["Bingo"], f.GroupsWithNothing); // Yoga got one of its two wishes
    }
}

public sealed class FiguresPageTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private PlanningSeed Seed => new(Fixture.Database.DataSource);

    [Fact]
    public async Task The_figures_page_shows_the_tables_for_the_latest_proposal_and_another_centres_beheerder_gets_404()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Cijfers");
        await Data.OpeningHoursAsync(centre, 2, new TimeOnly(9, 0), new TimeOnly(22, 0));
        var zaal = await Data.RoomAsync(centre, "Zaal", capacity: 40);
        var round = await Seed.RoundAsync([centre]);
        var koor = await Seed.WishAsync(round, centre, "Koor", "Koor Zuilen", [new(zaal, 2, "19:00")], "huiskamer");
        var bingo = await Seed.WishAsync(round, centre, "Bingo", "Bingoclub", [new(zaal, 2, "19:00")], "commercieel", email: "bingo@test.example");
        await Seed.ProposalAsync(round, 1, new SeedAllocation(koor), new SeedAllocation(bingo));
        await Seed.ProposalAsync(round, 2, new SeedAllocation(koor, zaal, 2, "19:00", "21:00", 0, 1), new SeedAllocation(bingo));
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centre])));

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{round}/cijfers"));

        Assert.Contains("Huidig voorstel (versie 2)", page);
        Assert.Contains("Huiskamer/basisaanbod</th>", page);
        Assert.Contains("<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">2,0</td>", page); // 2 hours a week for the huiskamer
        Assert.Contains("1 (50%)", page); // first choice: 1 of 2 wishes
        Assert.Contains("(2,0 van 4,0 uur)", page); // Tuesday evening: 19:00–21:00 of 18:00–22:00 open
        Assert.Contains("gesloten", page); // Monday: no opening hours
        Assert.Contains("1 groep kreeg geen enkele wens toegekend", page);
        Assert.Contains("<li>Bingoclub</li>", page);

        var other = new Browser(App);
        await other.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [await Data.CentreAsync()])));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/beheer/planning/rondes/{round}/cijfers")).StatusCode);
    }
}
