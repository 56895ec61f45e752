using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.MailLog;

public sealed class MailLogFilter
{
    /// <summary>wachtend, verzonden or mislukt; anything else shows every status.</summary>
    public string? Status { get; set; }

    /// <summary>Part of the recipient's address.</summary>
    public string? Adres { get; set; }

    public int? Pagina { get; set; }
}

public sealed record MailLogRow(long Id, DateTime CreatedAt, string Kind, string ToAddress, string ToName, string Subject,
    string Status, int Attempts, string? LastError, DateTime? SentAt, DateTime NextAttemptAt, string? CentreName);

public sealed record MailLogPage(MailLogFilter Filter, IReadOnlyList<MailLogRow> Rows, int Total, int Page, int PageCount)
{
    /// <summary>The list's address with the same filters on another page.</summary>
    public string UrlFor(int page)
    {
        var query = new List<string>();
        if (Filter.Status is { Length: > 0 } status) query.Add("status=" + Uri.EscapeDataString(status));
        if (Filter.Adres is { Length: > 0 } address) query.Add("adres=" + Uri.EscapeDataString(address));
        if (page > 1) query.Add("pagina=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/beheer/mail" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }
}

/// <summary>The mail log, newest first, 50 a page, limited to the mail the person may see.</summary>
public sealed class MailLogQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public const int PageSize = 50;

    public async Task<MailLogPage> RunAsync(MailLogFilter filter, bool isFunctioneelBeheerder)
    {
        var status = MailLogText.Statuses.ContainsKey(filter.Status ?? "") ? filter.Status : null;
        var address = string.IsNullOrWhiteSpace(filter.Adres) ? null : filter.Adres.Trim();
        if (address is { Length: > 200 }) address = address[..200];
        var clean = new MailLogFilter { Status = status, Adres = address, Pagina = filter.Pagina };

        var visible = isFunctioneelBeheerder ? [] : (await access.ManageableCentreIdsAsync()).ToArray();
        var parameters = new
        {
            all = isFunctioneelBeheerder,
            visible,
            status,
            pattern = address is null ? null : "%" + EscapeLike(address) + "%",
        };
        const string where = """
            where (@all or o.centre_id = any(@visible))
              and (@status::text is null or o.status = @status)
              and (@pattern::text is null or o.to_address ilike @pattern escape '\')
            """;

        await using var connection = await dataSource.OpenConnectionAsync();
        var total = await connection.ExecuteScalarAsync<int>($"select count(*) from outbox o {where}", parameters);
        var pageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Pagina ?? 1, 1, pageCount);
        var rows = await connection.QueryAsync<MailLogRow>($"""
            select o.id, o.created_at, o.kind, o.to_address, o.to_name, o.subject, o.status, o.attempts, o.last_error,
                   o.sent_at, o.next_attempt_at, c.name as centre_name
            from outbox o
            left join centres c on c.id = o.centre_id
            {where}
            order by o.created_at desc, o.id desc
            limit @limit offset @offset
            """, new { parameters.all, parameters.visible, parameters.status, parameters.pattern, limit = PageSize, offset = (page - 1) * PageSize });
        return new MailLogPage(clean, rows.ToList(), total, page, pageCount);
    }

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
