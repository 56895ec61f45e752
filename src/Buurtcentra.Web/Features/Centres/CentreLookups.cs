using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Centres;

public sealed record Wijk(int Id, string Name);

/// <summary>The choices of the centre finder: the 10 wijken, the facilities and the accessibility features.</summary>
public sealed record CentreLookups(IReadOnlyList<Wijk> Wijken, IReadOnlyList<CodeName> Facilities, IReadOnlyList<CodeName> Accessibility)
{
    /// <summary>A wijk by its number ("7") or its name ("Zuid", any case).</summary>
    public Wijk? FindWijk(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? Wijken.FirstOrDefault(w => w.Id == id)
            : Wijken.FirstOrDefault(w => string.Equals(w.Name, text, StringComparison.OrdinalIgnoreCase));
    }

    public CodeName? FindFacility(string? code) => Find(Facilities, code);

    public CodeName? FindAccessibility(string? code) => Find(Accessibility, code);

    private static CodeName? Find(IReadOnlyList<CodeName> list, string? code)
    {
        var text = code?.Trim();
        return string.IsNullOrEmpty(text) ? null : list.FirstOrDefault(x => string.Equals(x.Code, text, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Loads the lookups once per request (one round trip), shared by validator, query and views.</summary>
public sealed class CentreLookupsQuery(NpgsqlDataSource dataSource)
{
    private Task<CentreLookups>? loaded;

    public Task<CentreLookups> GetAsync() => loaded ??= LoadAsync();

    private async Task<CentreLookups> LoadAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = await connection.QueryMultipleAsync("""
            select id::int as id, name from wijken order by id;
            select code, name from facilities order by sort_order;
            select code, name from accessibility_features order by sort_order;
            """);
        var wijken = (await batch.ReadAsync<Wijk>()).ToList();
        var facilities = (await batch.ReadAsync<CodeName>()).ToList();
        var accessibility = (await batch.ReadAsync<CodeName>()).ToList();
        return new CentreLookups(wijken, facilities, accessibility);
    }
}
