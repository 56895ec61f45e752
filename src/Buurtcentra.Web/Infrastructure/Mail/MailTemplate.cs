using System.Net;
using System.Text;

namespace Buurtcentra.Web.Infrastructure.Mail;

/// <summary>
/// The one look of every mail: a greeting, short paragraphs, a list of facts (what, where, when), at most one
/// button-like link, and the same closing. Plain text and HTML say the same. The HTML is minimal, styled inline,
/// without images or other outside resources; everything passed in is HTML-encoded.
/// Write the paragraphs in B1 Dutch: short sentences, "u", one message per paragraph.
/// </summary>
public static class MailTemplate
{
    public const string Closing = "Met vriendelijke groet,";
    public const string Signature = "Buurtcentra Utrecht";
    public const string AutomaticNotice = "Deze mail is automatisch verstuurd. U kunt niet antwoorden op deze mail.";

    private const string Font = "font-family:Arial,Helvetica,sans-serif;";
    private const string TextColour = "color:#1a1a1a;";

    public static (string TextBody, string HtmlBody) Compose(
        string greetingName,
        IReadOnlyList<string> paragraphs,
        IReadOnlyList<(string Label, string Value)> facts,
        (string Text, string Url)? action)
    {
        ArgumentNullException.ThrowIfNull(paragraphs);
        ArgumentNullException.ThrowIfNull(facts);
        if (action is { } a && !IsWebAddress(a.Url))
        {
            throw new ArgumentException("The action link must be an absolute http(s) address.", nameof(action));
        }
        var greeting = string.IsNullOrWhiteSpace(greetingName) ? "Beste heer of mevrouw," : $"Beste {OneLine(greetingName)},";
        return (Text(greeting, paragraphs, facts, action), Html(greeting, paragraphs, facts, action));
    }

    private static string Text(string greeting, IReadOnlyList<string> paragraphs, IReadOnlyList<(string Label, string Value)> facts,
        (string Text, string Url)? action)
    {
        var text = new StringBuilder();
        text.Append(greeting).Append('\n').Append('\n');
        foreach (var paragraph in paragraphs.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            text.Append(Normalise(paragraph)).Append('\n').Append('\n');
        }
        if (facts.Count > 0)
        {
            foreach (var (label, value) in facts)
            {
                text.Append(OneLine(label)).Append(": ").Append(Normalise(value).Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
            }
            text.Append('\n');
        }
        if (action is { } a)
        {
            text.Append(OneLine(a.Text)).Append(":\n").Append(a.Url).Append('\n').Append('\n');
        }
        text.Append(Closing).Append('\n').Append(Signature).Append('\n').Append('\n');
        text.Append("--\n").Append(AutomaticNotice).Append('\n');
        return text.ToString();
    }

    private static string Html(string greeting, IReadOnlyList<string> paragraphs, IReadOnlyList<(string Label, string Value)> facts,
        (string Text, string Url)? action)
    {
        const string p = $"margin:0 0 16px 0;{Font}font-size:16px;line-height:1.5;{TextColour}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Signature).Append("</title>\n</head>\n")
            .Append("<body style=\"margin:0;padding:0;background:#ffffff;\">\n")
            .Append("<div style=\"max-width:600px;margin:0 auto;padding:24px 16px;").Append(Font).Append(TextColour).Append("\">\n");
        html.Append("<p style=\"").Append(p).Append("\">").Append(Encode(greeting)).Append("</p>\n");
        foreach (var paragraph in paragraphs.Where(x => !string.IsNullOrWhiteSpace(x)))
        {
            html.Append("<p style=\"").Append(p).Append("\">").Append(EncodeLines(paragraph)).Append("</p>\n");
        }
        if (facts.Count > 0)
        {
            html.Append("<table style=\"border-collapse:collapse;margin:0 0 16px 0;").Append(Font).Append("font-size:16px;line-height:1.5;\">\n");
            foreach (var (label, value) in facts)
            {
                html.Append("<tr><th scope=\"row\" style=\"text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:bold;")
                    .Append(TextColour).Append("\">").Append(Encode(OneLine(label))).Append("</th>")
                    .Append("<td style=\"vertical-align:top;padding:4px 0;").Append(TextColour).Append("\">").Append(EncodeLines(value)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        if (action is { } a)
        {
            html.Append("<p style=\"margin:24px 0;\"><a href=\"").Append(Encode(a.Url))
                .Append("\" style=\"display:inline-block;padding:12px 20px;background:#24578f;color:#ffffff;text-decoration:underline;")
                .Append(Font).Append("font-size:16px;font-weight:bold;border-radius:4px;\">").Append(Encode(OneLine(a.Text))).Append("</a></p>\n")
                .Append("<p style=\"").Append(p).Append("font-size:14px;\">Werkt de knop niet? Kopieer dan dit adres in uw browser:<br>")
                .Append(Encode(a.Url)).Append("</p>\n");
        }
        html.Append("<p style=\"").Append(p).Append("\">").Append(Closing).Append("<br>").Append(Signature).Append("</p>\n");
        html.Append("<p style=\"margin:32px 0 0 0;").Append(Font).Append("font-size:14px;line-height:1.5;color:#4d4d4d;\">")
            .Append(AutomaticNotice).Append("</p>\n");
        html.Append("</div>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string Normalise(string value) => value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();

    private static string OneLine(string value) => string.Join(' ', Normalise(value).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string EncodeLines(string value) => string.Join("<br>", Normalise(value).Split('\n').Select(Encode));
}
