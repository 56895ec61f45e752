using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Organisations;

public sealed class OrganisationFilter
{
    public string? Kind { get; set; }
    public string? Category { get; set; }
    public string? Q { get; set; }
}

public sealed record OrganisationRow(long Id, string Name, string Kind, string? Category, string? ContactEmail, string? Phone, bool Active);

public sealed record OrganisationListPage(OrganisationFilter Filter, IReadOnlyList<OrganisationRow> Rows);

public sealed class ListOrganisationsQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<OrganisationRow>> RunAsync(OrganisationFilter filter)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<OrganisationRow>("""
            select id, name, kind, category, contact_email, phone, active
            from organisations
            where (@kind::text is null or kind = @kind)
              and (@category::text is null or category = @category)
              and (@q::text is null or position(lower(@q) in lower(name)) > 0)
            order by lower(name)
            """, new
        {
            kind = Blank(filter.Kind),
            category = Blank(filter.Category),
            q = Blank(filter.Q),
        });
        return rows.ToList();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
