using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Microsoft.Playwright;
using MimeKit;

namespace Buurtcentra.EndToEnd;

/// <summary>Signing in and reading delivered mail, as the browser tests all do it.</summary>
public static partial class SignIn
{
    /// <summary>A gebruiker asks for a login link, opens it from the delivered mail and signs in; optionally axe-checks both pages.</summary>
    public static async Task WithLinkAsync(IPage page, AppFactory app, string email, bool checkPages = false)
    {
        // Only a mail sent after this request: an earlier (used) link to the same address must not be picked.
        var before = app.SentMails().Count;
        await page.GotoAsync("/inloggen");
        var form = page.GetByRole(AriaRole.Region, new() { Name = "Gebruikers en initiatieven" });
        await form.GetByLabel("E-mailadres").FillAsync(email);
        await form.GetByRole(AriaRole.Button, new() { Name = "Stuur mij een inloglink" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kijk in uw mail");
        if (checkPages) await page.AssertAccessibleAsync();

        var mail = await WaitForMailAsync(app, email, m => LoginLinkPattern().IsMatch(m.TextBody ?? ""), skip: before);
        await page.GotoAsync(LoginLinkPattern().Match(mail.TextBody ?? "").Value);
        if (checkPages) await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/buurtcentra$"));
    }

    /// <summary>Staff sign in with e-mail and the test password and land on "Mijn buurtcentra".</summary>
    public static async Task WithPasswordAsync(IPage page, string email)
    {
        await page.GotoAsync("/inloggen");
        await page.GetByLabel("E-mailadres").First.FillAsync(email);
        await page.GetByLabel("Wachtwoord").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mijn buurtcentra");
    }

    /// <summary>
    /// Waits (real time, up to 15 s) for the latest delivered mail to <paramref name="to"/> that matches, leaving out the
    /// first <paramref name="skip"/> mails; the database is shared by all browser tests.
    /// </summary>
    public static async Task<MimeMessage> WaitForMailAsync(AppFactory app, string to, Func<MimeMessage, bool> match, int skip = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var found = app.SentMails().Skip(skip)
                .Select(text => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))))
                .LastOrDefault(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)) && match(m));
            if (found is not null) return found;
            Assert.True(DateTime.UtcNow < deadline, $"No matching mail to {to} was delivered.");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"/inloggen/link/[A-Za-z0-9_\-]+")]
    private static partial Regex LoginLinkPattern();
}
