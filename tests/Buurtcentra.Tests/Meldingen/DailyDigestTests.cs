using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Meldingen;
using Buurtcentra.Web.Infrastructure.Mail;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Buurtcentra.Tests.Meldingen;

/// <summary>
/// The daily digest of open meldingen per centre to its SMO, driven through its handler with the fake clock (the
/// background service only calls it). App.Time: maandag 23 november 2026, 09:00 UTC = 10:00 in Utrecht.
/// </summary>
public sealed class DailyDigestTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private sealed record Setup(long CentreA, long CentreC, long LateId, long SoonId, long OtherId);

    private async Task<Setup> SetupAsync()
    {
        var smoX = await Data.OrganisationAsync("Vooruit");
        var smoY = await Data.OrganisationAsync("Mekaar");
        await Data.ScalarAsync<int>("update organisations set contact_email = 'meldingen@vooruit.example' where id = @smoX returning 1", new { smoX });
        await Data.UserAsync("smo_coordinator", smoX, email: "coordinator@vooruit.example");
        await Data.UserAsync("smo_coordinator", smoY, email: "coordinator@mekaar.example");
        var inactive = await Data.UserAsync("smo_coordinator", smoX, email: "oud@vooruit.example");
        await Data.ScalarAsync<int>("update users set active = false where id = @inactive returning 1", new { inactive });
        var centreA = await Data.CentreAsync("De Boog", smoX);
        var centreB = await Data.CentreAsync("Hart van Hoograven", smoX);
        var centreC = await Data.CentreAsync("De Beatrix", smoY);
        var room = await Data.RoomAsync(centreA, "Grote zaal");
        var now = App.Time.GetUtcNow();
        var late = await MeldingAsync(centreA, room, "heel", "spoed", "nieuw", now.AddHours(-1));
        var soon = await MeldingAsync(centreA, null, "schoon", "normaal", "wacht_op_derden", now.AddDays(2));
        await MeldingAsync(centreA, room, "veilig", "hoog", "opgelost", now.AddDays(1));
        await MeldingAsync(centreB, null, "inrichting", "laag", "gesloten", now.AddDays(10));
        var other = await MeldingAsync(centreC, null, "toegankelijk", "normaal", "in_behandeling", now.AddDays(3));
        return new Setup(centreA, centreC, late, soon, other);
    }

    private Task<long> MeldingAsync(long centreId, long? roomId, string category, string urgency, string status, DateTimeOffset due) =>
        Data.ScalarAsync<long>("""
            insert into meldingen (centre_id, room_id, category, kind, description, urgency, status, planned_on, assignee, solved_at,
                                   reporter_name, reporter_email, clock_started_at, due_at, created_at, updated_at)
            values (@centreId, @roomId, @category, 'technisch', 'Geheime omschrijving van het probleem', @urgency, @status,
                    case when @status = 'in_behandeling' then date '2026-11-30' end, case when @status = 'in_behandeling' then 'Team gebouwen' end,
                    case when @status in ('opgelost', 'gesloten') then @due end,
                    'Truus Melder', 'truus@example.org', @due - interval '10 days', @due, now(), now())
            returning id
            """, new { centreId, roomId, category, urgency, status, due = due.UtcDateTime });

    private async Task<DigestOutcome> RunAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MeldingDigestHandler>().RunAsync();
    }

    private async Task<List<(string To, string Subject, string Text, long? CentreId)>> DigestsAsync()
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, string, string, long?)>(
            "select to_address, subject, text_body, centre_id from outbox where kind = 'melding_dagoverzicht' order by id")).ToList();
    }

    [Fact]
    public async Task One_mail_per_centre_with_open_meldingen_to_its_smo_address_and_coordinators_once_a_day()
    {
        var s = await SetupAsync();

        var first = await RunAsync();
        Assert.Equal(new DigestOutcome(2, 3), first);
        var mails = await DigestsAsync();
        Assert.Equal(["meldingen@vooruit.example", "coordinator@vooruit.example", "coordinator@mekaar.example"], mails.Select(m => m.To));
        Assert.Equal([s.CentreA, s.CentreA, s.CentreC], mails.Select(m => m.CentreId!.Value));
        var boog = mails[0];
        Assert.Equal("Dagoverzicht meldingen De Boog: 2 open, 1 te laat", boog.Subject);
        Assert.Contains("Dit zijn de open meldingen in De Boog op maandag 23 november 2026.", boog.Text);
        Assert.Contains($"Melding {s.LateId}: Kapot of defect, Grote zaal. Spoed, nieuw, 1 uur te laat.", boog.Text);
        Assert.Contains($"Melding {s.SoonId}: Schoonmaak. Normaal, wacht op anderen, nog 2 dagen.", boog.Text);
        Assert.True(boog.Text.IndexOf($"Melding {s.LateId}:", StringComparison.Ordinal) < boog.Text.IndexOf($"Melding {s.SoonId}:", StringComparison.Ordinal),
            "the most urgent deadline comes first");
        Assert.DoesNotContain("Veiligheid", boog.Text); // solved: not open
        Assert.DoesNotContain("Truus", boog.Text);
        Assert.DoesNotContain("Geheime omschrijving", boog.Text);
        Assert.Contains("Beste Vooruit,", boog.Text);
        Assert.Contains("U vindt de meldingen in Buurtcentra onder Meldingen.", boog.Text); // no App:PublicBaseUrl in tests
        Assert.Contains($"Melding {s.OtherId}: Toegankelijkheid. Normaal, in behandeling (gepland op 30 november 2026), nog 3 dagen.", mails[2].Text);
        Assert.Equal("Dagoverzicht meldingen De Beatrix: 1 open", mails[2].Subject);

        // Later that day (also after a restart) nothing more; the next day before the time nothing, from 07:00 on again.
        App.Time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(new DigestOutcome(0, 0), await RunAsync());
        App.Time.Advance(TimeSpan.FromHours(15)); // 24 November 06:00 in Utrecht
        Assert.Equal(new DigestOutcome(0, 0), await RunAsync());
        Assert.Equal(3, (await DigestsAsync()).Count);
        App.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new DigestOutcome(2, 3), await RunAsync());
        Assert.Equal(6, (await DigestsAsync()).Count);
        Assert.Equal(4, await Data.ScalarAsync<int>("select count(*)::int from melding_digests"));
        Assert.Equal(2, await Data.ScalarAsync<int>("select open_count from melding_digests where centre_id = @CentreA and local_date = '2026-11-24'", new { s.CentreA }));
    }

    [Fact]
    public async Task Two_instances_running_at_once_send_each_centre_s_digest_once()
    {
        var s = await SetupAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(RunAsync)));
        Assert.Equal(2, outcomes.Sum(o => o.Centres));
        Assert.Equal(3, outcomes.Sum(o => o.Mails));
        Assert.Equal(3, (await DigestsAsync()).Count);
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from melding_digests where local_date = '2026-11-23'"));
        Assert.Equal(1, await Data.ScalarAsync<int>("select count(*)::int from melding_digests where centre_id = @CentreC", new { s.CentreC }));
    }

    [Fact]
    public async Task The_mail_links_to_the_centre_s_open_meldingen_when_the_public_address_is_configured_and_the_time_can_be_set()
    {
        var s = await SetupAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["App:PublicBaseUrl"] = "https://buurtcentra.example/", ["Meldingen:DigestAt"] = "10:30",
        }).Build();
        var handler = new MeldingDigestHandler(Fixture.Database.DataSource, App.Time, App.Services.GetRequiredService<Outbox>(), configuration);
        Assert.Equal(new TimeOnly(10, 30), handler.SendAt);
        Assert.Equal(new DigestOutcome(0, 0), await handler.RunAsync()); // 10:00 in Utrecht
        App.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(new DigestOutcome(2, 3), await handler.RunAsync());
        Assert.Contains($"https://buurtcentra.example/beheer/meldingen?centrum={s.CentreA}&status=open", (await DigestsAsync())[0].Text);
    }

    [Fact]
    public void The_background_service_is_registered_and_switched_off_while_testing()
    {
        var service = Assert.Single(App.Services.GetServices<IHostedService>().OfType<MeldingDigestService>());
        Assert.False(service.Enabled);
        Assert.Equal(MeldingDigestHandler.StandardSendAt, new MeldingDigestHandler(Fixture.Database.DataSource, App.Time,
            App.Services.GetRequiredService<Outbox>(), new ConfigurationBuilder().Build()).SendAt);
    }
}
