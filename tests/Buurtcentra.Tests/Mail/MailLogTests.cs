using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Mail;

/// <summary>The mail log (/beheer/mail): who sees which mail, filters, pages, and trying a failed mail again.</summary>
public sealed partial class MailLogTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    [Fact]
    public async Task A_beheerder_sees_the_mail_of_their_own_centre_only_not_by_list_nor_by_id()
    {
        var centreA = await Data.CentreAsync("Buurtcentrum Eigen Huis");
        var centreB = await Data.CentreAsync("Buurtcentrum Ander Huis");
        var mailA = await MailAsync(centreA, "huurder.a@test.example", "Bevestiging voor Eigen Huis", "verzonden");
        var mailB = await MailAsync(centreB, "huurder.b@test.example", "Bevestiging voor Ander Huis", "mislukt");
        var loginLink = await MailAsync(null, "gebruiker@test.example", "Uw inloglink", "verzonden");
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centreA])));

        var list = await browser.GetPageAsync("/beheer/mail");
        Assert.Contains("Bevestiging voor Eigen Huis", list);
        Assert.Contains("huurder.a@test.example", list);
        Assert.DoesNotContain("Ander Huis", list);
        Assert.DoesNotContain("huurder.b@test.example", list);
        Assert.DoesNotContain("Uw inloglink", list);
        Assert.DoesNotContain("Opnieuw proberen", list);

        var own = await browser.GetPageAsync($"/beheer/mail/{mailA}");
        Assert.Contains("Tekst van Bevestiging voor Eigen Huis", own);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/beheer/mail/{mailB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/beheer/mail/{loginLink}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/beheer/mail/999999")).StatusCode);
        Assert.DoesNotContain("Ander Huis", await (await browser.Client.GetAsync($"/beheer/mail/{mailB}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_smo_coordinator_sees_the_mail_of_the_centres_of_their_smo()
    {
        var smo = await Data.OrganisationAsync("SMO Mail");
        var own = await Data.CentreAsync(smoId: smo);
        var other = await Data.CentreAsync();
        await MailAsync(own, "eigen@test.example", "Mail van de eigen SMO", "verzonden");
        var otherMail = await MailAsync(other, "ander@test.example", "Mail van een andere SMO", "verzonden");
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("smo_coordinator", organisationId: smo)));

        var list = await browser.GetPageAsync("/beheer/mail");

        Assert.Contains("Mail van de eigen SMO", list);
        Assert.DoesNotContain("Mail van een andere SMO", list);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/beheer/mail/{otherMail}")).StatusCode);
    }

    [Fact]
    public async Task Stadsbedrijven_has_no_mail_log()
    {
        var centre = await Data.CentreAsync();
        var id = await MailAsync(centre, "x@test.example", "Mail voor het centrum", "verzonden");
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("stadsbedrijven")));

        foreach (var url in new[] { "/beheer/mail", $"/beheer/mail/{id}" })
        {
            var response = await browser.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/geen-toegang", response.Headers.Location!.AbsolutePath);
        }
    }

    [Fact]
    public async Task Functioneel_beheer_sees_all_mail_newest_first_fifty_a_page_and_filters_by_status_and_address()
    {
        var centre = await Data.CentreAsync();
        for (var i = 1; i <= 120; i++)
        {
            await MailAsync(i % 2 == 0 ? centre : null, $"bewoner{i:000}@test.example", $"Mail nummer {i:000}", i % 10 == 0 ? "mislukt" : "verzonden",
                createdAt: new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc).AddMinutes(i));
        }
        await MailAsync(centre, "100%_echt@test.example", "Mail met een vreemd adres", "verzonden", createdAt: new DateTime(2026, 10, 1, 8, 0, 0, DateTimeKind.Utc));
        var browser = await AdminAsync();

        var first = await browser.GetPageAsync("/beheer/mail");
        Assert.Equal(Enumerable.Range(71, 50).Reverse().Select(i => $"Mail nummer {i:000}"), Subjects(first));
        Assert.Contains("121 mails gevonden", first);
        Assert.Contains("Pagina 1 van 3", first);
        Assert.Contains("href=\"/beheer/mail?pagina=2\"", first);

        var last = await browser.GetPageAsync("/beheer/mail?pagina=3");
        Assert.Equal([.. Enumerable.Range(1, 20).Reverse().Select(i => $"Mail nummer {i:000}"), "Mail met een vreemd adres"], Subjects(last));
        Assert.Equal(Subjects(last), Subjects(await browser.GetPageAsync("/beheer/mail?pagina=99")));
        Assert.Equal(Subjects(first), Subjects(await browser.GetPageAsync("/beheer/mail?pagina=nul")));

        var failed = await browser.GetPageAsync("/beheer/mail?status=mislukt");
        Assert.Equal(Enumerable.Range(1, 12).Reverse().Select(i => $"Mail nummer {i * 10:000}"), Subjects(failed));

        var search = await browser.GetPageAsync("/beheer/mail?adres=BEWONER11");
        Assert.Equal(Enumerable.Range(110, 10).Reverse().Select(i => $"Mail nummer {i:000}"), Subjects(search));

        // % and _ are letters in the search, not wildcards.
        Assert.Equal(["Mail met een vreemd adres"], Subjects(await browser.GetPageAsync("/beheer/mail?adres=100%25_")));
        Assert.Empty(Subjects(await browser.GetPageAsync("/beheer/mail?adres=%25%25%25onbekend")));
        Assert.Equal(Subjects(first), Subjects(await browser.GetPageAsync("/beheer/mail?status=onzin")));

        var filteredPaging = await browser.GetPageAsync("/beheer/mail?status=verzonden&adres=test.example");
        Assert.Contains("href=\"/beheer/mail?status=verzonden&amp;adres=test.example&amp;pagina=2\"", filteredPaging);
    }

    [Fact]
    public async Task Functioneel_beheer_tries_a_failed_mail_again_and_it_is_sent()
    {
        var centre = await Data.CentreAsync();
        var id = await MailAsync(centre, "opnieuw@test.example", "Tweede kans", "mislukt");
        var browser = await AdminAsync();
        var page = await browser.GetPageAsync($"/beheer/mail/{id}");
        Assert.Contains("Opnieuw proberen", page);
        Assert.Contains("De mailserver weigert", page);

        var response = await browser.PostFormAsync($"/beheer/mail/{id}", $"/beheer/mail/{id}/opnieuw");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/beheer/mail/{id}", response.Headers.Location!.OriginalString);
        var mail = Assert.Single(await App.WaitForMailsAsync(1));
        Assert.Contains("opnieuw@test.example", mail);
        Assert.Contains("Tweede kans", mail);
        await WaitUntilAsync(async () => await Data.ScalarAsync<string>("select status from outbox where id = @id", new { id }) == "verzonden");
        Assert.Equal(1, await Data.ScalarAsync<int>("select attempts from outbox where id = @id", new { id }));

        // A mail that did not fail stays as it is.
        var again = await browser.PostFormAsync($"/beheer/mail/{id}", $"/beheer/mail/{id}/opnieuw");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("Deze mail is niet mislukt", await browser.GetPageAsync($"/beheer/mail/{id}"));
        Assert.Equal("verzonden", await Data.ScalarAsync<string>("select status from outbox where id = @id", new { id }));
        Assert.Single(App.SentMails());
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostFormAsync($"/beheer/mail/{id}", "/beheer/mail/999999/opnieuw")).StatusCode);
    }

    [Fact]
    public async Task A_beheerder_cannot_retry_even_their_own_centres_mail()
    {
        var centre = await Data.CentreAsync();
        var id = await MailAsync(centre, "x@test.example", "Niet voor beheerders", "mislukt");
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centre])));
        var token = await browser.TokenFromAsync($"/beheer/mail/{id}");

        var response = await browser.Client.PostAsync($"/beheer/mail/{id}/opnieuw",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/geen-toegang", response.Headers.Location!.AbsolutePath);
        Assert.Equal("mislukt", await Data.ScalarAsync<string>("select status from outbox where id = @id", new { id }));
    }

    [Fact]
    public async Task A_login_link_goes_through_the_outbox_and_shows_in_the_log()
    {
        var email = await Data.EmailOfAsync(await Data.UserAsync("gebruiker"));
        await new Browser(App).PostFormAsync("/inloggen", "/inloggen/link", ("Link.Email", email));

        var mail = Assert.Single(await App.WaitForMailsAsync(1));
        Assert.Contains("Content-Type: multipart/alternative", mail);
        await WaitUntilAsync(async () => await Data.ScalarAsync<string>("select status from outbox where kind = 'inloglink'") == "verzonden");
        var page = await (await AdminAsync()).GetPageAsync("/beheer/mail");
        Assert.Contains(email, page);
        Assert.Contains("Inloglink", page);
        Assert.Contains("Verzonden", page);
    }

    private async Task<Browser> AdminAsync()
    {
        var browser = new Browser(App);
        await browser.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("functioneel_beheerder")));
        return browser;
    }

    /// <summary>A mail row the sender leaves alone (already sent, or failed).</summary>
    private Task<long> MailAsync(long? centreId, string to, string subject, string status, DateTime? createdAt = null) =>
        Data.ScalarAsync<long>("""
            insert into outbox (kind, centre_id, to_address, to_name, subject, text_body, html_body, message_id, status, attempts,
                                last_error, next_attempt_at, created_at, sent_at)
            values ('bevestigd', @centreId, @to, 'Huurder', @subject, 'Tekst van ' || @subject, '<p>' || @subject || '</p>', @messageId, @status,
                    case when @status = 'mislukt' then 10 else 1 end,
                    case when @status = 'mislukt' then 'De mailserver weigert deze mail (550): No such user' end,
                    @createdAt, @createdAt, case when @status = 'verzonden' then @createdAt end)
            returning id
            """, new { centreId, to, subject, status, messageId = $"{Guid.NewGuid():N}@test", createdAt = createdAt ?? App.Time.GetUtcNow().UtcDateTime });

    private static List<string> Subjects(string page) =>
        SubjectLink().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    private static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await done() && DateTime.UtcNow < deadline) await Task.Delay(50);
    }

    [GeneratedRegex("<a class=\"utrecht-link\" href=\"/beheer/mail/\\d+\">([^<]*)</a>")]
    private static partial Regex SubjectLink();
}
