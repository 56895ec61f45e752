using System.Net;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Agenda;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Tests.Agenda;

/// <summary>The week grid (/beheer/buurtcentra/{id}/week) and the day view (/dag) for staff.</summary>
public sealed class WeekGridTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private AgendaData Agenda => new(Data);

    private static async Task<string> PageAsync(Browser browser, string url) => WebUtility.HtmlDecode(await browser.GetPageAsync(url));

    [Fact]
    public async Task Week_grid_shows_confirmed_use_and_pending_requests_but_not_cancelled_or_rejected_ones()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Week");
        var room = await Data.RoomAsync(centre, "Grote zaal");
        var other = await Data.RoomAsync(centre, "Huiskamer");
        var koor = await Data.OrganisationAsync("Vereniging Buurtkoor", "gebruikersgroep");
        var confirmed = await Agenda.BookAsync(centre, room, "Buurtkoor", new(2027, 3, 1), new(19, 0), new(21, 0), organisationId: koor);
        var pending = await Agenda.BookAsync(centre, other, "Yoga in de ochtend", new(2027, 3, 2), new(10, 0), new(11, 30), "aangevraagd");
        await Agenda.BookAsync(centre, room, "Afgezegd feest", new(2027, 3, 3), new(20, 0), new(23, 0), "geannuleerd");
        await Agenda.BookAsync(centre, room, "Afgewezen disco", new(2027, 3, 4), new(20, 0), new(23, 0), "afgewezen");
        await Agenda.BookAsync(centre, room, "Te laat gepland", new(2027, 3, 8), new(10, 0), new(12, 0));
        await Agenda.BookAsync(centre, room, "Te vroeg gepland", new(2027, 2, 26), new(10, 0), new(12, 0));
        var browser = await AgendaData.StaffAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);

        var page = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/week?datum=2027-03-03");

        Assert.Contains("Week 9: 1 maart tot en met 7 maart 2027", page);
        Assert.Contains($"<a class=\"utrecht-link\" href=\"/beheer/reserveringen/{confirmed}\"><span class=\"agenda-time\">19:00–21:00</span> Buurtkoor (Vereniging Buurtkoor)</a>", page);
        Assert.Contains($"<li class=\"agenda-block agenda-block--pending\">", page);
        Assert.Contains($"<a class=\"utrecht-link\" href=\"/beheer/reserveringen/{pending}\"><span class=\"agenda-time\">10:00–11:30</span> Yoga in de ochtend</a>", page);
        Assert.Contains("<span class=\"agenda-badge\">aangevraagd</span>", page);
        Assert.DoesNotContain("Afgezegd feest", page);
        Assert.DoesNotContain("Afgewezen disco", page);
        Assert.DoesNotContain("Te laat gepland", page);
        Assert.DoesNotContain("Te vroeg gepland", page);
        Assert.Contains("1 reservering en 1 aanvraag", page);
        // Each booking sits in its room's row, in its day's column (maandag is the 1st cell after the room name).
        var grootRow = Row(page, "Grote zaal");
        Assert.Contains("Buurtkoor", Cells(grootRow)[0]);
        var huisRow = Row(page, "Huiskamer");
        Assert.Contains("Yoga in de ochtend", Cells(huisRow)[1]);
        Assert.DoesNotContain("Yoga", grootRow);
        // Navigation: previous and next week, and the day view per day.
        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/week?datum=2027-02-22\"", page);
        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/week?datum=2027-03-08\"", page);
        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/dag?datum=2027-03-07\"", page);
    }

    [Fact]
    public async Task A_booking_at_19_00_local_shows_19_00_on_both_sides_of_the_change_to_summer_time()
    {
        var centre = await Data.CentreAsync();
        var room = await Data.RoomAsync(centre, "Zaal");
        // Stored in UTC: 18:00Z is 19:00 in winter time, 17:00Z is 19:00 in summer time (from Sunday 28 March 2027).
        var winter = await Agenda.ReservationAsync(centre, room, "Koor in de winter");
        await Data.ScalarAsync<long>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@winter, @room, '2027-03-25', '2027-03-25 18:00Z', '2027-03-25 20:00Z', '2027-03-25 18:00Z', '2027-03-25 20:15Z', 'bevestigd', now()),
                   (@winter, @room, '2027-03-28', '2027-03-28 17:00Z', '2027-03-28 19:00Z', '2027-03-28 17:00Z', '2027-03-28 19:15Z', 'bevestigd', now()),
                   (@winter, @room, '2027-04-01', '2027-04-01 17:00Z', '2027-04-01 19:00Z', '2027-04-01 17:00Z', '2027-04-01 19:15Z', 'bevestigd', now())
            returning 1
            """, new { winter, room });
        var browser = await AgendaData.StaffAsync(App, Data, "functioneel_beheerder");

        var weekOfChange = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/week?datum=2027-03-28");
        var weekAfter = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/week?datum=2027-03-29");

        var cells = Cells(Row(weekOfChange, "Zaal"));
        Assert.Contains("19:00–21:00</span> Koor in de winter", cells[3]); // donderdag 25 maart, winter time
        Assert.Contains("19:00–21:00</span> Koor in de winter", cells[6]); // zondag 28 maart, summer time
        Assert.DoesNotContain("18:00", weekOfChange);
        Assert.Contains("19:00–21:00</span> Koor in de winter", Cells(Row(weekAfter, "Zaal"))[3]); // donderdag 1 april
        Assert.Contains("Week 13", weekAfter);
    }

    [Fact]
    public async Task Closed_days_are_marked_with_their_reason_and_a_booking_past_midnight_shows_on_both_days()
    {
        var centre = await Data.CentreAsync();
        var room = await Data.RoomAsync(centre, "Zaal");
        await Agenda.ClosureAsync(null, new(2027, 3, 3), new(2027, 3, 3), "Testfeestdag");
        await Agenda.ClosureAsync(centre, new(2027, 3, 5), new(2027, 3, 12), "Schilderwerk");
        await Agenda.BookAsync(centre, room, "Nachtcafé", new(2027, 2, 28), new(23, 0), new(1, 30));
        var browser = await AgendaData.StaffAsync(App, Data, "functioneel_beheerder");

        var page = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/week?datum=2027-03-01");
        var previous = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/week?datum=2027-02-28");

        Assert.Contains("Gesloten: Testfeestdag", page);
        Assert.Equal(3, page.Split("Gesloten: Schilderwerk").Length - 1); // vrijdag, zaterdag, zondag
        Assert.Contains("00:00–01:30</span> Nachtcafé", Cells(Row(page, "Zaal"))[0]);
        Assert.Contains("23:00–24:00</span> Nachtcafé", Cells(Row(previous, "Zaal"))[6]);
    }

    [Fact]
    public async Task Without_a_date_the_week_of_today_by_the_clock_is_shown_and_a_bad_date_gives_a_message()
    {
        // An app of its own with a clock far from the shared one (other tests rely on maandag 23 november 2026).
        await using var app = new AppFactory(Fixture.Database);
        app.Time.SetUtcNow(new DateTimeOffset(2027, 5, 12, 22, 30, 0, TimeSpan.Zero)); // donderdag 13 mei 00:30 in Utrecht
        var today = AmsterdamTime.Today(app.Time);
        Assert.Equal(new DateOnly(2027, 5, 13), today);
        var centre = await Data.CentreAsync();
        await Data.RoomAsync(centre, "Zaal");
        var browser = await AgendaData.StaffAsync(app, Data, "functioneel_beheerder");

        var page = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/week");
        var bad = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/week?datum=31-02-2027");
        var badDay = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/dag?datum=morgen");

        Assert.Contains("Week 19: 10 mei tot en met 16 mei 2027", page);
        Assert.Contains(AgendaDates.DateError, bad);
        Assert.Contains("aria-invalid=\"true\"", bad);
        Assert.Contains("Week 19:", bad);
        Assert.Contains(AgendaDates.DateError, badDay);
        Assert.Contains(AgendaDates.Long(today), badDay);
    }

    [Fact]
    public async Task Day_view_lists_the_confirmed_use_of_the_day_in_time_order_with_contact_and_key()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Balie");
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        var kamer = await Data.RoomAsync(centre, "Huiskamer");
        await Data.OpeningHoursAsync(centre, 1, new TimeOnly(9, 0), new TimeOnly(22, 0));
        var club = await Data.OrganisationAsync("Klaverjasclub De Boer", "gebruikersgroep");
        await Agenda.BookAsync(centre, zaal, "Klaverjassen", new(2027, 3, 1), new(19, 30), new(22, 0), organisationId: club,
            contactName: "Truus Vermeulen", contactPhone: "06 1111 2222", needsKey: true, participants: 16);
        await Agenda.BookAsync(centre, kamer, "Koffieochtend", new(2027, 3, 1), new(9, 30), new(11, 0), contactName: "Piet Post",
            contactPhone: null, participants: 8);
        await Agenda.BookAsync(centre, kamer, "Nog niet beslist", new(2027, 3, 1), new(13, 0), new(14, 0), "aangevraagd");
        await Agenda.BookAsync(centre, kamer, "Dinsdagactiviteit", new(2027, 3, 2), new(9, 30), new(11, 0));
        var browser = await AgendaData.StaffAsync(App, Data, "sociaal_beheerder", centreIds: [centre]);

        var page = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/dag?datum=2027-03-01");

        Assert.Contains("maandag 1 maart 2027", page);
        Assert.Contains("Open: 09:00–22:00 uur.", page);
        var morning = page.IndexOf("Koffieochtend", StringComparison.Ordinal);
        var evening = page.IndexOf("Klaverjassen", StringComparison.Ordinal);
        Assert.True(morning > 0 && evening > morning, "The day's use is listed in time order");
        Assert.Contains("09:30–11:00", page);
        Assert.Contains("19:30–22:00", page);
        Assert.Contains("Klaverjasclub De Boer", page);
        Assert.Contains("Truus Vermeulen", page);
        Assert.Contains("06 1111 2222", page);
        Assert.Contains("Piet Post", page);
        Assert.Contains("<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">16</td>", page);
        Assert.Single(page.Split("sleutel nodig").Skip(1));
        Assert.DoesNotContain("Nog niet beslist", page);
        Assert.DoesNotContain("Dinsdagactiviteit", page);
        Assert.Contains("<script src=\"/js/print.js", page);
        Assert.Contains("data-print hidden", page);
    }

    [Fact]
    public async Task Stadsbedrijven_reads_the_day_view_without_contact_details()
    {
        var centre = await Data.CentreAsync();
        var zaal = await Data.RoomAsync(centre, "Grote zaal");
        await Agenda.BookAsync(centre, zaal, "Klaverjassen", new(2027, 3, 1), new(19, 30), new(22, 0), contactName: "Truus Vermeulen",
            contactPhone: "06 1111 2222");
        var browser = await AgendaData.StaffAsync(App, Data, "stadsbedrijven");

        var page = await PageAsync(browser, $"/beheer/buurtcentra/{centre}/dag?datum=2027-03-01");

        Assert.Contains("Klaverjassen", page);
        Assert.DoesNotContain("Truus Vermeulen", page);
        Assert.DoesNotContain("06 1111 2222", page);
    }

    [Fact]
    public async Task A_beheerder_of_another_centre_gets_404_a_gebruiker_is_refused_and_anonymous_must_sign_in()
    {
        var centre = await Data.CentreAsync("Buurtcentrum Verborgen");
        var room = await Data.RoomAsync(centre, "Zaal");
        await Agenda.BookAsync(centre, room, "Geheime activiteit", new(2027, 3, 1), new(19, 0), new(21, 0));
        var otherCentre = await Data.CentreAsync();
        var beheerder = await AgendaData.StaffAsync(App, Data, "sociaal_beheerder", centreIds: [otherCentre]);
        var gebruiker = await AgendaData.GebruikerAsync(App, Data);
        var anonymous = new Browser(App);

        foreach (var path in new[] { "week", "dag" })
        {
            var url = $"/beheer/buurtcentra/{centre}/{path}?datum=2027-03-01";
            var asBeheerder = await beheerder.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, asBeheerder.StatusCode);
            Assert.DoesNotContain("Geheime activiteit", await asBeheerder.Content.ReadAsStringAsync());

            var asGebruiker = await gebruiker.Client.GetAsync(url);
            Assert.True(asGebruiker.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                || asGebruiker.Headers.Location?.OriginalString.Contains("/geen-toegang") == true, $"{url} as gebruiker gave {(int)asGebruiker.StatusCode}");

            var asAnonymous = await anonymous.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, asAnonymous.StatusCode);
            Assert.Contains("/inloggen", asAnonymous.Headers.Location!.OriginalString);

            Assert.Equal(HttpStatusCode.NotFound, (await beheerder.Client.GetAsync($"/beheer/buurtcentra/999999/{path}")).StatusCode);
        }
    }

    [Fact]
    public async Task The_centre_overview_links_to_the_week_grid_and_the_day_view()
    {
        var centre = await Data.CentreAsync();
        var browser = await AgendaData.StaffAsync(App, Data, "stadsbedrijven");

        var page = await browser.GetPageAsync($"/beheer/buurtcentra/{centre}");

        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/week\"", page);
        Assert.Contains($"href=\"/beheer/buurtcentra/{centre}/dag\"", page);
    }

    /// <summary>The table row whose header cell is the room name.</summary>
    internal static string Row(string page, string room)
    {
        var match = System.Text.RegularExpressions.Regex.Match(page, $"<th scope=\"row\" class=\"utrecht-table__header-cell\">\\s*{System.Text.RegularExpressions.Regex.Escape(room)}\\s*<");
        Assert.True(match.Success, $"No row for {room}");
        var end = page.IndexOf("</tr>", match.Index, StringComparison.Ordinal);
        return page[match.Index..end];
    }

    /// <summary>The seven day cells of a row, maandag first.</summary>
    internal static IReadOnlyList<string> Cells(string row)
    {
        var cells = row.Split("<td class=\"utrecht-table__cell\">").Skip(1).ToList();
        Assert.Equal(7, cells.Count);
        return cells;
    }
}
