using Buurtcentra.Web.Infrastructure.Mail;

namespace Buurtcentra.Tests.Mail;

public sealed class MailTemplateTests
{
    [Fact]
    public void Text_and_html_say_the_same_and_everything_given_is_encoded()
    {
        var (text, html) = MailTemplate.Compose("Jan <script>alert(1)</script>",
            ["Uw aanvraag is binnen.", "We kijken er binnen 3 werkdagen naar & laten het u weten."],
            [("Ruimte", "Zaal \"De Ster\""), ("Wanneer", "Maandag 1 maart\n19:00 tot 21:00")],
            ("Bekijk uw aanvraag", "https://buurtcentra.example/aanvragen/7?x=1&y=2"));

        Assert.StartsWith("Beste Jan <script>alert(1)</script>,\n\n", text);
        Assert.Contains("We kijken er binnen 3 werkdagen naar & laten het u weten.", text);
        Assert.Contains("Ruimte: Zaal \"De Ster\"\n", text);
        Assert.Contains("Wanneer: Maandag 1 maart\n  19:00 tot 21:00\n", text);
        Assert.Contains("Bekijk uw aanvraag:\nhttps://buurtcentra.example/aanvragen/7?x=1&y=2\n", text);
        Assert.Contains(MailTemplate.Closing, text);
        Assert.Contains(MailTemplate.AutomaticNotice, text);

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("Beste Jan &lt;script&gt;alert(1)&lt;/script&gt;,", html);
        Assert.Contains("naar &amp; laten", html);
        Assert.Contains("Zaal &quot;De Ster&quot;", html);
        Assert.Contains("Maandag 1 maart<br>19:00 tot 21:00", html);
        Assert.Contains("href=\"https://buurtcentra.example/aanvragen/7?x=1&amp;y=2\"", html);
        Assert.Contains("<html lang=\"nl\">", html);
        Assert.Contains(MailTemplate.AutomaticNotice, html);
    }

    [Fact]
    public void The_html_needs_nothing_from_outside()
    {
        var (_, html) = MailTemplate.Compose("Truus", ["Tekst."], [("Wat", "Iets")], ("Open", "https://buurtcentra.example/x"));

        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        // The only address in it is the action's (in the link and spelled out under it).
        var addresses = System.Text.RegularExpressions.Regex.Matches(html, @"[a-z]+://[^""<\s]+").Select(m => m.Value).ToList();
        Assert.Equal(["https://buurtcentra.example/x", "https://buurtcentra.example/x"], addresses);
    }

    [Fact]
    public void Without_a_name_facts_or_action_the_mail_is_still_complete()
    {
        var (text, html) = MailTemplate.Compose(" ", ["Alleen een zin."], [], null);

        Assert.StartsWith("Beste heer of mevrouw,\n\nAlleen een zin.\n\nMet vriendelijke groet,", text);
        Assert.DoesNotContain("<table", html);
        Assert.DoesNotContain("<a ", html);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relatief/pad")]
    [InlineData("ftp://buurtcentra.example/x")]
    public void An_action_must_be_a_web_address(string url) =>
        Assert.Throws<ArgumentException>(() => MailTemplate.Compose("Truus", ["Tekst."], [], ("Open", url)));
}
