using System.Globalization;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Centres;

/// <summary>
/// A centre as the API names it: its id ("3") or its slug ("de-boog"); GET /api/v1/centres hands out both. Every API
/// parameter that takes a centre resolves it here. Whether the caller may see that centre is for the caller to decide.
/// </summary>
public sealed class CentreKeyQuery(NpgsqlDataSource dataSource)
{
    public const string Hint = "Gebruik de id of de slug uit GET /api/v1/centres, bijvoorbeeld 3 of de-boog.";

    /// <summary>The id of the centre (active or not), or null when there is none with this id or slug.</summary>
    public async Task<long?> FindAsync(string? key) => (await FindKeyAsync(key))?.Id;

    public async Task<CentreKey?> FindKeyAsync(string? key)
    {
        var text = key?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 200) return null;
        await using var connection = await dataSource.OpenConnectionAsync();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await connection.QuerySingleOrDefaultAsync<CentreKey>("select id, slug from centres where id = @id", new { id })
            : await connection.QuerySingleOrDefaultAsync<CentreKey>("select id, slug from centres where slug = lower(@text)", new { text });
    }
}

public sealed record CentreKey(long Id, string Slug);
