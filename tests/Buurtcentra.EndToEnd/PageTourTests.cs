using Buurtcentra.Tests.Support;
using Microsoft.Playwright;

namespace Buurtcentra.EndToEnd;

/// <summary>Every screen, public and management, at 360 px: axe-core finds no WCAG 2.1 AA violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageTourTests(BrowserFixture fixture)
{
    /// <summary>A 1×1 PNG, for a file input.</summary>
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Every_page_is_accessible_at_phone_width()
    {
        var data = fixture.Data;
        var smo = await data.OrganisationAsync("Wijk&Co Tour");
        var centreId = await data.CentreAsync("Buurtcentrum De Rondgang", smo);
        var roomId = await data.RoomAsync(centreId, "Rondgangzaal", facilities: ["beamer"], accessibility: ["rolstoeltoegankelijk"]);
        await data.OpeningHoursAsync(centreId, 2, new TimeOnly(9, 0), new TimeOnly(12, 0));
        await data.OpeningHoursAsync(centreId, 2, new TimeOnly(19, 0), new TimeOnly(22, 0));
        await data.ScalarAsync<long>("insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at) values (@centreId, '2026-12-28', '2026-12-31', 'vakantiesluiting', 'Kerstvakantie', now()) returning id", new { centreId });
        var group = await data.OrganisationAsync("Klaverjasclub Rondgang", "gebruikersgroep", "bewonersinitiatief");
        var userId = await data.UserAsync("sociaal_beheerder", centreIds: [centreId]);
        var adminEmail = await data.EmailOfAsync(await data.UserAsync("functioneel_beheerder"));
        var mailId = await data.ScalarAsync<long>("""
            insert into outbox (kind, centre_id, to_address, to_name, subject, text_body, html_body, message_id, status, attempts, last_error, next_attempt_at, created_at)
            values ('bevestigd', @centreId, 'huurder@test.example', 'Huurder', 'Uw reservering is goedgekeurd', 'Beste Huurder,' || chr(10) || chr(10) || 'Uw reservering is goedgekeurd.',
                    '<p>Uw reservering is goedgekeurd.</p>', @messageId, 'mislukt', 10, 'De mailserver weigert deze mail (550): No such user', now(), now())
            returning id
            """, new { centreId, messageId = $"{Guid.NewGuid():N}@test" });
        var slug = await data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        // Vergoeding/facturatie: one billable and one om-niet date in November 2026, so both tables are on the page.
        foreach (var (tariff, rate, day) in new[] { ("sociaal", 1250, 10), ("om_niet", 0, 12) })
        {
            var reservationId = await data.ScalarAsync<long>("""
                insert into reservations (centre_id, room_id, organisation_id, contact_name, contact_email, activity, category, participants, tariff, rate_cents, wederdienst, status, created_at, updated_at)
                values (@centreId, @roomId, @group, 'Truus', 'truus@test.example', 'Klaverjassen', 'bewonersinitiatief', 12, @tariff, @rate, 'Helpt bij de buurtmiddag', 'bevestigd', now(), now()) returning id
                """, new { centreId, roomId, group, tariff, rate });
            await data.ScalarAsync<long>("""
                insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
                values (@reservationId, @roomId, make_date(2026, 11, @day), make_timestamptz(2026, 11, @day, 19, 0, 0, 'Europe/Amsterdam'), make_timestamptz(2026, 11, @day, 21, 30, 0, 'Europe/Amsterdam'),
                        make_timestamptz(2026, 11, @day, 19, 0, 0, 'Europe/Amsterdam'), make_timestamptz(2026, 11, @day, 21, 30, 0, 'Europe/Amsterdam'), 'bevestigd', now()) returning id
                """, new { reservationId, roomId, day });
        }

        // Voorkeursplanning: a round open for wishes with a protected block, a closure period, a wish of the group and a withdrawn one.
        var roundId = await data.ScalarAsync<long>("""
            insert into planning_rounds (name, season_start, season_end, wishes_deadline, phase, created_at, updated_at)
            values ('Rondgang seizoen 2027-2028', '2027-08-30', '2028-07-02', '2027-06-30', 'open', now(), now()) returning id
            """);
        await data.ScalarAsync<int>("insert into planning_round_centres (round_id, centre_id) values (@roundId, @centreId) returning 1", new { roundId, centreId });
        await data.ScalarAsync<int>("insert into planning_phase_log (round_id, from_phase, to_phase, actor_name, occurred_at, note) values (@roundId, 'concept', 'open', 'Bas Rondgang', now(), 'Brief verstuurd') returning 1", new { roundId });
        var policyId = await data.ScalarAsync<long>("""
            insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                                           weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, created_at)
            values (@roundId, 1, 'Zo verdelen we de ruimtes.' || chr(10) || '1. Eerst de huiskamer.', 100, 80, 60, 50, 20, 30, 30, 15, 0, 10, now()) returning id
            """, new { roundId });
        await data.ScalarAsync<int>("""
            insert into planning_protected_blocks (policy_id, room_id, weekday, starts_at, ends_at, categories, label)
            values (@policyId, @roomId, 1, '09:00', '12:00', '{huiskamer,sp_do_groepsactiviteit}', 'Huiskamer open voor basisaanbod') returning 1
            """, new { policyId, roomId });
        await data.ScalarAsync<int>("insert into planning_round_closures (round_id, starts_on, ends_on, reason) values (@roundId, '2027-12-25', '2028-01-09', 'Kerstvakantie') returning 1", new { roundId });
        long wishId = 0;
        foreach (var (activity, status) in new[] { ("Klaverjassen op dinsdagavond", "ingediend"), ("Bingo (ingetrokken)", "ingetrokken") })
        {
            var id = await data.ScalarAsync<long>("""
                insert into planning_wishes (round_id, centre_id, organisation_id, group_name, contact_email, activity, category, participants, frequency,
                                             duration_minutes, status, created_at, updated_at)
                values (@roundId, @centreId, @group, 'Klaverjasclub Rondgang', 'klaverjas@rondgang.example', @activity, 'bewonersinitiatief', 16, 'wekelijks', 150, @status, now(), now())
                returning id
                """, new { roundId, centreId, group, activity, status });
            if (wishId == 0) wishId = id;
        }
        await data.ScalarAsync<int>("""
            insert into planning_wish_options (wish_id, rank, room_id, weekday, earliest_start, latest_start)
            values (@wishId, 1, @roomId, 2, '19:00', '19:30'), (@wishId, 2, null, 4, '19:30', '19:30') returning 1
            """, new { wishId, roomId });

        // Two finished optimiser runs of the round, one done and one failed: each run page shows exactly one of its two boxes.
        var doneRunId = await data.ScalarAsync<long>("""
            insert into planning_runs (round_id, status, method, progress_note, created_at, finished_at)
            values (@roundId, 'klaar', 'optimaal', 'Klaar: 1 van de 1 wensen toegekend. Het voorstel is versie 1.', now(), now()) returning id
            """, new { roundId });
        var failedRunId = await data.ScalarAsync<long>("""
            insert into planning_runs (round_id, status, method, progress_note, error, created_at, finished_at)
            values (@roundId, 'mislukt', 'volgorde', 'Bezig', 'Er zijn nog geen wensen om te verdelen.', now(), now()) returning id
            """, new { roundId });

        var page = await fixture.NewPhonePageAsync();
        // Overzichten (Agenda): a week with a confirmed booking and a pending request, so the grid has blocks of both kinds.
        var bookingId = await data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, organisation_id, contact_name, contact_email, contact_phone, activity, category,
                                      participants, needs_key, tariff, status, created_at, updated_at)
            values (@centreId, @roomId, @group, 'Truus Tour', 'truus@tour.example', '06 1234 5678', 'Klaverjassen', 'bewonersinitiatief',
                    16, true, 'om_niet', 'bevestigd', now(), now()) returning id
            """, new { centreId, roomId, group });
        await data.ScalarAsync<long>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@bookingId, @roomId, '2026-12-01', '2026-12-01 18:30Z', '2026-12-01 21:00Z', '2026-12-01 18:30Z', '2026-12-01 21:15Z', 'bevestigd', now())
            returning id
            """, new { bookingId, roomId });
        var requestId = await data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, contact_name, contact_email, activity, category, participants, tariff, status, created_at, updated_at)
            values (@centreId, @roomId, 'Henk Tour', 'henk@tour.example', 'Buurtbingo', 'bewonersinitiatief', 25, 'om_niet', 'aangevraagd', now(), now())
            returning id
            """, new { centreId, roomId });
        await data.ScalarAsync<long>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            values (@requestId, @roomId, '2026-12-01', '2026-12-01 09:00Z', '2026-12-01 11:00Z', '2026-12-01 09:00Z', '2026-12-01 11:15Z', 'aangevraagd', now())
            returning id
            """, new { requestId, roomId });

        // Programma (wijkagenda): two public activities this week and next, so the programme pages have items.
        foreach (var (activity, start) in new[] { ("Open koffieochtend", "2026-11-26 09:00Z"), ("Repair Café", "2026-12-02 13:00Z") })
        {
            var publicId = await data.ScalarAsync<long>("""
                insert into reservations (centre_id, room_id, contact_name, contact_email, activity, category, participants, target_groups, is_public, tariff, status, created_at, updated_at)
                values (@centreId, @roomId, 'Truus Tour', 'truus@tour.example', @activity, 'bewonersinitiatief', 20, '{iedereen,ouderen}', true, 'om_niet', 'bevestigd', now(), now()) returning id
                """, new { centreId, roomId, activity });
            await data.ScalarAsync<long>("""
                insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
                values (@publicId, @roomId, (@start::timestamptz at time zone 'Europe/Amsterdam')::date, @start::timestamptz, @start::timestamptz + interval '2 hours',
                        @start::timestamptz, @start::timestamptz + interval '2 hours 15 minutes', 'bevestigd', now()) returning id
                """, new { publicId, roomId, start });
        }

        // Meldingen: an open spoed melding on the room with a planned visit and a short out-of-use period over the Tuesday
        // evening booking, so the melding page, the werkbak, the figures, the week grid and the day view show all of them.
        var meldingId = await data.ScalarAsync<long>("""
            insert into meldingen (centre_id, room_id, category, kind, description, urgency, status, planned_on, assignee, reporter_name, reporter_email,
                                   clock_started_at, due_at, created_at, updated_at)
            values (@centreId, @roomId, 'heel', 'technisch', 'De verwarming in de Rondgangzaal blijft koud.', 'spoed', 'in_behandeling', '2026-12-01',
                    'Stadsbedrijven, team installaties', 'Truus Tour', 'truus@tour.example', '2026-11-23 08:00Z', '2026-11-23 12:00Z', '2026-11-23 08:00Z', '2026-11-23 08:00Z')
            returning id
            """, new { centreId, roomId });
        await data.ScalarAsync<long>("""
            insert into melding_events (melding_id, occurred_at, actor_name, actor_role, kind, note)
            values (@meldingId, '2026-11-23 08:00Z', 'Truus Tour', 'melder', 'gemeld', null) returning id
            """, new { meldingId });
        var outOfUseId = await data.ScalarAsync<long>("""
            insert into room_out_of_use (room_id, melding_id, starts_at, ends_at, reason, created_at)
            values (@roomId, @meldingId, '2026-12-01 19:00Z', '2026-12-01 20:00Z', 'Onderhoud (melding)', now()) returning id
            """, new { roomId, meldingId });
        await data.ScalarAsync<long>("""
            insert into melding_visits (melding_id, room_id, starts_at, ends_at, assignee, out_of_use_id, created_at, updated_at)
            values (@meldingId, @roomId, '2026-12-01 19:00Z', '2026-12-01 20:00Z', 'Team installaties', @outOfUseId, now(), now()),
                   (@meldingId, @roomId, '2026-12-02 08:00Z', '2026-12-02 09:00Z', null, null, now(), now()) returning id
            """, new { meldingId, roomId, outOfUseId });

        foreach (var url in new[] { "/", "/buurtcentra", $"/buurtcentra?Capacity=abc", $"/buurtcentra/{slug}", "/bestaat-niet",
                     $"/buurtcentra/{slug}/beschikbaarheid?datum=2026-12-01", $"/buurtcentra/{slug}/beschikbaarheid?week=2026-W99",
                     $"/reserveren/nieuw?centrum={slug}", "/ruimte-zoeken", "/ruimte-zoeken?Weekday=2&Facilities=beamer&Near=wijk:7", "/ruimte-zoeken?Date=2026-12-01&From=18:00&To=17:00&Facilities=jacuzzi",
                     // Programma (wijkagenda)
                     $"/buurtcentra/{slug}/programma", $"/buurtcentra/{slug}/programma?week=2026-W99", "/wijken", "/wijken/zuid/programma",
                     // Voorkeursplanning: the policy everyone reads
                     $"/planning/rondes/{roundId}/beleid",
                     // Meldingen: the public report form (QR code), for the centre and for a room
                     $"/melden/{slug}", $"/melden/{slug}/{roomId}" })
        {
            await page.GotoAsync(url);
            await page.AssertAccessibleAsync();
        }
        // The finder's result page above really had results (free slots as links) when axe looked at it.
        await page.GotoAsync("/ruimte-zoeken?Weekday=2&Facilities=beamer&Near=wijk:7");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "vrij 09:00–12:00" }).First).ToBeVisibleAsync();
        // The programme pages above had activities, each with its own "Zet in mijn agenda" link.
        await page.GotoAsync("/wijken/zuid/programma");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Zet in mijn agenda (Repair Café, woensdag 2 december 2026 om 14:00 uur)" })).ToBeVisibleAsync();
        await page.GotoAsync($"/buurtcentra/{slug}/programma");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Zet in mijn agenda (Open koffieochtend, donderdag 26 november 2026 om 10:00 uur)" })).ToBeVisibleAsync();

        await page.GotoAsync("/inloggen");
        await page.GetByLabel("E-mailadres").First.FillAsync(adminEmail);
        await page.GetByLabel("Wachtwoord").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mijn buurtcentra");

        string[] pages =
        [
            "/beheer/buurtcentra", "/beheer/buurtcentra/nieuw", $"/beheer/buurtcentra/{centreId}", $"/beheer/buurtcentra/{centreId}/bewerken",
            $"/beheer/buurtcentra/{centreId}/openingstijden", $"/beheer/buurtcentra/{centreId}/ruimtes/nieuw", $"/beheer/ruimtes/{roomId}/bewerken",
            "/beheer/sluitingsdagen", "/beheer/sluitingsdagen?periode=voorbij", "/beheer/sluitingsdagen/nieuw",
            "/beheer/organisaties", "/beheer/organisaties/nieuw", $"/beheer/organisaties/{group}/bewerken",
            "/beheer/gebruikers", "/beheer/gebruikers/nieuw", $"/beheer/gebruikers/{userId}/bewerken",
            "/beheer/mail", "/beheer/mail?status=mislukt&adres=huurder", $"/beheer/mail/{mailId}",
            $"/beheer/buurtcentra/{centreId}/vergoeding", $"/beheer/buurtcentra/{centreId}/facturatie?maand=2026-11",
            $"/beheer/buurtcentra/{centreId}/facturatie?maand=2026-13", "/account/api-sleutels",
            "/account/agenda-abonnementen", "/account/agenda-abonnementen?openbaar=/agenda/wijken/zuid.ics", // Agenda-abonnementen (Feeds)
            // Overzichten (Agenda)
            $"/beheer/buurtcentra/{centreId}/week?datum=2026-12-01", $"/beheer/buurtcentra/{centreId}/week?datum=fout",
            $"/beheer/buurtcentra/{centreId}/dag?datum=2026-12-01",
            // Reserveringen: queue, a booking and its change form, a request and its proposal form
            "/beheer/aanvragen", $"/beheer/reserveringen/{bookingId}", $"/beheer/reserveringen/{bookingId}/wijzigen",
            $"/beheer/reserveringen/{requestId}", $"/beheer/reserveringen/{requestId}/voorstel",
            // Voorkeursplanning: rounds, closures, policy, wishes
            "/beheer/planning", "/beheer/planning/rondes/nieuw", $"/beheer/planning/rondes/{roundId}", $"/beheer/planning/rondes/{roundId}/sluitingen",
            $"/beheer/planning/rondes/{roundId}/beleid", $"/beheer/planning/rondes/{roundId}/wensen", $"/beheer/planning/rondes/{roundId}/wensen?status=alle",
            $"/beheer/planning/rondes/{roundId}/wensen/nieuw", $"/beheer/planning/rondes/{roundId}/wensen/{wishId}/bewerken",
            $"/beheer/planning/rondes/{roundId}/berekening/{doneRunId}", $"/beheer/planning/rondes/{roundId}/berekening/{failedRunId}",
            // Meldingen: werkbak, one melding, the signed-in report form, the QR page, figures and target times (settings)
            "/beheer/meldingen", "/beheer/meldingen?status=open&urgentie=spoed&teLaat=true", $"/beheer/meldingen/{meldingId}",
            "/meldingen/nieuw", $"/meldingen/nieuw?centrum={slug}&ruimte={roomId}", $"/beheer/ruimtes/{roomId}/qr",
            "/beheer/meldingen/cijfers", $"/beheer/meldingen/cijfers?centrum={centreId}&categorie=heel", "/beheer/meldingen/streeftijden", "/meldingen",
        ];
        foreach (var url in pages)
        {
            var response = await page.GotoAsync(url);
            Assert.True(response!.Ok, $"{url} gave {response.Status}");
            await page.AssertAccessibleAsync();
        }

        // The page that shows a new API token once, and the list with that token.
        await page.GotoAsync("/account/api-sleutels");
        await page.GetByLabel("Naam van de sleutel").FillAsync("Rondgang-script");
        await page.GetByRole(AriaRole.Button, new() { Name = "API-sleutel maken" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Uw nieuwe API-sleutel");
        await page.AssertAccessibleAsync();
        await page.GotoAsync("/account/api-sleutels");
        await page.AssertAccessibleAsync();

        // Vergoeding with errors.
        await page.GotoAsync($"/beheer/buurtcentra/{centreId}/vergoeding");
        await page.GetByLabel("Sociaal tarief voor Rondgangzaal").FillAsync("twaalf");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vergoeding opslaan" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();

        // The change form with an error: an end before the start.
        await page.GotoAsync($"/beheer/reserveringen/{bookingId}/wijzigen");
        await page.GetByLabel("Eindtijd").FillAsync("08:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wijziging opslaan" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("De eindtijd moet na de begintijd liggen.");
        await page.AssertAccessibleAsync();

        // Voorkeursplanning: the wish form and the policy form with errors.
        await page.GotoAsync($"/beheer/planning/rondes/{roundId}/wensen/nieuw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Wens indienen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Vul minstens één keuze in");
        await page.AssertAccessibleAsync();
        // Taking the open round in hand before its deadline asks first; "Nee" leaves it open.
        await page.GotoAsync($"/beheer/planning/rondes/{roundId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Naar ‘In behandeling’" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ronde nu in behandeling nemen?");
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Nee, de ronde blijft open voor wensen" }).ClickAsync();
        await Assertions.Expect(page.Locator("[aria-current=step]")).ToContainTextAsync("Open voor wensen");
        await page.GotoAsync($"/beheer/planning/rondes/{roundId}/beleid");
        await page.GetByLabel("Bonus voor de tweede keuze").FillAsync("veel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opslaan als versie 2" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();

        // Meldingen with errors: the report form with a chosen photo and no description (the photo note), and a visit without a day.
        await page.GotoAsync($"/melden/{slug}/{roomId}");
        await page.GetByLabel("Foto's").SetInputFilesAsync(new FilePayload { Name = "kachel.png", MimeType = "image/png", Buffer = TinyPng });
        await page.GetByRole(AriaRole.Button, new() { Name = "Melding versturen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("uw foto is nog niet verstuurd")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
        await page.GotoAsync($"/beheer/meldingen/{meldingId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bezoek plannen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Vul de dag van het bezoek in.");
        await page.AssertAccessibleAsync();

        // A form with errors is accessible too: submit the empty new-centre form.
        await page.GotoAsync("/beheer/buurtcentra/nieuw");
        await page.Locator("main form button[type=submit]").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
    }
}
