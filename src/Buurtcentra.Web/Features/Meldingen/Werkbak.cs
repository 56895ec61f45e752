using System.Globalization;
using System.Text;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>The werkbak's filters, from the query string (GET form, so a filtered view can be bookmarked).</summary>
public sealed class WerkbakFilter
{
    public string? Status { get; set; }
    public string? Urgentie { get; set; }
    public string? Categorie { get; set; }
    public long? Centrum { get; set; }
    public int? Wijk { get; set; }
    public bool TeLaat { get; set; }
    /// <summary>streeftijd (default), nieuwste, urgentie, buurtcentrum.</summary>
    public string? Sortering { get; set; }

    public static readonly IReadOnlyList<(string Code, string Name)> Sortings =
        [("streeftijd", "Eerst de kortste streeftijd"), ("urgentie", "Eerst spoed"), ("nieuwste", "Nieuwste eerst"), ("buurtcentrum", "Per buurtcentrum")];

    /// <summary>Unknown values are dropped, so a hand-made URL filters on nothing rather than failing.</summary>
    public void Normalise()
    {
        if (Status != "open" && !MeldingStatus.IsKnown(Status)) Status = null;
        if (!MeldingCodes.IsUrgency(Urgentie)) Urgentie = null;
        if (!MeldingCodes.IsCategory(Categorie)) Categorie = null;
        if (Sortings.All(s => s.Code != Sortering)) Sortering = "streeftijd";
    }

    public string QueryString => string.Join("&", new[]
    {
        Status is null ? null : $"status={Status}", Urgentie is null ? null : $"urgentie={Urgentie}",
        Categorie is null ? null : $"categorie={Categorie}", Centrum is null ? null : $"centrum={Centrum}",
        Wijk is null ? null : $"wijk={Wijk}", TeLaat ? "teLaat=true" : null, $"sortering={Sortering}",
    }.Where(x => x is not null));
}

public sealed record WerkbakRow(long Id, string CentreName, string WijkName, string? RoomName, string Category, string Kind, string Urgency,
    string Status, string Description, DateTime CreatedAt, DateTime DueAt, DateTime? SolvedAt, DateTime UpdatedAt, DateOnly? PlannedOn,
    string? Assignee, int AlsoAffected)
{
    public ClockState Clock(DateTimeOffset now)
    {
        DateTimeOffset? stopped = Status switch
        {
            MeldingStatus.Solved or MeldingStatus.Closed => MeldingDetails.Utc(SolvedAt ?? UpdatedAt),
            MeldingStatus.Rejected => MeldingDetails.Utc(UpdatedAt),
            _ => null,
        };
        return ResponseClock.State(MeldingDetails.Utc(DueAt), now, stopped);
    }

    public DateTime LocalCreated => AmsterdamTime.ToLocal(MeldingDetails.Utc(CreatedAt));
    public string Where => RoomName is null ? CentreName : $"{RoomName}, {CentreName}";
}

public sealed record WerkbakPage(WerkbakFilter Filter, IReadOnlyList<WerkbakRow> Rows, IReadOnlyDictionary<string, int> CountPerStatus,
    IReadOnlyList<(long Id, string Name)> Centres, IReadOnlyList<(int Id, string Name)> Wijken, DateTimeOffset Now, bool Truncated);

/// <summary>
/// Stadsbedrijven's werkbak: the meldingen of all centres (beheerders: their own centres) with filters, a sort order and a
/// count per status (over the other filters). No personal data of the reporter in the list or the export.
/// </summary>
public sealed class WerkbakQuery(NpgsqlDataSource dataSource, MeldingAccessQuery access, TimeProvider time)
{
    public const int Limit = 1000;

    public async Task<WerkbakPage> LoadAsync(WerkbakFilter filter, int limit = Limit)
    {
        filter.Normalise();
        var now = time.GetUtcNow();
        var visible = await access.VisibleCentreIdsAsync();
        var all = visible is null;
        var order = filter.Sortering switch
        {
            "nieuwste" => "m.created_at desc, m.id desc",
            "urgentie" => "case m.urgency when 'spoed' then 0 when 'hoog' then 1 when 'normaal' then 2 else 3 end, m.due_at, m.id",
            "buurtcentrum" => "c.name, m.due_at, m.id",
            _ => "(m.status = any(@open)) desc, m.due_at, m.id",
        };
        // The filters except status; the status filter comes on top for the list, not for the counts.
        const string where = """
            (@all or m.centre_id = any(@visible))
            and (@urgency::text is null or m.urgency = @urgency)
            and (@category::text is null or m.category = @category)
            and (@centreId::bigint is null or m.centre_id = @centreId)
            and (@wijkId::int is null or c.wijk_id = @wijkId)
            and (not @overdue or (m.status = any(@open) and m.due_at < @now))
            """;
        var args = new
        {
            all, visible = visible ?? [], urgency = filter.Urgentie, category = filter.Categorie, centreId = filter.Centrum,
            wijkId = filter.Wijk, overdue = filter.TeLaat, now, open = MeldingStatus.Open.ToArray(),
            status = filter.Status == "open" ? null : filter.Status, onlyOpen = filter.Status == "open", limit = limit + 1,
        };
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<WerkbakRow>($"""
            select m.id, c.name as centre_name, w.name as wijk_name, r.name as room_name, m.category, m.kind, m.urgency, m.status,
                   m.description, m.created_at, m.due_at, m.solved_at, m.updated_at, m.planned_on, m.assignee,
                   (select count(*)::int from melding_followers f where f.melding_id = m.id) as also_affected
            from meldingen m
            join centres c on c.id = m.centre_id
            join wijken w on w.id = c.wijk_id
            left join rooms r on r.id = m.room_id
            where {where}
              and (@status::text is null or m.status = @status)
              and (not @onlyOpen or m.status = any(@open))
            order by {order}
            limit @limit
            """, args)).ToList();
        var counts = (await connection.QueryAsync<(string Status, int Count)>($"""
            select m.status, count(*)::int from meldingen m join centres c on c.id = m.centre_id
            where {where}
            group by m.status
            """, args)).ToDictionary(x => x.Status, x => x.Count);
        var centres = (await connection.QueryAsync<(long Id, string Name)>(
            "select id, name from centres where @all or id = any(@visible) order by name", new { all, visible = visible ?? [] })).ToList();
        var wijken = (await connection.QueryAsync<(int Id, string Name)>(
            "select distinct w.id::int, w.name from wijken w join centres c on c.wijk_id = w.id where @all or c.id = any(@visible) order by w.name",
            new { all, visible = visible ?? [] })).ToList();
        var truncated = rows.Count > limit;
        return new WerkbakPage(filter, truncated ? rows.Take(limit).ToList() : rows, counts, centres, wijken, now, truncated);
    }
}

/// <summary>The werkbak as CSV for Excel: semicolons, UTF-8 with BOM, every cell quoted, formulas defused.</summary>
public static class WerkbakCsv
{
    private static readonly CultureInfo Dutch = new("nl-NL");

    public static byte[] Write(WerkbakPage page)
    {
        var csv = new StringBuilder();
        Line(csv, ["Nummer", "Buurtcentrum", "Wijk", "Ruimte", "Categorie", "Soort", "Urgentie", "Status", "Gemeld", "Streeftijd",
            "Te laat", "Gepland", "Wie", "Ook last", "Omschrijving"]);
        foreach (var r in page.Rows)
        {
            var clock = r.Clock(page.Now);
            Line(csv,
            [
                r.Id.ToString(CultureInfo.InvariantCulture), r.CentreName, r.WijkName, r.RoomName ?? "", MeldingCodes.CategoryName(r.Category),
                MeldingCodes.KindName(r.Kind), MeldingCodes.UrgencyName(r.Urgency), MeldingStatus.Name(r.Status),
                r.LocalCreated.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                AmsterdamTime.ToLocal(clock.Deadline).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                clock.Overdue ? "ja" : "nee", r.PlannedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", r.Assignee ?? "",
                r.AlsoAffected.ToString(CultureInfo.InvariantCulture), r.Description,
            ]);
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static void Line(StringBuilder csv, IEnumerable<string> cells) =>
        csv.Append(string.Join(';', cells.Select(Cell))).Append("\r\n");

    /// <summary>Quoted; a cell that a spreadsheet would read as a formula (=, +, -, @, tab, return) gets a leading apostrophe.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n') value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
