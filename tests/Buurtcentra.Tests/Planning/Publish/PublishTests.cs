using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Planning.Board;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Dapper;

namespace Buurtcentra.Tests.Planning.Publish;

public sealed class PublishTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private PlanningSeed Seed => new(Fixture.Database.DataSource);

    private sealed record World(long Centre, long Zaal1, long Zaal2, long Round, long Koor, long Yoga, long Breien, long Schaak, long AdHoc,
        long KoorAllocation);

    /// <summary>
    /// Season 4 January – 27 June 2027, voorjaarsvakantie 20–28 February (round closure), Koningsdag 27 April (the centre's
    /// own closure day). Koor weekly Tuesday 19:00–21:00 in Zaal 1 (an ad-hoc booking is there on 9 March), Yoga every other
    /// week, week 2, Wednesday in Zaal 2, Breien monthly on the first Thursday, Schaak not granted.
    /// </summary>
    private async Task<World> WorldAsync(string phase = "vastgesteld")
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Boog");
        await Seed.OpenAllWeekAsync(centre);
        var zaal1 = await Data.RoomAsync(centre, "Zaal 1", capacity: 40);
        var zaal2 = await Data.RoomAsync(centre, "Zaal 2", capacity: 40);
        var round = await Seed.RoundAsync([centre], phase);
        await Seed.ClosureAsync(round, new DateOnly(2027, 2, 20), new DateOnly(2027, 2, 28), "Voorjaarsvakantie");
        await Data.ScalarAsync<int>("""
            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
            values (null, '2027-04-27', '2027-04-27', 'feestdag', 'Koningsdag', now()) returning 1
            """);
        var koorclub = await Data.OrganisationAsync("Zangvereniging Zuilen", "gebruikersgroep");
        var koor = await Seed.WishAsync(round, centre, "Koor Zuilen", "Zangvereniging Zuilen", [new(zaal1, 2, "19:00")], "huiskamer",
            participants: 30, organisationId: koorclub, email: "koor@test.example");
        var yoga = await Seed.WishAsync(round, centre, "Stoelyoga", "Yoga voor ouderen", [new(zaal2, 3, "19:00")],
            frequency: "tweewekelijks", duration: 90, email: "yoga@test.example");
        var breien = await Seed.WishAsync(round, centre, "Breiclub", "Breiclub De Steek", [new(zaal2, 4, "10:00")],
            frequency: "maandelijks", email: "brei@test.example");
        var schaak = await Seed.WishAsync(round, centre, "Schaakavond", "Schaakclub", [new(zaal1, 2, "19:00")], email: "schaak@test.example");
        var proposal = await Seed.ProposalAsync(round, 1,
            new SeedAllocation(koor, zaal1, 2, "19:00", "21:00", 0, 1),
            new SeedAllocation(yoga, zaal2, 3, "19:00", "20:30", 2, 1),
            new SeedAllocation(breien, zaal2, 4, "10:00", "12:00", 1, 1),
            new SeedAllocation(schaak, Explanation: new WishExplanation(schaak, Outcome.NotGranted, null,
                [new OptionReason(1, [new Reason(ReasonKind.TakenBy) { BlockingWishId = koor, HigherPriority = true }])],
                [new FreeSlot(centre, zaal2, 2, 1140, 1260, 0)])));
        var adHoc = await Data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, contact_name, contact_email, activity, category, participants, tariff, status, created_at, updated_at)
            values (@centre, @zaal1, 'Buurman', 'buurman@test.example', 'Verjaardag buurman', 'bewonersinitiatief', 20, 'om_niet', 'bevestigd', now(), now())
            returning id
            """, new { centre, zaal1 });
        await Data.ScalarAsync<int>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@adHoc, @zaal1, '2027-03-09', '2027-03-09 18:30Z', '2027-03-09 19:30Z', '2027-03-09 18:30Z', '2027-03-09 19:45Z', 'bevestigd', now())
            returning 1
            """, new { adHoc, zaal1 });
        var koorAllocation = await Data.ScalarAsync<long>("select id from planning_allocations where proposal_id = @proposal and wish_id = @koor", new { proposal, koor });
        return new World(centre, zaal1, zaal2, round, koor, yoga, breien, schaak, adHoc, koorAllocation);
    }

    private async Task<Browser> BeheerderAsync(params long[] centreIds)
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: centreIds)));
        return browser;
    }

    private static string Url(World w) => $"/beheer/planning/rondes/{w.Round}/publiceren";

    private async Task<List<DateOnly>> DatesAsync(string activity)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<DateOnly>("""
            select o.series_date from occurrences o join reservations r on r.id = o.reservation_id
            where r.activity = @activity and o.status = 'bevestigd' order by o.series_date
            """, new { activity })).ToList();
    }

    private async Task<string> PhaseAsync(long roundId) => await Data.ScalarAsync<string>("select phase from planning_rounds where id = @roundId", new { roundId });

    [Fact]
    public async Task The_dry_run_lists_the_dates_the_closures_and_the_bookings_in_the_way_without_changing_anything()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(w)));

        Assert.Contains("Proef: wat publiceren doet", page);
        Assert.Contains("22 keer, dinsdag 5 januari 2027 tot en met dinsdag 22 juni 2027", page); // 25 Tuesdays − vakantie − Koningsdag − 9 maart
        Assert.Contains("dinsdag 23 februari 2027 (Voorjaarsvakantie)", page);
        Assert.Contains("dinsdag 27 april 2027 (Koningsdag)", page);
        Assert.Contains($"href=\"/beheer/reserveringen/{w.AdHoc}\"", page);
        Assert.Contains("dinsdag 9 maart 2027: ‘Verjaardag buurman’ van Buurman, Zaal 1, 19:30–20:30", page);
        Assert.Contains("11 keer, woensdag 13 januari 2027", page); // every other week, week 2: starts in the season's second week
        Assert.Contains("6 keer, donderdag 7 januari 2027 tot en met donderdag 3 juni 2027", page);
        Assert.Contains("Publiceren: 3 reeksen maken", page);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
        Assert.Equal("vastgesteld", await PhaseAsync(w.Round));
    }

    [Fact]
    public async Task Publishing_creates_the_series_through_the_reservations_code_skips_closures_and_lists_conflicts_instead_of_overwriting()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        var response = await browser.PostFormAsync(Url(w), Url(w));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("gepubliceerd", await PhaseAsync(w.Round));
        Assert.Equal("vastgesteld>gepubliceerd", await Data.ScalarAsync<string>(
            "select from_phase || '>' || to_phase from planning_phase_log where round_id = @Round", w));
        Assert.Equal(3, await Data.ScalarAsync<int>("select count(*)::int from reservations where status = 'bevestigd' and remarks = 'Voorkeursplanning Seizoen 2027'"));

        var koor = await DatesAsync("Koor Zuilen");
        Assert.Equal(22, koor.Count);
        Assert.DoesNotContain(new DateOnly(2027, 2, 23), koor);
        Assert.DoesNotContain(new DateOnly(2027, 4, 27), koor);
        Assert.DoesNotContain(new DateOnly(2027, 3, 9), koor);
        Assert.Equal("Voorjaarsvakantie", await Data.ScalarAsync<string>(
            "select s.reason from reservation_skipped_dates s join reservations r on r.id = s.reservation_id where r.activity = 'Koor Zuilen' and s.local_date = '2027-02-23'"));
        // 19:00 stays 19:00 after the clocks change.
        Assert.Equal("19:00", await Data.ScalarAsync<string>("""
            select to_char(o.starts_at at time zone 'Europe/Amsterdam', 'HH24:MI') from occurrences o join reservations r on r.id = o.reservation_id
            where r.activity = 'Koor Zuilen' and o.series_date = '2027-06-22'
            """));

        var yoga = await DatesAsync("Stoelyoga");
        Assert.Equal(new DateOnly(2027, 1, 13), yoga[0]);
        Assert.All(yoga, d => Assert.Equal(0, ((d.DayNumber - new DateOnly(2027, 1, 4).DayNumber) / 7 + 1) % 2));
        Assert.Equal(11, yoga.Count);
        Assert.Equal([new(2027, 1, 7), new(2027, 2, 4), new(2027, 3, 4), new(2027, 4, 1), new(2027, 5, 6), new(2027, 6, 3)], await DatesAsync("Breiclub"));

        // The ad-hoc booking is untouched and the date is listed for the beheerder.
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from occurrences where reservation_id = @AdHoc and status = 'bevestigd'", w));
        Assert.Equal($"2027-03-09 {w.AdHoc}", await Data.ScalarAsync<string>(
            "select concat_ws(' ', local_date, conflicting_reservation_id) from planning_publish_conflicts where allocation_id = @KoorAllocation", w));
        Assert.Equal(3, await Data.ScalarAsync<int>("select count(*)::int from planning_publications where reservation_id is not null"));

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(w)));
        Assert.Contains("De ronde is gepubliceerd. 3 reeksen zijn gemaakt. 1 datum is overgeslagen", page);
        Assert.Contains("Overgeslagen omdat er al een reservering was", page);
        Assert.Contains("dinsdag 9 maart 2027", page);
        Assert.Contains($"‘Verjaardag buurman’ van Buurman, Zaal 1, 19:30–20:30 (reservering {w.AdHoc})", page);
        var figures = WebUtility.HtmlDecode(await browser.GetPageAsync($"/beheer/planning/rondes/{w.Round}/cijfers"));
        Assert.Contains("Gepubliceerd rooster (versie 1).", figures);
        Assert.Contains("<li>Schaakclub</li>", figures);
    }

    [Fact]
    public async Task Each_granted_group_gets_its_confirmation_with_invitation_and_reason_and_a_group_with_nothing_gets_the_reason_and_free_places()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);

        await browser.PostFormAsync(Url(w), Url(w));

        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        var mails = (await connection.QueryAsync<(string Kind, string ToAddress, string TextBody, bool HasIcs)>(
            "select kind, to_address, text_body, calendar_ics is not null from outbox order by id")).ToList();
        Assert.Equal(["brei@test.example", "koor@test.example", "yoga@test.example"], mails.Where(m => m.Kind == "bevestigd").Select(m => m.ToAddress).Order());
        Assert.All(mails.Where(m => m.Kind == "bevestigd"), m => Assert.True(m.HasIcs));
        var koor = mails.Single(m => m.ToAddress == "koor@test.example");
        Assert.Contains("Dit is het resultaat van de voorkeursplanning ‘Seizoen 2027’. Toegekend: eerste keus (Zaal 1, dinsdag 19:00–21:00).", koor.TextBody.ReplaceLineEndings(" "));
        var result = Assert.Single(mails, m => m.Kind == "planning_resultaat");
        Assert.Equal("schaak@test.example", result.ToAddress);
        Assert.Contains("Schaakavond (Buurtcentrum De Boog): Niet toegekend: keus 1 (Zaal 1, di 19:00) ging naar ‘Koor Zuilen’ van Zangvereniging Zuilen", result.TextBody.ReplaceLineEndings(" "));
        Assert.Contains("Wel vrij: Zaal 2, dinsdag 19:00–21:00 (zelfde buurtcentrum).", result.TextBody.ReplaceLineEndings(" "));
        Assert.DoesNotContain("koor@test.example", result.TextBody);
        Assert.Equal(4, mails.Count); // one mail per series, one result mail; nothing twice
    }

    [Fact]
    public async Task Publishing_twice_does_nothing_twice()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        await browser.PostFormAsync(Url(w), Url(w));
        var reservations = await Data.ScalarAsync<int>("select count(*)::int from reservations");
        var mails = await Data.ScalarAsync<int>("select count(*)::int from outbox");

        var again = await browser.PostFormAsync(Url(w), Url(w));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(reservations, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
        Assert.Equal(mails, await Data.ScalarAsync<int>("select count(*)::int from outbox"));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from planning_phase_log"));
        Assert.Contains("Deze ronde is al gepubliceerd.", WebUtility.HtmlDecode(await browser.GetPageAsync(Url(w))));
    }

    [Fact]
    public async Task A_publication_that_stops_half_way_keeps_the_round_adopted_and_a_retry_continues_where_it_stopped()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        await Data.ScalarAsync<int>("update rooms set active = false where id = @Zaal2 returning 1", w);

        await browser.PostFormAsync(Url(w), Url(w));

        Assert.Equal("vastgesteld", await PhaseAsync(w.Round));
        Assert.Equal(["Koor Zuilen"], (await Fixture.Database.DataSource.OpenConnection().QueryAsync<string>("select activity from reservations where remarks is not null")).ToList());
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from outbox where kind = 'planning_resultaat'"));
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(w)));
        Assert.Contains("niet alles kon worden gepubliceerd", page);
        Assert.Contains("Zaal 2 is op dit moment niet te reserveren", page);
        Assert.Contains("Gepubliceerd: reservering", page);

        await Data.ScalarAsync<int>("update rooms set active = true where id = @Zaal2 returning 1", w);
        await browser.PostFormAsync(Url(w), Url(w));

        Assert.Equal("gepubliceerd", await PhaseAsync(w.Round));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from reservations where activity = 'Koor Zuilen'"));
        Assert.Equal(3, await Data.ScalarAsync<int>("select count(*)::int from reservations where remarks is not null"));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from outbox where kind = 'planning_resultaat'"));
        Assert.Equal(3, await Data.ScalarAsync<int>("select count(*)::int from outbox where kind = 'bevestigd'"));
    }

    [Fact]
    public async Task Publishing_only_happens_in_the_adopted_phase()
    {
        var w = await WorldAsync("concept_gedeeld");
        var browser = await BeheerderAsync(w.Centre);

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(w)));
        Assert.DoesNotContain("reeksen maken", page);
        await browser.PostFormAsync(Url(w), Url(w));

        Assert.Contains("Publiceren kan alleen in de fase ‘Vastgesteld’", WebUtility.HtmlDecode(await browser.GetPageAsync(Url(w))));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
        Assert.Equal("concept_gedeeld", await PhaseAsync(w.Round));
    }

    [Fact]
    public async Task Only_someone_who_manages_every_centre_of_the_round_publishes_and_another_centres_beheerder_gets_404()
    {
        var w = await WorldAsync();
        var second = await Data.CentreAsync("Buurtcentrum Tweede");
        await Data.ScalarAsync<int>("insert into planning_round_centres (round_id, centre_id) values (@Round, @second) returning 1", new { w.Round, second });

        var partial = await BeheerderAsync(w.Centre);
        Assert.Contains("Publiceren kan alleen iemand die alle buurtcentra van deze ronde beheert", WebUtility.HtmlDecode(await partial.GetPageAsync(Url(w))));
        await partial.PostFormAsync(Url(w), Url(w));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from reservations"));

        var other = await BeheerderAsync(await Data.CentreAsync("Buurtcentrum Ergens Anders"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(Url(w))).StatusCode);

        var both = await BeheerderAsync(w.Centre, second);
        await both.PostFormAsync(Url(w), Url(w));
        Assert.Equal("gepubliceerd", await PhaseAsync(w.Round));
    }

    /// <summary>The row of the activity in the table of series (th scope=row … /tr).</summary>
    private static string Row(string page, string activity)
    {
        var match = Regex.Match(page, $"<th scope=\"row\" class=\"utrecht-table__header-cell\">{Regex.Escape(activity)} .*?</tr>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No row for {activity}");
        return match.Value;
    }

    [Fact]
    public async Task After_publishing_the_table_lists_only_the_other_bookings_in_the_way_with_what_they_are_never_the_series_own_dates()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        await browser.PostFormAsync(Url(w), Url(w));
        var koorSeries = await Data.ScalarAsync<long>("select id from reservations where activity = 'Koor Zuilen'");
        var yogaSeries = await Data.ScalarAsync<long>("select id from reservations where activity = 'Stoelyoga'");

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(Url(w)));

        Assert.Contains("Gepubliceerde reeksen", page);
        var koor = Row(page, "Koor Zuilen");
        Assert.Contains("22 keer, dinsdag 5 januari 2027 tot en met dinsdag 22 juni 2027", koor);
        Assert.Contains("dinsdag 23 februari 2027 (Voorjaarsvakantie)", koor);
        // One booking in the way, with what it is; the series' own reservation is linked once: in the status column.
        Assert.Contains($"<a class=\"utrecht-link\" href=\"/beheer/reserveringen/{w.AdHoc}\">dinsdag 9 maart 2027: ‘Verjaardag buurman’ van Buurman, Zaal 1, 19:30–20:30", koor);
        Assert.Single(Regex.Matches(koor, $"href=\"/beheer/reserveringen/{koorSeries}\""));
        Assert.Contains($"Gepubliceerd: reservering {koorSeries}", koor);
        Assert.DoesNotContain("de ruimte is dan al bezet", koor);
        var yoga = Row(page, "Stoelyoga");
        Assert.Contains("11 keer, woensdag 13 januari 2027", yoga);
        Assert.Equal([$"href=\"/beheer/reserveringen/{yogaSeries}\""], Regex.Matches(yoga, "href=\"/beheer/reserveringen/\\d+\"").Select(m => m.Value));
    }

    /// <summary>A real season: 6 September 2027 – 16 July 2028, more than 400 days (the horizon) after today, 23 November 2026.</summary>
    private static readonly (DateOnly Start, DateOnly End) RealSeason = (new DateOnly(2027, 9, 6), new DateOnly(2028, 7, 16));

    [Fact]
    public async Task A_full_september_to_july_season_is_published_whole_although_it_ends_beyond_the_booking_horizon()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Boog");
        await Seed.OpenAllWeekAsync(centre);
        var zaal = await Data.RoomAsync(centre, "Zaal 1", capacity: 40);
        var round = await Seed.RoundAsync([centre], "vastgesteld", "Seizoen 2027-2028", RealSeason.Start, RealSeason.End);
        var koor = await Seed.WishAsync(round, centre, "Koor Zuilen", "Zangvereniging Zuilen", [new(zaal, 2, "19:00")], email: "koor@test.example");
        await Seed.ProposalAsync(round, 1, new SeedAllocation(koor, zaal, 2, "19:00", "21:00", 0, 1));
        var browser = await BeheerderAsync(centre);
        var url = $"/beheer/planning/rondes/{round}/publiceren";
        var tuesdays = Enumerable.Range(0, 60).Select(i => new DateOnly(2027, 9, 7).AddDays(7 * i)).Where(d => d <= RealSeason.End).ToList();
        Assert.True(tuesdays[^1] > DateOnly.FromDateTime(AppFactory.Start.UtcDateTime).AddDays(400)); // the horizon would refuse it

        var dryRun = WebUtility.HtmlDecode(await browser.GetPageAsync(url));
        Assert.Contains($"{tuesdays.Count} keer, dinsdag 7 september 2027 tot en met dinsdag 11 juli 2028", dryRun);
        Assert.DoesNotContain("dagen vooruit", dryRun);
        Assert.Contains("Klaar om te publiceren", dryRun);

        await browser.PostFormAsync(url, url);

        Assert.Equal("gepubliceerd", await PhaseAsync(round));
        Assert.Equal(tuesdays, await DatesAsync("Koor Zuilen"));
        Assert.Contains("De ronde is gepubliceerd. 1 reeks is gemaakt.", WebUtility.HtmlDecode(await browser.GetPageAsync(url)));
    }

    [Fact]
    public async Task The_horizon_still_limits_what_a_gebruiker_asks_for_themselves_and_a_form_cannot_switch_it_off()
    {
        var centre = await Data.CentreAsync("Buurtcentrum De Boog");
        await Seed.OpenAllWeekAsync(centre);
        var zaal = await Data.RoomAsync(centre, "Zaal 1", capacity: 40);
        var group = await Data.OrganisationAsync("Zangvereniging Zuilen", "gebruikersgroep", "bewonersinitiatief");
        var gebruiker = new Browser(App);
        await gebruiker.SignInWithLinkAsync(App, await Data.EmailOfAsync(await Data.UserAsync("gebruiker", group)));
        var page = $"/reserveren/nieuw?ruimte={zaal}";

        var response = await gebruiker.PostFormAsync(page, "/reserveren/nieuw",
            ("RoomId", zaal.ToString()), ("Date", "2027-09-07"), ("StartTime", "19:00"), ("EndTime", "21:00"), ("Repeat", "wekelijks"),
            ("EndsBy", "datum"), ("Until", "2028-07-11"), ("Activity", "Koor"), ("Category", "bewonersinitiatief"), ("Participants", "15"),
            ("ContactPhone", "030 123 4567"), ("actie", "versturen"), ("IgnoreHorizon", "true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("U kunt tot 400 dagen vooruit reserveren", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from reservations"));
    }

    [Fact]
    public async Task A_date_left_out_can_be_marked_resolved()
    {
        var w = await WorldAsync();
        var browser = await BeheerderAsync(w.Centre);
        await browser.PostFormAsync(Url(w), Url(w));
        var conflictId = await Data.ScalarAsync<long>("select id from planning_publish_conflicts");

        var response = await browser.PostFormAsync(Url(w), $"{Url(w)}/opgelost", ("conflictId", conflictId.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from planning_publish_conflicts where resolved_at is not null"));
        Assert.Contains("Opgelost op", WebUtility.HtmlDecode(await browser.GetPageAsync(Url(w))));
    }
}
