using System.Globalization;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.ApiTokens;

public static class ApiTokenText
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>A stored UTC instant as Utrecht time: "2 maart 2027 om 19:05".</summary>
    public static string When(DateTime utc) =>
        AmsterdamTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))).ToString("d MMMM yyyy 'om' HH:mm", Dutch);
}
