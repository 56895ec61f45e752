using System.Net;
using Buurtcentra.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Buurtcentra.Tests.Authorisation;

/// <summary>
/// Walks every management route (/beheer/...) with every role. Proves on the server that nobody reaches what
/// their role does not allow, and that a beheerder of centre A gets nothing of centre B – not by guessing ids,
/// not by posting B's id in a form – and changes nothing there.
/// </summary>
public sealed class AuthorisationWalkTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private const string Admin = "functioneel_beheerder", Beheerder = "sociaal_beheerder", Coordinator = "smo_coordinator",
        Stadsbedrijven = "stadsbedrijven", Gebruiker = "gebruiker";

    /// <summary>
    /// Every /beheer route and the staff roles that may open it for a centre they are responsible for.
    /// A new management route must be added here, or this test fails: that is the point.
    /// </summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["GET /beheer/buurtcentra"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["GET /beheer/buurtcentra/nieuw"] = [Admin],
        ["POST /beheer/buurtcentra/nieuw"] = [Admin],
        ["GET /beheer/buurtcentra/{centreId}"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["GET /beheer/buurtcentra/{centreId}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/buurtcentra/{centreId}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/buurtcentra/{centreId}/openingstijden"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/buurtcentra/{centreId}/openingstijden"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/buurtcentra/{centreId}/ruimtes/nieuw"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/buurtcentra/{centreId}/ruimtes/nieuw"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/ruimtes/{roomId}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/ruimtes/{roomId}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/sluitingsdagen"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["GET /beheer/sluitingsdagen/nieuw"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/sluitingsdagen/nieuw"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/sluitingsdagen/{id}/verwijderen"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/organisaties"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/organisaties/nieuw"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/organisaties/nieuw"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/organisaties/{id}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/organisaties/{id}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/gebruikers"] = [Admin],
        ["GET /beheer/gebruikers/nieuw"] = [Admin],
        ["POST /beheer/gebruikers/nieuw"] = [Admin],
        ["GET /beheer/gebruikers/{id}/bewerken"] = [Admin],
        ["POST /beheer/gebruikers/{id}/bewerken"] = [Admin],
        // Reserveringen
        ["GET /beheer/aanvragen"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/reserveringen/{id}"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/reserveringen/{id}/goedkeuren"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/reserveringen/{id}/afwijzen"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/reserveringen/{id}/annuleren"] = [Admin, Beheerder, Coordinator],
        // Series editing and proposals
        ["GET /beheer/reserveringen/{id}/wijzigen"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/reserveringen/{id}/wijzigen"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/reserveringen/{id}/voorstel"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/reserveringen/{id}/voorstel"] = [Admin, Beheerder, Coordinator],
        // Overzichten (Agenda): week grid and day view, read-only, also for Stadsbedrijven
        ["GET /beheer/buurtcentra/{centreId}/week"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["GET /beheer/buurtcentra/{centreId}/dag"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        // Vergoeding en facturatie (Features/Tariffs)
        ["GET /beheer/buurtcentra/{centreId}/vergoeding"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/buurtcentra/{centreId}/vergoeding"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/buurtcentra/{centreId}/facturatie"] = [Admin, Beheerder, Coordinator],
        // MailLog: the mail of one's own centres; retrying a failed mail is for functioneel beheer.
        ["GET /beheer/mail"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/mail/{id}"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/mail/{id}/opnieuw"] = [Admin],
        // Meldingen (technisch en facilitair beheer): the werkbak of one's own centres (Stadsbedrijven: all centres, also to
        // act on); target times for Stadsbedrijven and functioneel beheer; the QR code of a room for its beheerders.
        ["GET /beheer/meldingen"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["GET /beheer/meldingen/export.csv"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["GET /beheer/meldingen/{id}"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["POST /beheer/meldingen/{id}/status"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["POST /beheer/meldingen/{id}/reactie"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["POST /beheer/meldingen/{id}/buiten-gebruik"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["GET /beheer/meldingen/cijfers"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["GET /beheer/meldingen/streeftijden"] = [Admin, Stadsbedrijven],
        ["POST /beheer/meldingen/streeftijden"] = [Admin, Stadsbedrijven],
        ["GET /beheer/ruimtes/{roomId}/qr"] = [Admin, Beheerder, Coordinator],
        // Voorkeursplanning: rondes, fases, sluitingen, prioriteitsbeleid, wensen namens groepen, doorrollen (Features/Planning Round*, Policy*, Wish*, Rollover*).
        // Per round: seen by whoever manages one of its centres, changed by whoever manages all of them; Stadsbedrijven has no part in it.
        ["GET /beheer/planning"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/nieuw"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/nieuw"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{id}"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{id}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/fase"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/doorrollen"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{id}/sluitingen"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/sluitingen"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/sluitingen/overnemen"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/sluitingen/{closureId}/verwijderen"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{id}/beleid"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/beleid"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/beleid/blokken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/beleid/blokken/{blockId}/verwijderen"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{id}/wensen"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{id}/wensen/nieuw"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/wensen/nieuw"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{id}/wensen/{wishId}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/wensen/{wishId}/bewerken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{id}/wensen/{wishId}/intrekken"] = [Admin, Beheerder, Coordinator],
        // Voorkeursplanning, planbord (Features/Planning: Board*, Run*, Publish*, Figures*): whoever manages a centre of the round
        ["GET /beheer/planning/rondes/{roundId}/planbord"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{roundId}/planbord/{centreId}"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{roundId}/planbord/{centreId}/vastzetten"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{roundId}/planbord/{centreId}/losmaken"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{roundId}/planbord/{centreId}/niet-toekennen"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{roundId}/planbord/{centreId}/verplaatsen"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{roundId}/versies"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{roundId}/berekening"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{roundId}/berekening/{runId}"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{roundId}/berekening/{runId}/status"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{roundId}/publiceren"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{roundId}/publiceren"] = [Admin, Beheerder, Coordinator],
        ["POST /beheer/planning/rondes/{roundId}/publiceren/opgelost"] = [Admin, Beheerder, Coordinator],
        ["GET /beheer/planning/rondes/{roundId}/cijfers"] = [Admin, Beheerder, Coordinator],
        // Meldingen (part 2): planning and cancelling a repair visit, as buiten gebruik.
        ["POST /beheer/meldingen/{id}/bezoek"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
        ["POST /beheer/meldingen/{id}/bezoek/afzeggen"] = [Admin, Beheerder, Coordinator, Stadsbedrijven],
    };

    private sealed record World(long SmoX, long SmoY, long CentreA, long CentreB, long RoomA, long RoomB,
        long ClosureA, long ClosureB, long Group, long OtherUser, Dictionary<string, string> Emails)
    {
        public long MailA { get; init; }
        public long MailB { get; init; }
        public long ReservationA { get; init; }
        public long ReservationB { get; init; }
        public long MeldingA { get; init; }
        public long MeldingB { get; init; }
        // Voorkeursplanning: a concept round per centre, with a wish, a closure period and a protected block each.
        public PlanningIds PlanningA { get; init; } = null!;
        public PlanningIds PlanningB { get; init; } = null!;
        public long RoundA { get; init; }
        public long RoundB { get; init; }
        public long RunA { get; init; }
        public long RunB { get; init; }
    }

    private sealed record PlanningIds(long Round, long Wish, long Closure, long Block);

    private const string SecretCentre = "Buurtcentrum Verboden Terrein", SecretRoom = "Geheime Zaal", SecretClosure = "Sluiting alleen voor B";

    [Fact]
    public void Every_management_route_has_an_authorisation_rule()
    {
        var routes = ManagementRoutes();
        var missing = routes.Except(Allowed.Keys).ToList();
        var stale = Allowed.Keys.Except(routes).ToList();
        Assert.True(missing.Count == 0, "Routes without a rule in AuthorisationWalkTests.Allowed: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rules for routes that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_login_page_on_every_management_route()
    {
        var world = await BuildWorldAsync();
        var browser = new Browser(App);
        foreach (var route in ManagementRoutes())
        {
            var response = await SendAsync(browser, route, world, ownCentre: true, token: await browser.TokenFromAsync("/inloggen"));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/inloggen"),
                $"{route} as anonymous gave {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [Fact]
    public async Task A_gebruiker_gets_no_management_route()
    {
        var world = await BuildWorldAsync();
        var browser = await SignedInAsync(Gebruiker, world);
        var token = await browser.TokenFromAsync("/inloggen");
        foreach (var route in ManagementRoutes())
        {
            var response = await SendAsync(browser, route, world, ownCentre: true, token);
            Assert.True(IsRefused(response), $"{route} as gebruiker gave {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData(Admin)]
    [InlineData(Beheerder)]
    [InlineData(Coordinator)]
    [InlineData(Stadsbedrijven)]
    public async Task Each_staff_role_opens_exactly_the_pages_its_rule_allows_for_its_own_centre(string role)
    {
        var world = await BuildWorldAsync();
        var browser = await SignedInAsync(role, world);
        foreach (var route in ManagementRoutes().Where(r => r.StartsWith("GET ", StringComparison.Ordinal)))
        {
            var response = await SendAsync(browser, route, world, ownCentre: true, token: null);
            if (Allowed[route].Contains(role))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route} as {role} should open but gave {(int)response.StatusCode}");
            }
            else
            {
                Assert.True(IsRefused(response), $"{route} as {role} should be refused but gave {(int)response.StatusCode}");
            }
        }
    }

    [Theory]
    [InlineData(Beheerder)]
    [InlineData(Coordinator)]
    [InlineData(Stadsbedrijven)]
    public async Task Nobody_reaches_or_changes_another_centre_by_guessing_its_ids(string role)
    {
        var world = await BuildWorldAsync();
        var browser = await SignedInAsync(role, world);
        var token = await browser.TokenFromAsync("/beheer/buurtcentra");
        var before = await SnapshotAsync();

        foreach (var route in ManagementRoutes())
        {
            var response = await SendAsync(browser, route, world, ownCentre: false, token);
            var body = await response.Content.ReadAsStringAsync();
            if (role != Stadsbedrijven)
            {
                Assert.True(!body.Contains(SecretRoom) && !body.Contains(SecretClosure), $"{route} as {role} shows centre B's room or closure");
            }

            var targetsCentre = route.Contains('{') && !route.Contains("/organisaties/") && !route.Contains("/gebruikers/")
                // Stadsbedrijven works on the meldingen of every centre (the snapshot still proves the junk form changed nothing).
                && !(role == Stadsbedrijven && route.Contains("/meldingen/"));
            var isWrite = route.StartsWith("POST ", StringComparison.Ordinal);
            if (targetsCentre && (isWrite || role != Stadsbedrijven))
            {
                Assert.True(IsRefused(response), $"{route} as {role} on centre B gave {(int)response.StatusCode}");
                Assert.DoesNotContain(SecretCentre, body);
            }
            if (role != Stadsbedrijven && !route.Contains("/organisaties"))
            {
                Assert.DoesNotContain(SecretCentre, body);
            }
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    private static bool IsRefused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/geen-toegang"));

    private List<string> ManagementRoutes() =>
        App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/beheer", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} /{System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{(\w+):[^}]+\}", "{$1}")}"))
            .Distinct().Order().ToList();

    private static async Task<HttpResponseMessage> SendAsync(Browser browser, string route, World world, bool ownCentre, string? token)
    {
        var (method, pattern) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var url = pattern
            .Replace("{centreId}", (ownCentre ? world.CentreA : world.CentreB).ToString())
            .Replace("{roomId}", (ownCentre ? world.RoomA : world.RoomB).ToString())
            .Replace("{roundId}", (ownCentre ? world.RoundA : world.RoundB).ToString())
            .Replace("{runId}", (ownCentre ? world.RunA : world.RunB).ToString());
        var planning = ownCentre ? world.PlanningA : world.PlanningB;
        url = url.Replace("{wishId}", planning.Wish.ToString()).Replace("{closureId}", planning.Closure.ToString())
            .Replace("{blockId}", planning.Block.ToString());
        if (url.Contains("{id}"))
        {
            var id = url.Contains("/planning/") ? planning.Round
                : url.Contains("/sluitingsdagen/") ? (ownCentre ? world.ClosureA : world.ClosureB)
                : url.Contains("/reserveringen/") ? (ownCentre ? world.ReservationA : world.ReservationB)
                : url.Contains("/mail/") ? (ownCentre ? world.MailA : world.MailB)
                : url.Contains("/meldingen/") ? (ownCentre ? world.MeldingA : world.MeldingB)
                : url.Contains("/organisaties/") ? (ownCentre ? world.Group : world.SmoY)
                : world.OtherUser;
            url = url.Replace("{id}", id.ToString());
        }
        if (method == "GET") return await browser.Client.GetAsync(url);

        // A form that would be valid for most screens, aimed at the other centre where a centre can be chosen.
        var centre = (ownCentre ? world.CentreA : world.CentreB).ToString();
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token ?? "", ["CentreId"] = centre, ["Name"] = "Overgenomen", ["DisplayName"] = "Overgenomen",
            ["Description"] = "Overgenomen", ["Capacity"] = "10", ["RoomType"] = "zaal", ["Kind"] = "overig", ["Reason"] = "Overgenomen",
            ["StartsOn"] = "2026-12-01", ["EndsOn"] = "2026-12-02", ["Email"] = "overgenomen@test.example", ["Street"] = "Straat 1",
            ["Postcode"] = "3511 AA", ["City"] = "Utrecht", ["WijkId"] = "1", ["SmoId"] = world.SmoX.ToString(), ["Active"] = "false",
        };
        return await browser.Client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    private async Task<Browser> SignedInAsync(string role, World world)
    {
        var browser = new Browser(App);
        if (role == Gebruiker)
        {
            await browser.PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", world.Emails[role]));
            var mail = Assert.Single(await App.WaitForMailsAsync(1));
            var path = System.Text.RegularExpressions.Regex.Match(mail, @"/inloggen/link/[A-Za-z0-9_\-]+").Value;
            var response = await browser.PostFormAsync(path, path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        else
        {
            await browser.SignInAsync(world.Emails[role]);
        }
        return browser;
    }

    private async Task<World> BuildWorldAsync()
    {
        var smoX = await Data.OrganisationAsync("SMO X");
        var smoY = await Data.OrganisationAsync("SMO Y");
        var centreA = await Data.CentreAsync("Buurtcentrum Eigen Huis", smoX);
        var centreB = await Data.CentreAsync(SecretCentre, smoY);
        var roomA = await Data.RoomAsync(centreA, "Eigen Zaal");
        var roomB = await Data.RoomAsync(centreB, SecretRoom);
        var closureA = await Data.ScalarAsync<long>(
            "insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at) values (@centreA, '2026-12-10', '2026-12-10', 'overig', 'Sluiting A', now()) returning id", new { centreA });
        var closureB = await Data.ScalarAsync<long>(
            "insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at) values (@centreB, '2026-12-10', '2026-12-10', 'overig', @reason, now()) returning id", new { centreB, reason = SecretClosure });
        var group = await Data.OrganisationAsync("Buurtinitiatief G", "gebruikersgroep", "bewonersinitiatief");
        var emails = new Dictionary<string, string>
        {
            [Admin] = await Data.EmailOfAsync(await Data.UserAsync(Admin)),
            [Beheerder] = await Data.EmailOfAsync(await Data.UserAsync(Beheerder, centreIds: [centreA])),
            [Coordinator] = await Data.EmailOfAsync(await Data.UserAsync(Coordinator, organisationId: smoX)),
            [Stadsbedrijven] = await Data.EmailOfAsync(await Data.UserAsync(Stadsbedrijven)),
            [Gebruiker] = await Data.EmailOfAsync(await Data.UserAsync(Gebruiker, organisationId: group)),
        };
        var otherUser = await Data.UserAsync(Beheerder, centreIds: [centreB]);
        // Failed mails stay put (the sender leaves them alone), so they are there for every role's walk.
        const string mailSql = """
            insert into outbox (kind, centre_id, to_address, to_name, subject, text_body, html_body, message_id, status, attempts,
                                last_error, next_attempt_at, created_at)
            values ('bevestigd', @centreId, @to, 'Huurder', @subject, @subject, @subject, @messageId, 'mislukt', 10, 'Test', now(), now())
            returning id
            """;
        var mailA = await Data.ScalarAsync<long>(mailSql, new { centreId = centreA, to = "a@test.example", subject = "Mail voor A", messageId = $"{Guid.NewGuid():N}@test" });
        var mailB = await Data.ScalarAsync<long>(mailSql, new { centreId = centreB, to = "b@test.example", subject = $"Mail voor {SecretCentre}", messageId = $"{Guid.NewGuid():N}@test" });
        var world = new World(smoX, smoY, centreA, centreB, roomA, roomB, closureA, closureB, group, otherUser, emails)
        {
            MailA = mailA, MailB = mailB,
            ReservationA = await PendingReservationAsync(centreA, roomA, "Eigen aanvraag"),
            ReservationB = await PendingReservationAsync(centreB, roomB, SecretRoom + " aanvraag"),
            MeldingA = await MeldingAsync(centreA, roomA, "Lamp kapot in de Eigen Zaal"),
            MeldingB = await MeldingAsync(centreB, roomB, $"Lamp kapot in de {SecretRoom}"),
            PlanningA = await PlanningAsync(centreA, roomA, "Eigen ronde"),
            PlanningB = await PlanningAsync(centreB, roomB, SecretCentre + " ronde"),
            RoundA = await PlanningRoundAsync(centreA, "Ronde A"),
            RoundB = await PlanningRoundAsync(centreB, "Ronde B"),
        };
        return world with { RunA = await PlanningRunAsync(world.RoundA), RunB = await PlanningRunAsync(world.RoundB) };
    }

    private Task<long> MeldingAsync(long centreId, long roomId, string description) => Data.ScalarAsync<long>("""
        insert into meldingen (centre_id, room_id, category, kind, description, urgency, reporter_name, reporter_email,
                               clock_started_at, due_at, created_at, updated_at)
        values (@centreId, @roomId, 'heel', 'technisch', @description, 'normaal', 'Melder', 'melder@test.example',
                now(), now() + interval '5 days', now(), now())
        returning id
        """, new { centreId, roomId, description });

    /// <summary>A concept planning round for one centre, with policy version 1 holding one protected block, a closure period and a wish.</summary>
    private async Task<PlanningIds> PlanningAsync(long centreId, long roomId, string name)
    {
        var round = await Data.ScalarAsync<long>("""
            insert into planning_rounds (name, season_start, season_end, wishes_deadline, phase, created_at, updated_at)
            values (@name, '2027-08-30', '2028-07-02', '2027-05-01', 'concept', now(), now()) returning id
            """, new { name });
        await Data.ScalarAsync<int>("insert into planning_round_centres (round_id, centre_id) values (@round, @centreId) returning 1", new { round, centreId });
        var policy = await Data.ScalarAsync<long>("""
            insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                                           weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, created_at)
            values (@round, 1, 'Beleid', 100, 80, 60, 50, 20, 30, 30, 15, 0, 10, now()) returning id
            """, new { round });
        var block = await Data.ScalarAsync<long>("""
            insert into planning_protected_blocks (policy_id, room_id, weekday, starts_at, ends_at, categories, label)
            values (@policy, @roomId, 1, '09:00', '12:00', '{huiskamer}', 'Huiskamer open') returning id
            """, new { policy, roomId });
        var closure = await Data.ScalarAsync<long>(
            "insert into planning_round_closures (round_id, starts_on, ends_on, reason) values (@round, '2027-12-27', '2027-12-31', 'Kerstvakantie') returning id", new { round });
        var wish = await Data.ScalarAsync<long>("""
            insert into planning_wishes (round_id, centre_id, group_name, contact_email, activity, category, participants, frequency, duration_minutes, created_at, updated_at)
            values (@round, @centreId, 'Buurtgroep', 'groep@test.example', @activity, 'bewonersinitiatief', 10, 'wekelijks', 120, now(), now()) returning id
            """, new { round, centreId, activity = name + " wens" });
        await Data.ScalarAsync<int>("""
            insert into planning_wish_options (wish_id, rank, room_id, weekday, earliest_start, latest_start)
            values (@wish, 1, @roomId, 2, '19:00', '19:30') returning 1
            """, new { wish, roomId });
        return new PlanningIds(round, wish, closure, block);
    }
    private Task<long> PlanningRoundAsync(long centreId, string name) => Data.ScalarAsync<long>("""
        with r as (
            insert into planning_rounds (name, season_start, season_end, phase, created_at, updated_at)
            values (@name, '2027-01-04', '2027-06-27', 'in_behandeling', now(), now()) returning id
        ), c as (insert into planning_round_centres (round_id, centre_id) select id, @centreId from r)
        select id from r
        """, new { centreId, name });

    private Task<long> PlanningRunAsync(long roundId) => Data.ScalarAsync<long>(
        "insert into planning_runs (round_id, status, progress_note, created_at, finished_at) values (@roundId, 'klaar', 'Klaar.', now(), now()) returning id",
        new { roundId });

    private async Task<long> PendingReservationAsync(long centreId, long roomId, string activity)
    {
        var id = await Data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, contact_name, contact_email, activity, category, participants, tariff, status, created_at, updated_at)
            values (@centreId, @roomId, 'Aanvrager', 'aanvrager@test.example', @activity, 'bewonersinitiatief', 10, 'om_niet', 'aangevraagd', now(), now())
            returning id
            """, new { centreId, roomId, activity });
        await Data.ScalarAsync<long>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@id, @roomId, '2027-03-02', '2027-03-02 18:00Z', '2027-03-02 20:00Z', '2027-03-02 18:00Z', '2027-03-02 20:15Z', 'aangevraagd', now())
            returning id
            """, new { id, roomId });
        return id;
    }

    /// <summary>A fingerprint of all data a management screen could change (sign-in bookkeeping excluded).</summary>
    private Task<string> SnapshotAsync() => Data.ScalarAsync<string>("""
        select md5(concat_ws('|',
            (select string_agg(c::text, ',' order by c.id) from centres c),
            (select string_agg(r::text, ',' order by r.id) from rooms r),
            (select string_agg(f::text, ',' order by f) from room_facilities f),
            (select string_agg(a::text, ',' order by a) from room_accessibility a),
            (select string_agg(o::text, ',' order by o) from opening_hours o),
            (select string_agg(d::text, ',' order by d.id) from closure_days d),
            (select string_agg(g::text, ',' order by g.id) from organisations g),
            (select string_agg(concat_ws(';', u.id, u.email, u.display_name, u.role, u.organisation_id, u.password_hash, u.active, u.security_stamp), ',' order by u.id) from users u),
            (select string_agg(uc::text, ',' order by uc) from user_centres uc),
            (select string_agg(concat_ws(';', m.id, m.status, m.attempts, m.next_attempt_at), ',' order by m.id) from outbox m),
            (select string_agg(x::text, ',' order by x.id) from meldingen x),
            (select string_agg(e::text, ',' order by e.id) from melding_events e),
            (select string_agg(t::text, ',' order by t.urgency) from melding_target_times t),
            (select string_agg(u::text, ',' order by u.id) from room_out_of_use u),
            -- Voorkeursplanning
            (select string_agg(p::text, ',' order by p.id) from planning_rounds p),
            (select string_agg(pc::text, ',' order by pc) from planning_round_centres pc),
            (select string_agg(px::text, ',' order by px.id) from planning_round_closures px),
            (select string_agg(pp::text, ',' order by pp.id) from planning_policies pp),
            (select string_agg(pb::text, ',' order by pb.id) from planning_protected_blocks pb),
            (select string_agg(pl::text, ',' order by pl.id) from planning_phase_log pl),
            (select string_agg(pw::text, ',' order by pw.id) from planning_wishes pw),
            (select string_agg(po::text, ',' order by po) from planning_wish_options po),
            (select string_agg(concat_ws(';', p.id, p.phase), ',' order by p.id) from planning_rounds p),
            (select count(*) from planning_runs), (select count(*) from planning_proposals), (select count(*) from planning_locks),
            (select count(*) from planning_reactions), (select count(*) from planning_publications),
            (select string_agg(v::text, ',' order by v.id) from melding_visits v)))
        """);
}
