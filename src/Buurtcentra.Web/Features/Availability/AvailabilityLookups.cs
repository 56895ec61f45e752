using System.Globalization;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Availability;

/// <summary>A code from a lookup table (facility, accessibility feature) with its Dutch name.</summary>
public sealed record CodeOption(string Code, string Name);

/// <summary>A wijk with its centroid (null when unknown).</summary>
public sealed record WijkOption(int Id, string Name, double? Latitude, double? Longitude);

/// <summary>An active centre for "in de buurt van"; without own coordinates it has its wijk's centroid.</summary>
public sealed record CentreOption(long Id, string Slug, string Name, int WijkId, double? Latitude, double? Longitude);

/// <summary>Where "nearest first" is measured from, e.g. "wijk Zuid" or "Buurtcentrum De Boog".</summary>
public sealed record ReferencePoint(string Value, string Name, double? Latitude, double? Longitude)
{
    public bool HasCoordinates => Latitude is not null && Longitude is not null;
}

/// <summary>The choices of the room finder: wijken, facilities, accessibility features and the active centres.</summary>
public sealed record AvailabilityLookups(
    IReadOnlyList<WijkOption> Wijken, IReadOnlyList<CodeOption> Facilities, IReadOnlyList<CodeOption> Accessibility,
    IReadOnlyList<CentreOption> Centres)
{
    /// <summary>A wijk by its number ("7") or its name ("Zuid", any case).</summary>
    public WijkOption? FindWijk(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? Wijken.FirstOrDefault(w => w.Id == id)
            : Wijken.FirstOrDefault(w => string.Equals(w.Name, text, StringComparison.OrdinalIgnoreCase));
    }

    public CodeOption? FindFacility(string? code) => Find(Facilities, code);

    public CodeOption? FindAccessibility(string? code) => Find(Accessibility, code);

    /// <summary>"wijk:7" (number or name) or "centre:de-boog" (slug or id of an active centre, as GET /api/v1/centres gives them); null when unknown.</summary>
    public ReferencePoint? FindReference(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return null;
        var kind = text[..colon].Trim().ToLowerInvariant();
        var key = text[(colon + 1)..].Trim();
        switch (kind)
        {
            case "wijk":
                var wijk = FindWijk(key);
                return wijk is null ? null : new ReferencePoint($"wijk:{wijk.Id}", $"wijk {wijk.Name}", wijk.Latitude, wijk.Longitude);
            case "centre" or "centrum":
                var centre = long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    ? Centres.FirstOrDefault(c => c.Id == id)
                    : Centres.FirstOrDefault(c => string.Equals(c.Slug, key, StringComparison.OrdinalIgnoreCase));
                return centre is null ? null : new ReferencePoint($"centre:{centre.Slug}", centre.Name, centre.Latitude, centre.Longitude);
            default:
                return null;
        }
    }

    private static CodeOption? Find(IReadOnlyList<CodeOption> list, string? code)
    {
        var text = code?.Trim();
        return string.IsNullOrEmpty(text) ? null : list.FirstOrDefault(x => string.Equals(x.Code, text, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Loads the finder's lookups once per request (one round trip), shared by validator, query and view.</summary>
public sealed class AvailabilityLookupsQuery(NpgsqlDataSource dataSource)
{
    /// <summary>Wijken, facilities, accessibility features and active centres; public for `make bench`'s raw-SQL column.</summary>
    public const string Sql = """
        select id::int as id, name, latitude, longitude from wijken order by id;
        select code, name from facilities order by sort_order;
        select code, name from accessibility_features order by sort_order;
        select c.id, c.slug, c.name, c.wijk_id::int as wijk_id,
               coalesce(c.latitude, w.latitude) as latitude, coalesce(c.longitude, w.longitude) as longitude
        from centres c join wijken w on w.id = c.wijk_id
        where c.active
        order by lower(c.name);
        """;

    private Task<AvailabilityLookups>? loaded;

    public Task<AvailabilityLookups> GetAsync() => loaded ??= LoadAsync();

    private async Task<AvailabilityLookups> LoadAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = await connection.QueryMultipleAsync(Sql);
        var wijken = (await batch.ReadAsync<WijkOption>()).ToList();
        var facilities = (await batch.ReadAsync<CodeOption>()).ToList();
        var accessibility = (await batch.ReadAsync<CodeOption>()).ToList();
        var centres = (await batch.ReadAsync<CentreOption>()).ToList();
        return new AvailabilityLookups(wijken, facilities, accessibility, centres);
    }
}

public static class Distance
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>Great-circle distance in kilometres (haversine); plenty precise within one city.</summary>
    public static double Kilometres(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
