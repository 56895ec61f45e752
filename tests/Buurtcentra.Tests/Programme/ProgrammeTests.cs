using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Programme;

/// <summary>
/// The public programme (/buurtcentra/{slug}/programma, /wijken/{slug}/programma, /wijken): confirmed public activities
/// this week and next in Utrecht time, nothing else, and no names, e-mail addresses or phone numbers.
/// The app clock starts at maandag 23 november 2026 10:00 Utrecht time (week 48).
/// </summary>
public sealed partial class ProgrammeTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private ProgrammeData Programme => new(Data);

    private async Task<string> PageAsync(string url) => WebUtility.HtmlDecode(await new Browser(App).GetPageAsync(url));

    private sealed record Found(string Day, string Centre, string Item);

    /// <summary>The activity's card, the day heading it is under and (wijk page) the centre heading; it must be on the page once.</summary>
    private static Found Find(string page, string activity)
    {
        var all = FindAll(page, activity);
        Assert.True(all.Count == 1, $"'{activity}' is {all.Count} times on the page");
        return all[0];
    }

    private static List<Found> FindAll(string page, string activity)
    {
        var title = $"<p class=\"programme-item__title\">{activity}</p>";
        var found = new List<Found>();
        for (var at = page.IndexOf(title, StringComparison.Ordinal); at >= 0; at = page.IndexOf(title, at + 1, StringComparison.Ordinal))
        {
            var item = page[page.LastIndexOf("<li class=\"programme-item", at, StringComparison.Ordinal)..page.IndexOf("</li>", at, StringComparison.Ordinal)];
            found.Add(new Found(HeadingBefore(page, "h3", at), HeadingBefore(page, "h4", at), item));
        }
        return found;
    }

    private static string HeadingBefore(string page, string tag, int at)
    {
        var start = page.LastIndexOf($"<{tag} ", at, StringComparison.Ordinal);
        if (start < 0) return "";
        var end = page.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        return TagPattern().Replace(page[start..end], "").Trim();
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    private async Task<(long Centre, long Room, string Slug)> CentreAsync(string name, short wijkId = 7, string room = "Grote zaal")
    {
        var centre = await Data.CentreAsync(name, wijkId: wijkId);
        var roomId = await Data.RoomAsync(centre, room);
        return (centre, roomId, await Programme.SlugAsync(centre));
    }

    [Fact]
    public async Task Shows_this_week_and_next_by_Utrecht_day_and_only_confirmed_public_activities()
    {
        var (centre, room, slug) = await CentreAsync("Buurtcentrum Het Programma");
        // Just after midnight on maandag 23 november (still sunday in UTC): this week.
        var early = await Programme.ActivityAsync(centre, room, "Nachtwandeling", new(2026, 11, 23), new(0, 30), new(1, 30));
        var koor = await Programme.ActivityAsync(centre, room, "Buurtkoor", new(2026, 12, 1), new(19, 0), new(21, 0), targetGroups: ["ouderen", "iedereen"]);
        await Programme.ActivityAsync(centre, room, "Filmavond", new(2026, 12, 6), new(23, 0), new(0, 15));
        // Outside the two weeks: zondag 22 november 23:30 and maandag 7 december 00:30 (sunday in UTC).
        await Programme.ActivityAsync(centre, room, "Te vroeg", new(2026, 11, 22), new(23, 30), new(23, 45));
        await Programme.ActivityAsync(centre, room, "Te laat", new(2026, 12, 7), new(0, 30), new(1, 0));
        // Not on the programme, not confirmed, cancelled, declined.
        await Programme.ActivityAsync(centre, room, "Besloten vergadering", new(2026, 11, 24), new(10, 0), new(12, 0), isPublic: false);
        await Programme.ActivityAsync(centre, room, "Aanvraag yoga", new(2026, 11, 25), new(10, 0), new(12, 0), status: "aangevraagd");
        await Programme.ActivityAsync(centre, room, "Afgelast feest", new(2026, 11, 26), new(10, 0), new(12, 0), occurrenceStatus: "geannuleerd");
        await Programme.ActivityAsync(centre, room, "Afgewezen markt", new(2026, 11, 27), new(10, 0), new(12, 0), status: "afgewezen");

        var page = await PageAsync($"/buurtcentra/{slug}/programma");

        Assert.Contains("<h1 class=\"utrecht-heading-1\">Programma van Buurtcentrum Het Programma</h1>", page);
        Assert.Contains("Deze week <span class=\"programme-range\">(week 48: 23 november tot en met 29 november 2026)</span>", page);
        Assert.Contains("Volgende week <span class=\"programme-range\">(week 49: 30 november tot en met 6 december 2026)</span>", page);

        var night = Find(page, "Nachtwandeling");
        Assert.Equal("maandag 23 november (vandaag)", night.Day);
        Assert.Contains("00:30 tot 01:30 uur", night.Item);
        Assert.Contains($"href=\"/programma/activiteiten/{early}.ics\" download>Zet in mijn agenda<span class=\"visually-hidden\"> (Nachtwandeling, maandag 23 november 2026 om 00:30 uur)</span>", night.Item);

        var choir = Find(page, "Buurtkoor");
        Assert.Equal("dinsdag 1 december", choir.Day);
        Assert.Contains("19:00 tot 21:00 uur", choir.Item);
        Assert.Contains("<dt>Ruimte</dt><dd>Grote zaal</dd>", choir.Item);
        Assert.Contains("<dt>Voor wie</dt><dd>Iedereen uit de buurt, Ouderen</dd>", choir.Item);
        Assert.Contains("Vrij toegankelijk", choir.Item);
        Assert.Contains($"href=\"/programma/activiteiten/{koor}.ics\"", choir.Item);

        var film = Find(page, "Filmavond");
        Assert.Equal("zondag 6 december", film.Day);
        Assert.Contains("23:00 tot maandag 00:15 uur", film.Item);

        Assert.True(page.IndexOf("Nachtwandeling", StringComparison.Ordinal) < page.IndexOf("Buurtkoor", StringComparison.Ordinal));
        foreach (var hidden in new[] { "Te vroeg", "Te laat", "Besloten vergadering", "Aanvraag yoga", "Afgelast feest", "Afgewezen markt" })
        {
            Assert.DoesNotContain(hidden, page);
        }
        Assert.Contains($"href=\"webcal://localhost/agenda/buurtcentra/{slug}.ics\">Abonneer op de agenda van dit buurtcentrum</a>", page);
        Assert.Contains($"href=\"http://localhost/agenda/buurtcentra/{slug}.ics\"", page);
        Assert.Contains("href=\"/wijken/zuid/programma\"", page);
    }

    [Fact]
    public async Task Times_stay_right_across_the_change_to_summer_time_and_back()
    {
        var (centre, room, slug) = await CentreAsync("Buurtcentrum Zomertijd");
        // Summer time starts zondag 28 maart 2027 at 02:00; winter time zondag 25 oktober 2026 at 03:00.
        await Programme.ActivityAsync(centre, room, "Zaterdag winter", new(2027, 3, 27), new(14, 0), new(16, 0));
        await Programme.ActivityAsync(centre, room, "Zondag zomer", new(2027, 3, 28), new(14, 0), new(16, 0));
        await Programme.ActivityAsync(centre, room, "Door de nacht", new(2027, 3, 27), new(23, 0), new(4, 0));
        await Programme.ActivityAsync(centre, room, "Maandag na de wissel", new(2027, 4, 5), new(9, 0), new(10, 0));
        await Programme.ActivityAsync(centre, room, "Oktober zaterdag", new(2026, 10, 24), new(10, 0), new(12, 0));
        await Programme.ActivityAsync(centre, room, "Oktober zondag", new(2026, 10, 25), new(10, 0), new(12, 0));
        await Programme.ActivityAsync(centre, room, "Oktober maandag", new(2026, 10, 26), new(10, 0), new(12, 0));

        var spring = await PageAsync($"/buurtcentra/{slug}/programma?week=2027-W12");
        Assert.Contains("Week 12 <span class=\"programme-range\">(week 12: 22 maart tot en met 28 maart 2027)</span>", spring);
        Assert.Contains("Week 13 <span class=\"programme-range\">(week 13: 29 maart tot en met 4 april 2027)</span>", spring);
        Assert.Equal("zaterdag 27 maart", Find(spring, "Zaterdag winter").Day);
        Assert.Contains("14:00 tot 16:00 uur", Find(spring, "Zaterdag winter").Item);
        Assert.Equal("zondag 28 maart", Find(spring, "Zondag zomer").Day);
        Assert.Contains("14:00 tot 16:00 uur", Find(spring, "Zondag zomer").Item);
        Assert.Contains("23:00 tot zondag 04:00 uur", Find(spring, "Door de nacht").Item);
        Assert.DoesNotContain("Maandag na de wissel", spring);
        Assert.Contains("In deze week staan er geen activiteiten op het programma.", spring); // week 13 is empty
        Assert.Contains($"href=\"/buurtcentra/{slug}/programma?week=2027-W10\"", spring);
        Assert.Contains($"href=\"/buurtcentra/{slug}/programma?week=2027-W14\"", spring);
        Assert.Contains($"href=\"/buurtcentra/{slug}/programma\">Deze week</a>", spring);

        var autumn = await PageAsync($"/buurtcentra/{slug}/programma?week=2026-w43");
        Assert.Equal("zaterdag 24 oktober", Find(autumn, "Oktober zaterdag").Day);
        Assert.Equal("zondag 25 oktober", Find(autumn, "Oktober zondag").Day);
        Assert.Equal("maandag 26 oktober", Find(autumn, "Oktober maandag").Day);
        foreach (var name in new[] { "Oktober zaterdag", "Oktober zondag", "Oktober maandag" })
        {
            Assert.Contains("10:00 tot 12:00 uur", Find(autumn, name).Item);
        }
    }

    [Fact]
    public async Task A_public_booking_made_by_a_beheerder_shows_without_any_personal_data_and_a_cancelled_date_disappears()
    {
        var (centre, room, slug) = await CentreAsync("Buurtcentrum De Privacy");
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centre, day, new TimeOnly(9, 0), new TimeOnly(23, 0));
        var group = await Data.OrganisationAsync("Stichting Geheimhouding", "gebruikersgroep", "bewonersinitiatief");
        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centre])));

        var fields = new List<KeyValuePair<string, string>>
        {
            new("centrum", ""), new("RoomId", room.ToString()), new("Date", "2026-11-24"), new("StartTime", "19:00"), new("EndTime", "21:00"),
            new("Repeat", "wekelijks"), new("EndsBy", "datum"), new("Until", "2026-12-01"), new("Activity", "Repair Café"),
            new("Category", "bewonersinitiatief"), new("Participants", "15"), new("TargetGroups", "ouderen"), new("IsPublic", "true"),
            new("OrganisationId", group.ToString()), new("ContactName", ProgrammeData.ContactName),
            new("ContactEmail", ProgrammeData.ContactEmail), new("ContactPhone", ProgrammeData.ContactPhone), new("actie", "versturen"),
        };
        var booked = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={room}", "/reserveren/nieuw", fields);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var id = await Data.ScalarAsync<long>("select max(id) from reservations");
        Assert.True(await Data.ScalarAsync<bool>("select is_public from reservations where id = @id", new { id }));
        fields[8] = new("Activity", "Besloten bestuur");
        fields[12] = new("IsPublic", "false");
        fields[4] = new("EndTime", "17:00");
        fields[3] = new("StartTime", "15:00");
        Assert.Equal(HttpStatusCode.Redirect, (await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={room}", "/reserveren/nieuw", fields)).StatusCode);

        var page = await PageAsync($"/buurtcentra/{slug}/programma");
        var wijkPage = await PageAsync("/wijken/zuid/programma");

        Assert.Equal(["dinsdag 24 november", "dinsdag 1 december"], FindAll(page, "Repair Café").Select(f => f.Day));
        Assert.Equal(["dinsdag 24 november", "dinsdag 1 december"], FindAll(wijkPage, "Repair Café").Select(f => f.Day));
        Assert.All(FindAll(page, "Repair Café"), f => Assert.Contains("<dt>Voor wie</dt><dd>Ouderen</dd>", f.Item));
        Assert.All(FindAll(page, "Repair Café"), f => Assert.Contains("19:00 tot 21:00 uur", f.Item));
        foreach (var html in new[] { page, wijkPage })
        {
            foreach (var secret in new[] { ProgrammeData.ContactName, "Karel", ProgrammeData.ContactEmail, "voorbeeld.nl", ProgrammeData.ContactPhone,
                         "0698765432", "Stichting Geheimhouding", "Besloten bestuur", "@test.example" })
            {
                Assert.DoesNotContain(secret, html, StringComparison.OrdinalIgnoreCase);
            }
            Assert.DoesNotMatch(EmailPattern(), html);
        }

        await beheerder.PostFormAsync($"/beheer/reserveringen/{id}", $"/beheer/reserveringen/{id}/annuleren", ("scope", "datum"), ("seriesDate", "2026-11-24"));
        var after = await PageAsync($"/buurtcentra/{slug}/programma");
        Assert.Equal("dinsdag 1 december", Find(after, "Repair Café").Day);
    }

    [Fact]
    public async Task An_activity_in_a_room_that_is_out_of_use_then_shows_that_it_cannot_take_place_there()
    {
        var (centre, room, slug) = await CentreAsync("Buurtcentrum De Waterkant");
        var otherRoom = await Data.RoomAsync(centre, "Kleine zaal");
        await Programme.ActivityAsync(centre, room, "Zangkoor", new DateOnly(2026, 11, 25), new TimeOnly(19, 0), new TimeOnly(21, 0));
        await Programme.ActivityAsync(centre, room, "Yoga", new DateOnly(2026, 12, 2), new TimeOnly(19, 0), new TimeOnly(21, 0));
        await Programme.ActivityAsync(centre, otherRoom, "Schaakclub", new DateOnly(2026, 11, 25), new TimeOnly(19, 0), new TimeOnly(21, 0));
        // The Grote zaal is out of use on 25 November (a leak); a cancelled period on 2 December no longer counts.
        await Data.ScalarAsync<int>("""
            insert into room_out_of_use (room_id, starts_at, ends_at, reason, created_at, cancelled_at)
            values (@room, '2026-11-25 08:00Z', '2026-11-25 23:00Z', 'Lekkage plafond', now(), null),
                   (@room, '2026-12-02 08:00Z', '2026-12-02 23:00Z', 'Lekkage', now(), now())
            returning 1
            """, new { room });

        var page = await PageAsync($"/buurtcentra/{slug}/programma");
        var off = Find(page, "Zangkoor").Item;
        Assert.Contains("programme-item--off", off);
        Assert.Contains("Gaat niet door in Grote zaal:</strong> de ruimte is dan buiten gebruik.", off);
        Assert.DoesNotContain("Zet in mijn agenda", off);
        Assert.DoesNotContain("Lekkage plafond", page); // the reason is for staff
        foreach (var running in new[] { "Yoga", "Schaakclub" })
        {
            var item = Find(page, running).Item;
            Assert.DoesNotContain("Gaat niet door", item);
            Assert.Contains("Zet in mijn agenda", item);
        }
        Assert.Contains("Gaat niet door in Grote zaal", Find(await PageAsync("/wijken/zuid/programma"), "Zangkoor").Item);
    }

    [GeneratedRegex(@"[^\s@<>""]+@[^\s@<>""]+\.[a-z]{2,}")]
    private static partial Regex EmailPattern();

    [Fact]
    public async Task The_wijk_page_shows_only_that_wijks_centres_grouped_by_day_then_centre()
    {
        var (aCentre, aRoom, aSlug) = await CentreAsync("Buurtcentrum Anemoon", wijkId: 7, room: "Zaal Anemoon");
        var (bCentre, bRoom, _) = await CentreAsync("Buurtcentrum Berk", wijkId: 7, room: "Zaal Berk");
        var (cCentre, cRoom, _) = await CentreAsync("Buurtcentrum Overkant", wijkId: 3, room: "Zaal Overkant");
        var (dCentre, dRoom, _) = await CentreAsync("Buurtcentrum Dicht", wijkId: 7, room: "Zaal Dicht");
        await Data.ScalarAsync<int>("update centres set active = false where id = @dCentre returning 1", new { dCentre });
        // Berk starts earlier that day, but centres are listed by name within a day.
        await Programme.ActivityAsync(bCentre, bRoom, "Berk ochtend", new(2026, 11, 25), new(9, 0), new(10, 0));
        await Programme.ActivityAsync(aCentre, aRoom, "Anemoon middag", new(2026, 11, 25), new(14, 0), new(15, 0));
        await Programme.ActivityAsync(aCentre, aRoom, "Anemoon volgende week", new(2026, 12, 2), new(14, 0), new(15, 0));
        await Programme.ActivityAsync(cCentre, cRoom, "Overvecht bingo", new(2026, 11, 25), new(14, 0), new(15, 0));
        await Programme.ActivityAsync(dCentre, dRoom, "Gesloten centrum", new(2026, 11, 25), new(14, 0), new(15, 0));

        var zuid = await PageAsync("/wijken/zuid/programma");

        Assert.Contains("<h1 class=\"utrecht-heading-1\">Programma van de buurtcentra in Zuid</h1>", zuid);
        Assert.Equal(new Found("woensdag 25 november", "Buurtcentrum Berk", ""), Find(zuid, "Berk ochtend") with { Item = "" });
        Assert.Equal(new Found("woensdag 25 november", "Buurtcentrum Anemoon", ""), Find(zuid, "Anemoon middag") with { Item = "" });
        Assert.Equal(new Found("woensdag 2 december", "Buurtcentrum Anemoon", ""), Find(zuid, "Anemoon volgende week") with { Item = "" });
        Assert.True(zuid.IndexOf("Anemoon middag", StringComparison.Ordinal) < zuid.IndexOf("Berk ochtend", StringComparison.Ordinal));
        Assert.DoesNotContain("Overvecht bingo", zuid);
        Assert.DoesNotContain("Buurtcentrum Overkant", zuid);
        Assert.DoesNotContain("Gesloten centrum", zuid);
        Assert.DoesNotContain("Buurtcentrum Dicht", zuid);
        Assert.Contains($"href=\"/buurtcentra/{aSlug}/programma\">Programma van Buurtcentrum Anemoon</a>", zuid);
        Assert.Contains("href=\"webcal://localhost/agenda/wijken/zuid.ics\">Abonneer op de agenda van deze wijk</a>", zuid);

        var overvecht = await PageAsync("/wijken/overvecht/programma");
        Assert.Equal("Buurtcentrum Overkant", Find(overvecht, "Overvecht bingo").Centre);
        Assert.DoesNotContain("Anemoon", overvecht);

        var wijken = await PageAsync("/wijken");
        Assert.Contains("href=\"/wijken/zuid/programma\"", wijken);
        Assert.Contains("href=\"/wijken/vleuten-de-meern/programma\"", wijken);
        Assert.Contains($"href=\"/buurtcentra/{aSlug}\">Buurtcentrum Anemoon</a>", wijken);
        Assert.DoesNotContain("Buurtcentrum Dicht", wijken);
        Assert.Equal(10, Regex.Matches(wijken, "href=\"/wijken/[a-z-]+/programma\"").Count);
    }

    [Fact]
    public async Task Unknown_slugs_and_inactive_centres_give_404_and_a_week_we_cannot_read_gives_a_message()
    {
        var (centre, room, slug) = await CentreAsync("Buurtcentrum Weg");
        await Programme.ActivityAsync(centre, room, "Deze week iets", new(2026, 11, 26), new(10, 0), new(11, 0));
        var client = new Browser(App).Client;

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/buurtcentra/bestaat-niet/programma")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/wijken/bestaat-niet/programma")).StatusCode);
        var notFound = await client.GetAsync("/wijken/atlantis/programma?week=2027-W10");
        Assert.Contains("Pagina niet gevonden", await notFound.Content.ReadAsStringAsync());

        var wrongWeek = await PageAsync($"/buurtcentra/{slug}/programma?week=2026-W99");
        Assert.Contains("Deze week kennen we niet.", wrongWeek);
        Assert.Equal("donderdag 26 november", Find(wrongWeek, "Deze week iets").Day);
        Assert.Equal("donderdag 26 november", Find(await PageAsync($"/buurtcentra/{slug}/programma?week=<script>"), "Deze week iets").Day);

        await Data.ScalarAsync<int>("update centres set active = false where id = @centre returning 1", new { centre });
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/buurtcentra/{slug}/programma")).StatusCode);
    }

    [Fact]
    public async Task The_centre_page_and_the_centre_list_link_to_the_programme()
    {
        var (_, _, slug) = await CentreAsync("Buurtcentrum Wegwijzer");

        Assert.Contains($"href=\"/buurtcentra/{slug}/programma\"", await PageAsync($"/buurtcentra/{slug}"));
        Assert.Contains("href=\"/wijken\"", await PageAsync("/buurtcentra"));
        var empty = await PageAsync($"/buurtcentra/{slug}/programma");
        Assert.Equal(2, Regex.Matches(empty, "In deze week staan er geen activiteiten op het programma.").Count);
    }

    [Fact]
    public async Task The_clock_decides_which_weeks_are_this_week_and_next()
    {
        var (centre, room, slug) = await CentreAsync("Buurtcentrum Klok");
        await Programme.ActivityAsync(centre, room, "Week 50 activiteit", new(2026, 12, 9), new(10, 0), new(11, 0));
        Assert.DoesNotContain("Week 50 activiteit", await PageAsync($"/buurtcentra/{slug}/programma"));

        // Zondag 29 november 23:30 Utrecht time is still week 48; one hour later it is maandag in week 49.
        App.Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 22, 30, 0, TimeSpan.Zero));
        Assert.DoesNotContain("Week 50 activiteit", await PageAsync($"/buurtcentra/{slug}/programma"));
        App.Time.Advance(TimeSpan.FromHours(1));
        var page = await PageAsync($"/buurtcentra/{slug}/programma");
        Assert.Equal("woensdag 9 december", Find(page, "Week 50 activiteit").Day);
        Assert.Contains("Deze week <span class=\"programme-range\">(week 49:", page);
    }
}
