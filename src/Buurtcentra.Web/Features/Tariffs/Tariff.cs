using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Tariffs;

/// <summary>The contribution that applies to a booking: om niet, sociaal or commercieel, with the room's hourly rate.</summary>
public sealed record Tariff(string Code, int RateCents)
{
    public const string OmNiet = "om_niet";
    public const string Sociaal = "sociaal";
    public const string Commercieel = "commercieel";

    /// <summary>A resident booking without an organisation.</summary>
    public const string Particulier = "particulier";

    public static readonly IReadOnlyList<string> Codes = [OmNiet, Sociaal, Commercieel];

    public static readonly IReadOnlyList<string> BookerCategories =
        ["bewonersinitiatief", "maatschappelijke_organisatie", "sp_do_aanbieder", "commercieel", Particulier];

    /// <summary>Used when a centre has not set its own policy for a kind of booker.</summary>
    public static string DefaultFor(string bookerCategory) => bookerCategory switch
    {
        "bewonersinitiatief" or "sp_do_aanbieder" => OmNiet,
        "commercieel" => Commercieel,
        _ => Sociaal,
    };

    public static string DisplayName(string code) => code switch
    {
        OmNiet => "Om niet (tegen een wederdienst)",
        Sociaal => "Sociaal tarief",
        Commercieel => "Commercieel tarief",
        _ => code,
    };

    public static string BookerCategoryName(string category) => category switch
    {
        "bewonersinitiatief" => "Bewonersinitiatief",
        "maatschappelijke_organisatie" => "Maatschappelijke organisatie",
        "sp_do_aanbieder" => "SP/DO-aanbieder",
        "commercieel" => "Commerciële organisatie",
        Particulier => "Bewoner zonder organisatie",
        _ => category,
    };

    /// <summary>Amount for one occurrence, rounded to whole cents.</summary>
    public long AmountCents(TimeSpan duration) =>
        Code == OmNiet ? 0 : (long)Math.Round(RateCents * duration.TotalHours, MidpointRounding.AwayFromZero);

    /// <summary>For the request and the confirmation: "Sociaal tarief: € 12,50 per uur" or "Om niet (tegen een wederdienst)".</summary>
    public string Describe() => Code == OmNiet ? DisplayName(Code) : $"{DisplayName(Code)}: {Euros(RateCents)} per uur";

    /// <summary>With the amount for one occurrence: "€ 25,00 (Sociaal tarief: € 12,50 per uur)"; om niet stays "Om niet (...)".</summary>
    public string Describe(TimeSpan duration) => Code == OmNiet ? DisplayName(Code) : $"{Euros(AmountCents(duration))} ({Describe()})";

    public static string Euros(long cents) => (cents / 100m).ToString("C", System.Globalization.CultureInfo.GetCultureInfo("nl-NL"));

    /// <summary>The tariff for a booker category in a room, from the centre's policy (or the default) and the room's rates.</summary>
    public static async Task<Tariff> ForAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long roomId, string bookerCategory)
    {
        var row = await connection.QuerySingleAsync<(string? Policy, int Social, int Commercial)>("""
            select ct.tariff, r.social_rate_cents, r.commercial_rate_cents
            from rooms r
            left join centre_tariffs ct on ct.centre_id = r.centre_id and ct.category = @bookerCategory
            where r.id = @roomId
            """, new { roomId, bookerCategory }, transaction);
        var code = row.Policy ?? DefaultFor(bookerCategory);
        return new Tariff(code, code switch { Sociaal => row.Social, Commercieel => row.Commercial, _ => 0 });
    }
}
