using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Meldingen;

public sealed class FiguresTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private async Task MeldingAsync(long centreId, string created, string due, string? solved, string status, string category = "heel") =>
        await Data.ScalarAsync<long>("""
            insert into meldingen (centre_id, category, kind, description, urgency, status, reporter_name, clock_started_at, due_at, solved_at, created_at, updated_at)
            values (@centreId, @category, 'technisch', 'Een probleem in het gebouw.', 'normaal', @status, 'Melder', @created::timestamptz, @due::timestamptz,
                    @solved::timestamptz, @created::timestamptz, @created::timestamptz)
            returning id
            """, new { centreId, created, due, solved, status, category });

    [Fact]
    public async Task The_figures_show_per_month_the_median_lead_time_and_the_share_within_target_for_visible_centres_only()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var otherId = await Data.CentreAsync("Elders");
        // October 2026: solved after 10 h (in time), 30 h (in time) and 50 h (late): median 30 h, 2 of 3 in time.
        await MeldingAsync(centreId, "2026-10-05 08:00Z", "2026-10-07 08:00Z", "2026-10-05 18:00Z", "gesloten");
        await MeldingAsync(centreId, "2026-10-12 08:00Z", "2026-10-14 08:00Z", "2026-10-13 14:00Z", "opgelost");
        await MeldingAsync(centreId, "2026-10-20 08:00Z", "2026-10-21 08:00Z", "2026-10-22 10:00Z", "gesloten");
        // November 2026: one still open and late.
        await MeldingAsync(centreId, "2026-11-02 08:00Z", "2026-11-09 08:00Z", null, "nieuw", "schoon");
        await MeldingAsync(otherId, "2026-10-06 08:00Z", "2026-10-07 08:00Z", "2026-10-30 08:00Z", "gesloten");

        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centreId])));
        var page = await beheerder.GetPageAsync("/beheer/meldingen/cijfers");
        Assert.Contains("Nu open: <strong>1</strong>, waarvan <strong>1</strong> te laat", page);
        var october = page[page.IndexOf("oktober 2026", StringComparison.Ordinal)..];
        october = october[..october.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Matches(@">3</td>\s*<td[^>]*>3</td>\s*<td[^>]*>0</td>\s*<td[^>]*>1 dag en 6 uur</td>\s*<td[^>]*>67%</td>", october);
        Assert.DoesNotContain("Elders", page);

        var stadsbedrijven = new Browser(App);
        await stadsbedrijven.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("stadsbedrijven")));
        var all = await stadsbedrijven.GetPageAsync("/beheer/meldingen/cijfers");
        var allOctober = all[all.IndexOf("oktober 2026", StringComparison.Ordinal)..];
        Assert.Matches(@"^[^/]*</th>\s*<td[^>]*>4</td>", allOctober);
        var onlySchoon = await stadsbedrijven.GetPageAsync($"/beheer/meldingen/cijfers?centrum={centreId}&categorie=schoon");
        Assert.Contains("Nu open: <strong>1</strong>", onlySchoon);
        var schoonOctober = onlySchoon[onlySchoon.IndexOf("oktober 2026", StringComparison.Ordinal)..];
        Assert.Matches(@"^[^/]*</th>\s*<td[^>]*>0</td>", schoonOctober);
    }
}
