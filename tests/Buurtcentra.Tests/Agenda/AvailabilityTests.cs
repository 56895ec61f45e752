using System.Net;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Agenda;

namespace Buurtcentra.Tests.Agenda;

/// <summary>The public availability page: Bezet and Vrij per room and day, and nothing that names anyone (AVG).</summary>
public sealed class AvailabilityTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private AgendaData Agenda => new(Data);

    private async Task<string> PageAsync(string url) => WebUtility.HtmlDecode(await new Browser(App).GetPageAsync(url));

    [Fact]
    public async Task Shows_bezet_where_a_room_is_taken_and_vrij_elsewhere_without_any_names_or_numbers()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Open Huis");
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        var kamer = await Data.RoomAsync(centre, "Huiskamer");
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(9, 0), new TimeOnly(22, 0));
        await Data.OpeningHoursAsync(centre, 2, new TimeOnly(9, 0), new TimeOnly(17, 0));
        var organisation = await Data.OrganisationAsync("Stichting Geheimhouding", "gebruikersgroep");
        await Agenda.BookAsync(centre, zaal, "Besloten bijeenkomst", new(2027, 3, 1), new(19, 0), new(21, 0), organisationId: organisation,
            contactName: "Karel Privé", contactPhone: "06 9876 5432");
        // Back to back with clean-up in between: one "Bezet" from 14:00 to 16:15.
        await Agenda.BookAsync(centre, kamer, "Eerste groep", new(2027, 3, 1), new(14, 0), new(15, 0));
        await Agenda.BookAsync(centre, kamer, "Tweede groep", new(2027, 3, 1), new(15, 15), new(16, 0));
        // A pending request does not take the room; a cancelled one neither.
        await Agenda.BookAsync(centre, kamer, "Aanvraag dinsdag", new(2027, 3, 2), new(10, 0), new(12, 0), "aangevraagd");
        await Agenda.BookAsync(centre, zaal, "Geannuleerd", new(2027, 3, 2), new(10, 0), new(12, 0), "geannuleerd");
        var slug = await Agenda.SlugAsync(centre);

        var page = await PageAsync($"/buurtcentra/{slug}/beschikbaarheid?week=2027-W09");

        Assert.Contains("Week 9: 1 maart tot en met 7 maart 2027", page);
        var zaalCells = WeekGridTests.Cells(WeekGridTests.Row(page, "Grote zaal"));
        Assert.Contains("09:00–19:00 <strong>Vrij</strong>", zaalCells[0]);
        Assert.Contains("19:00–21:15 <strong>Bezet</strong>", zaalCells[0]);
        Assert.Contains("21:15–22:00 <strong>Vrij</strong>", zaalCells[0]);
        Assert.Contains("09:00–17:00 <strong>Vrij</strong>", zaalCells[1]);
        Assert.DoesNotContain("Bezet", zaalCells[1]);
        var kamerCells = WeekGridTests.Cells(WeekGridTests.Row(page, "Huiskamer"));
        Assert.Contains("14:00–16:15 <strong>Bezet</strong>", kamerCells[0]);
        Assert.Equal(2, kamerCells[0].Split("<strong>Vrij</strong>").Length - 1);
        Assert.Contains("09:00–17:00 <strong>Vrij</strong>", kamerCells[1]);
        Assert.Contains("Gesloten", kamerCells[2]); // woensdag: no opening hours
        foreach (var secret in new[] { "Besloten bijeenkomst", "Stichting Geheimhouding", "Karel Privé", "06 9876 5432", "Eerste groep",
                     "Tweede groep", "Aanvraag dinsdag", "Geannuleerd", "contact@test.example", "/beheer/" })
        {
            Assert.DoesNotContain(secret, page);
        }
    }

    [Fact]
    public async Task A_room_out_of_use_reads_bezet_for_that_period_without_the_reason()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Plas");
        var zaal = await Data.RoomAsync(centre, "Natte zaal");
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(9, 0), new TimeOnly(17, 0));
        await Data.OpeningHoursAsync(centre, 2, new TimeOnly(9, 0), new TimeOnly(17, 0));
        // Out of use on Monday 1 March 2027 from 12:00 to 15:00 local time (UTC+1); a cancelled period on Tuesday does not count.
        await Data.ScalarAsync<long>("""
            insert into room_out_of_use (room_id, starts_at, ends_at, reason, created_at)
            values (@zaal, '2027-03-01 11:00+00', '2027-03-01 14:00+00', 'Lekkage boven het podium', now()) returning id
            """, new { zaal });
        await Data.ScalarAsync<long>("""
            insert into room_out_of_use (room_id, starts_at, ends_at, reason, created_at, cancelled_at)
            values (@zaal, '2027-03-02 08:00+00', '2027-03-02 16:00+00', 'Ingetrokken', now(), now()) returning id
            """, new { zaal });
        var slug = await Agenda.SlugAsync(centre);

        var page = await PageAsync($"/buurtcentra/{slug}/beschikbaarheid?week=2027-W09");

        var cells = WeekGridTests.Cells(WeekGridTests.Row(page, "Natte zaal"));
        Assert.Contains("09:00–12:00 <strong>Vrij</strong>", cells[0]);
        Assert.Contains("12:00–15:00 <strong>Bezet</strong>", cells[0]);
        Assert.Contains("15:00–17:00 <strong>Vrij</strong>", cells[0]);
        Assert.Contains("09:00–17:00 <strong>Vrij</strong>", cells[1]);
        Assert.DoesNotContain("Lekkage boven het podium", page);
    }

    [Fact]
    public async Task Closed_days_show_gesloten_with_the_reason_and_the_centre_page_links_here()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Dicht");
        await Data.RoomAsync(centre, "Zaal");
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centre, day, new TimeOnly(9, 0), new TimeOnly(17, 0));
        await Agenda.ClosureAsync(null, new(2027, 4, 27), new(2027, 4, 27), "Koningsdag");
        var slug = await Agenda.SlugAsync(centre);

        var page = await PageAsync($"/buurtcentra/{slug}/beschikbaarheid?datum=2027-04-28");
        var centrePage = await PageAsync($"/buurtcentra/{slug}");

        var cells = WeekGridTests.Cells(WeekGridTests.Row(page, "Zaal"));
        Assert.Contains("Gesloten: Koningsdag", cells[1]);
        Assert.Contains("09:00–17:00 <strong>Vrij</strong>", cells[0]);
        Assert.Contains($"href=\"/buurtcentra/{slug}/beschikbaarheid\"", centrePage);
        Assert.Contains($"href=\"/buurtcentra/{slug}/beschikbaarheid?week=2027-W18\"", page); // next week
    }

    [Fact]
    public async Task A_week_we_cannot_read_gives_a_message_and_unknown_or_inactive_centres_404()
    {
        var centre = await Data.CentreAsync();
        await Data.RoomAsync(centre, "Zaal");
        var inactive = await Data.CentreAsync();
        await Data.ScalarAsync<int>("update centres set active = false where id = @inactive returning 1", new { inactive });
        var client = new Browser(App).Client;

        var page = await PageAsync($"/buurtcentra/{await Agenda.SlugAsync(centre)}/beschikbaarheid?week=2027-W60");

        Assert.Contains(AgendaDates.WeekError, page);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/buurtcentra/bestaat-niet/beschikbaarheid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/buurtcentra/{await Agenda.SlugAsync(inactive)}/beschikbaarheid")).StatusCode);
    }
}
