using System.Globalization;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Time;
using Ical.Net.DataTypes;
using Microsoft.Playwright;
using MimeKit;
using IcalCalendar = Ical.Net.Calendar;

namespace Buurtcentra.EndToEnd;

/// <summary>
/// The whole reservation flow in the browser, at phone width: an initiative asks for a weekly series, the beheerder
/// approves it, the series shows in the week grid and the confirmation mail carries a calendar invitation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReservationFlowTests(BrowserFixture fixture)
{
    private const string Activity = "Buurtkoor De Klankkast";
    private const string Group = "Zangvereniging Klankkast";
    private const string Room = "Klankkastzaal";
    private const int Times = 6;

    [Fact]
    public async Task An_initiative_requests_a_weekly_series_the_beheerder_approves_it_and_it_shows_in_the_week_grid_and_the_mail()
    {
        // Arrange: a centre open every evening, one room, a user group with a gebruiker, and the centre's sociaal beheerder.
        var data = fixture.Data;
        var centreId = await data.CentreAsync("Buurtcentrum De Klankkast");
        var roomId = await data.RoomAsync(centreId, Room, capacity: 30);
        for (var weekday = 1; weekday <= 7; weekday++) await data.OpeningHoursAsync(centreId, weekday, new TimeOnly(9, 0), new TimeOnly(23, 0));
        var groupId = await data.OrganisationAsync(Group, "gebruikersgroep", "bewonersinitiatief");
        var gebruikerEmail = await data.EmailOfAsync(await data.UserAsync("gebruiker", groupId));
        var beheerderEmail = await data.EmailOfAsync(await data.UserAsync("sociaal_beheerder", centreIds: [centreId]));

        // The first Tuesday at least two weeks after the app's "today", then every week, six times.
        var today = AmsterdamTime.Today(fixture.App.Time);
        var first = today.AddDays(14);
        while (first.DayOfWeek != DayOfWeek.Tuesday) first = first.AddDays(1);
        var dates = Enumerable.Range(0, Times).Select(i => first.AddDays(7 * i)).ToList();

        // 1. The gebruiker signs in with a link from the mail and asks for the series.
        var gebruiker = await fixture.NewPhonePageAsync();
        await SignIn.WithLinkAsync(gebruiker, fixture.App, gebruikerEmail, checkPages: true);

        await gebruiker.GotoAsync($"/reserveren/nieuw?ruimte={roomId}");
        await Assertions.Expect(gebruiker.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ruimte aanvragen in Buurtcentrum De Klankkast");
        await gebruiker.AssertAccessibleAsync();

        await gebruiker.GetByLabel("Datum (de eerste keer)").FillAsync(Iso(first));
        await gebruiker.GetByLabel("Begintijd").FillAsync("19:00");
        await gebruiker.GetByLabel("Eindtijd").FillAsync("21:00");
        await gebruiker.GetByLabel("Elke week of om de paar weken").CheckAsync();
        await gebruiker.GetByText("Herhaling instellen").ClickAsync();
        await gebruiker.GetByLabel("Om de hoeveel weken?").FillAsync("1");
        await gebruiker.GetByLabel("Een aantal keer").CheckAsync();
        await gebruiker.GetByRole(AriaRole.Textbox, new() { Name = "Aantal keer" }).FillAsync(Times.ToString(CultureInfo.InvariantCulture));
        await gebruiker.GetByLabel($"{Room} (tot 30 personen)").CheckAsync();
        await gebruiker.GetByLabel("Naam van de activiteit").FillAsync(Activity);
        await gebruiker.GetByLabel("Soort activiteit").SelectOptionAsync(new SelectOptionValue { Label = "Bewonersinitiatief" });
        await gebruiker.GetByLabel("Hoeveel mensen komen er ongeveer?").FillAsync("18");
        await gebruiker.GetByLabel("Hoe versterkt uw activiteit het buurtcentrum?").FillAsync("Nieuwe bezoekers: we zingen ook op de buurtmiddag.");
        await gebruiker.GetByLabel("Telefoonnummer").FillAsync("030 123 4567");

        // Check first: every date is free, and the form keeps what was typed.
        await gebruiker.GetByRole(AriaRole.Button, new() { Name = "Controleer beschikbaarheid en prijs" }).ClickAsync();
        var preview = gebruiker.GetByRole(AriaRole.Region, new() { Name = "Zo ziet uw aanvraag eruit" });
        await Assertions.Expect(preview).ToBeVisibleAsync();
        await Assertions.Expect(preview.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(dates.Select(d => $"{LongDate(d)}: vrij").ToArray());
        await Assertions.Expect(gebruiker.GetByLabel("Naam van de activiteit")).ToHaveValueAsync(Activity);
        await Assertions.Expect(gebruiker.GetByRole(AriaRole.Textbox, new() { Name = "Aantal keer" })).ToHaveValueAsync(Times.ToString(CultureInfo.InvariantCulture));
        await gebruiker.AssertAccessibleAsync();

        await gebruiker.GetByRole(AriaRole.Button, new() { Name = "Aanvraag versturen" }).ClickAsync();
        await Assertions.Expect(gebruiker).ToHaveURLAsync(new Regex(@"/mijn/reserveringen/\d+$"));
        await Assertions.Expect(gebruiker.GetByRole(AriaRole.Status)).ToContainTextAsync("Uw aanvraag is verstuurd");
        await Assertions.Expect(gebruiker.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Activity);
        var reservationId = long.Parse(new Uri(gebruiker.Url).Segments[^1], CultureInfo.InvariantCulture);
        await AssertDatesTableAsync(gebruiker, dates, "Aangevraagd");
        await gebruiker.AssertAccessibleAsync();

        // 2. The beheerder finds the request in the queue and approves it with a message.
        var beheerder = await fixture.NewPhonePageAsync();
        await beheerder.GotoAsync("/inloggen");
        await beheerder.GetByLabel("E-mailadres").First.FillAsync(beheerderEmail);
        await beheerder.GetByLabel("Wachtwoord").FillAsync(TestData.Password);
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();
        await Assertions.Expect(beheerder).ToHaveURLAsync(new Regex("/beheer/buurtcentra$"));

        await beheerder.GotoAsync("/beheer/aanvragen");
        var card = beheerder.GetByRole(AriaRole.Listitem).Filter(new() { Has = beheerder.GetByRole(AriaRole.Link, new() { Name = Activity }) });
        await Assertions.Expect(card).ToContainTextAsync($"Buurtcentrum De Klankkast, {Room}");
        await Assertions.Expect(card).ToContainTextAsync($"{LongDate(first)}, 19:00–21:00 ({Times} data)");
        await Assertions.Expect(card).ToContainTextAsync($"({Group})");
        await beheerder.AssertAccessibleAsync();

        await card.GetByRole(AriaRole.Link, new() { Name = Activity }).ClickAsync();
        await Assertions.Expect(beheerder).ToHaveURLAsync(new Regex($"/beheer/reserveringen/{reservationId}$"));
        await Assertions.Expect(beheerder.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Activity);
        await AssertDatesTableAsync(beheerder, dates, "Aangevraagd");
        await beheerder.AssertAccessibleAsync();

        await beheerder.GetByLabel("Bericht voor de aanvrager").FillAsync("Welkom! De sleutel ligt bij de balie.");
        await beheerder.GetByRole(AriaRole.Button, new() { Name = "Goedkeuren" }).ClickAsync();
        await Assertions.Expect(beheerder.GetByRole(AriaRole.Status)).ToContainTextAsync("De aanvraag is goedgekeurd");
        await AssertDatesTableAsync(beheerder, dates, "Bevestigd");
        await Assertions.Expect(beheerder.GetByRole(AriaRole.Button, new() { Name = "Goedkeuren" })).ToHaveCountAsync(0);
        await beheerder.AssertAccessibleAsync();

        // 3. The week grid of the first date shows the activity in the room's row on Tuesday, and only there; so does the next week.
        foreach (var date in dates.Take(2))
        {
            await beheerder.GotoAsync($"/beheer/buurtcentra/{centreId}/week?datum={Iso(date)}");
            await AssertWeekGridShowsAsync(beheerder, date, reservationId);
            await beheerder.AssertAccessibleAsync();
        }

        // 4. The confirmation mail reaches the gebruiker, with an invitation for the whole series.
        var uid = await data.ScalarAsync<Guid>("select uid from reservations where id = @reservationId", new { reservationId });
        var mail = await SignIn.WaitForMailAsync(fixture.App, gebruikerEmail, m => (m.Subject ?? "").StartsWith("Bevestigd:", StringComparison.Ordinal));
        Assert.Equal($"Bevestigd: {Activity} in Buurtcentrum De Klankkast", mail.Subject);
        Assert.Contains("De beheerder schrijft: Welkom! De sleutel ligt bij de balie.", mail.TextBody);

        var calendarPart = Assert.Single(mail.BodyParts.OfType<TextPart>(), p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.Equal("REQUEST", calendarPart.ContentType.Parameters["method"]);
        Assert.Contains(mail.Attachments, a => a.ContentDisposition?.FileName == "invite.ics");
        // The bytes as a calendar client reads them (TextPart.Text would turn CRLF into LF).
        using var content = new MemoryStream();
        calendarPart.Content!.DecodeTo(content);
        var ics = System.Text.Encoding.UTF8.GetString(content.ToArray());
        var lines = ics.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n");
        Assert.Contains("METHOD:REQUEST", lines);
        Assert.Contains("BEGIN:VTIMEZONE", lines);
        Assert.Contains($"DTSTART;TZID=Europe/Amsterdam:{first:yyyyMMdd}T190000", lines);

        var calendar = IcalCalendar.Load(ics)!;
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal("Europe/Amsterdam", Assert.Single(calendar.TimeZones).TzId);
        var series = Assert.Single(calendar.Events);
        Assert.Equal($"{uid}@buurtcentra.utrecht.example", series.Uid);
        Assert.Equal(Activity, series.Summary);
        Assert.Equal("Europe/Amsterdam", series.DtStart!.TzId);
        Assert.Equal(first.ToDateTime(new TimeOnly(19, 0)), series.DtStart.Value);
        Assert.Equal(first.ToDateTime(new TimeOnly(21, 0)), series.DtEnd!.Value);
        Assert.Equal($"mailto:{gebruikerEmail}", Assert.Single(series.Attendees).Value!.ToString());
        var rule = series.RecurrenceRule!;
        // The series ends with UNTIL on its last date (a COUNT would count again from DTSTART); the dates follow below.
        Assert.Equal((Ical.Net.FrequencyType.Weekly, null), (rule.Frequency, rule.Count));
        Assert.NotNull(rule.Until);
        var occurrences = calendar.GetOccurrences(new CalDateTime(today.Year, today.Month, today.Day, 0, 0, 0, "Europe/Amsterdam"), null)
            .Select(o => o.Period.StartTime.Value).ToList();
        Assert.Equal(dates.Select(d => d.ToDateTime(new TimeOnly(19, 0))), occurrences);
    }

    /// <summary>Asks for a login link on the real login page, takes it from the delivered mail and uses it.</summary>
    /// <summary>The "Data" table of a reservation lists exactly these dates, 19:00–21:00 in the room, with this status.</summary>
    private static async Task AssertDatesTableAsync(IPage page, IReadOnlyList<DateOnly> dates, string status)
    {
        var rows = page.GetByRole(AriaRole.Table).Last.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(dates.Count);
        for (var i = 0; i < dates.Count; i++)
        {
            var cells = rows.Nth(i).Locator("td");
            await Assertions.Expect(cells.Nth(0)).ToHaveTextAsync(LongDate(dates[i]));
            await Assertions.Expect(cells.Nth(1)).ToHaveTextAsync("19:00–21:00");
            await Assertions.Expect(cells.Nth(2)).ToHaveTextAsync(Room);
            await Assertions.Expect(cells.Nth(3)).ToHaveTextAsync(status);
        }
    }

    private static async Task AssertWeekGridShowsAsync(IPage page, DateOnly date, long reservationId)
    {
        var grid = page.GetByRole(AriaRole.Table, new() { NameRegex = new Regex("^Bezetting per ruimte") });
        var column = ((int)date.DayOfWeek + 6) % 7; // Monday first
        // The column is the date's column: its heading links to that day.
        await Assertions.Expect(grid.Locator("thead th").Nth(column + 1).GetByRole(AriaRole.Link))
            .ToHaveAttributeAsync("href", new Regex($"/dag\\?datum={Iso(date)}$"));
        var row = grid.Locator("tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = Room }) });
        var cells = row.Locator("td");
        await Assertions.Expect(cells).ToHaveCountAsync(7);
        var block = cells.Nth(column).GetByRole(AriaRole.Link, new() { Name = $"19:00–21:00 {Activity} ({Group})" });
        await Assertions.Expect(block).ToBeVisibleAsync();
        await Assertions.Expect(block).ToHaveAttributeAsync("href", new Regex($"/beheer/reserveringen/{reservationId}$"));
        await Assertions.Expect(cells.Nth(column)).Not.ToContainTextAsync("aangevraagd");
        for (var other = 0; other < 7; other++)
        {
            if (other != column) await Assertions.Expect(cells.Nth(other)).ToBeEmptyAsync();
        }
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string LongDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("nl-NL"));

}
