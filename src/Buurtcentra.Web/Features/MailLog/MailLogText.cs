using System.Globalization;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.MailLog;

/// <summary>Words and times as the mail log shows them.</summary>
public static class MailLogText
{
    public static readonly IReadOnlyDictionary<string, string> Statuses = new Dictionary<string, string>
    {
        ["wachtend"] = "Wacht op verzenden",
        ["verzonden"] = "Verzonden",
        ["mislukt"] = "Mislukt",
    };

    private static readonly Dictionary<string, string> Kinds = new()
    {
        ["inloglink"] = "Inloglink",
    };

    public static string Status(string status) => Statuses.GetValueOrDefault(status, status);

    /// <summary>A known kind by its name; another kind ("aanvraag_ontvangen") as words ("Aanvraag ontvangen").</summary>
    public static string Kind(string kind) => Kinds.TryGetValue(kind, out var name) ? name
        : kind.Length == 0 ? kind : char.ToUpper(kind[0], CultureInfo.InvariantCulture) + kind[1..].Replace('_', ' ');

    public static string Time(DateTime utc) =>
        AmsterdamTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))).ToString("d-M-yyyy HH:mm", CultureInfo.InvariantCulture);
}
