using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Tariffs;

/// <summary>One confirmed occurrence in the month, with what it costs under the tariff frozen on its reservation.</summary>
public sealed record InvoiceLine(long ReservationId, DateTime StartsAt, DateTime EndsAt, string RoomName, string Booker, string Activity,
    string TariffCode, int RateCents, string? Wederdienst)
{
    public DateTime LocalStart => AmsterdamTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(StartsAt, DateTimeKind.Utc)));
    public DateTime LocalEnd => AmsterdamTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(EndsAt, DateTimeKind.Utc)));
    public TimeSpan Duration => EndsAt - StartsAt;
    public long AmountCents => new Tariff(TariffCode, RateCents).AmountCents(Duration);
}

public sealed record InvoiceCentre(long Id, string Name, string Slug);

/// <param name="Billable">Lines with an amount above zero: what to invoice (and all that the CSV holds).</param>
/// <param name="Unbilled">Om niet (with the wederdienst) and lines whose rate was € 0: shown, not invoiced.</param>
public sealed record InvoicePage(InvoiceCentre Centre, InvoiceMonth Month, IReadOnlyList<InvoiceLine> Billable,
    IReadOnlyList<InvoiceLine> Unbilled, string? MonthError)
{
    public long TotalCents => Billable.Sum(l => l.AmountCents);
}

/// <summary>A calendar month in Utrecht time, as in ?maand=2027-03.</summary>
public sealed partial record InvoiceMonth(int Year, int Month)
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public DateOnly First => new(Year, Month, 1);
    public string Key => $"{Year:D4}-{Month:D2}";
    public string Name => First.ToString("MMMM yyyy", Dutch);
    public InvoiceMonth Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);
    public InvoiceMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    /// <summary>[from, to) in UTC: local midnight of the first day to local midnight of the next month's first day.</summary>
    public (DateTimeOffset From, DateTimeOffset To) UtcRange() =>
        (AmsterdamTime.ToUtc(First, TimeOnly.MinValue)!.Value, AmsterdamTime.ToUtc(Next.First, TimeOnly.MinValue)!.Value);

    public static InvoiceMonth Of(DateOnly date) => new(date.Year, date.Month);

    public static InvoiceMonth? TryParse(string? value)
    {
        if (value is null || MonthPattern().Match(value.Trim()) is not { Success: true } m) return null;
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return year is >= 2000 and <= 2100 && month is >= 1 and <= 12 ? new InvoiceMonth(year, month) : null;
    }

    [GeneratedRegex(@"^(\d{4})-(\d{1,2})$")]
    private static partial Regex MonthPattern();
}

/// <summary>
/// "Facturatie": a centre's confirmed occurrences in one month (by their local start date) and what to invoice.
/// Only for people who may manage the centre; null means 404.
/// </summary>
public sealed class InvoiceQuery(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    public async Task<InvoicePage?> GetAsync(long centreId, string? maand)
    {
        if (!await access.CanManageAsync(centreId)) return null;
        var parsed = InvoiceMonth.TryParse(maand);
        var month = parsed ?? InvoiceMonth.Of(AmsterdamTime.Today(time));
        var error = maand is not null && parsed is null
            ? $"De maand ‘{maand}’ kennen we niet. Gebruik jaar en maand, bijvoorbeeld {month.Key}. U ziet nu {month.Name}."
            : null;

        await using var connection = await dataSource.OpenConnectionAsync();
        var centre = await connection.QuerySingleOrDefaultAsync<InvoiceCentre>("select id, name, slug from centres where id = @centreId", new { centreId });
        if (centre is null) return null;
        var (from, to) = month.UtcRange();
        var lines = (await connection.QueryAsync<InvoiceLine>("""
            select r.id as reservation_id, o.starts_at, o.ends_at, rm.name as room_name,
                   coalesce(org.name, r.contact_name) as booker, r.activity, r.tariff as tariff_code, r.rate_cents, r.wederdienst
            from occurrences o
            join rooms rm on rm.id = o.room_id
            join reservations r on r.id = o.reservation_id
            left join organisations org on org.id = r.organisation_id
            where rm.centre_id = @centreId and o.status = 'bevestigd' and o.starts_at >= @from and o.starts_at < @to
            order by o.starts_at, rm.name, o.id
            """, new { centreId, from, to })).ToList();
        return new InvoicePage(centre, month, lines.Where(l => l.AmountCents > 0).ToList(), lines.Where(l => l.AmountCents == 0).ToList(), error);
    }
}

/// <summary>
/// The month's invoice lines for Excel (Dutch settings): UTF-8 with BOM, semicolons, decimal comma, a Dutch header
/// row and a last row with the total. Only lines with an amount: om niet is not invoiced.
/// </summary>
public static class InvoiceCsv
{
    public static readonly string[] Header =
        ["Datum", "Begintijd", "Eindtijd", "Ruimte", "Organisatie of contactpersoon", "Activiteit", "Tarief", "Uren", "Tarief per uur", "Bedrag", "Reservering"];

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static byte[] Write(InvoicePage page)
    {
        var csv = new StringBuilder();
        Row(csv, Header);
        foreach (var line in page.Billable)
        {
            Row(csv,
            [
                line.LocalStart.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
                line.LocalStart.ToString("HH:mm", CultureInfo.InvariantCulture),
                line.LocalEnd.ToString("HH:mm", CultureInfo.InvariantCulture),
                line.RoomName,
                line.Booker,
                line.Activity,
                Tariff.DisplayName(line.TariffCode),
                Hours(line.Duration),
                EuroAmount.Format(line.RateCents),
                EuroAmount.Format(line.AmountCents),
                line.ReservationId.ToString(CultureInfo.InvariantCulture),
            ]);
        }
        Row(csv, ["Totaal", "", "", "", "", "", "", "", "", EuroAmount.Format(page.TotalCents), ""]);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public static string FileName(InvoicePage page) => $"facturatie-{page.Centre.Slug}-{page.Month.Key}.csv";

    /// <summary>"2,00", "1,50": hours with a decimal comma.</summary>
    public static string Hours(TimeSpan duration) => duration.TotalHours.ToString("0.00", Dutch);

    private static void Row(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.Append(string.Join(';', cells.Select(Cell)));
        csv.Append("\r\n");
    }

    /// <summary>Quotes where needed, and defuses text that Excel would run as a formula (=, +, -, @ at the start).</summary>
    internal static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
