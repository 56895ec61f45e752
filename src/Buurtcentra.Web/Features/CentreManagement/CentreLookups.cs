using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.CentreManagement;

/// <summary>The choices for the wijk and SMO selects.</summary>
public sealed record CentreChoices(IReadOnlyList<SelectListItem> Wijken, IReadOnlyList<SelectListItem> Smos);

public sealed class CentreLookupsQuery(NpgsqlDataSource dataSource)
{
    /// <param name="currentSmoId">Kept in the list even when that SMO is no longer active.</param>
    public async Task<CentreChoices> GetAsync(long? currentSmoId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var wijken = await connection.QueryAsync<(int Id, string Name)>("select id::int, name from wijken order by name");
        var smos = await connection.QueryAsync<(long Id, string Name)>(
            "select id, name from organisations where kind = 'smo' and (active or id = @currentSmoId) order by name",
            new { currentSmoId });
        return new CentreChoices(
            wijken.Select(w => new SelectListItem(w.Name, w.Id.ToString(CultureInfo.InvariantCulture))).ToList(),
            smos.Select(s => new SelectListItem(s.Name, s.Id.ToString(CultureInfo.InvariantCulture))).ToList());
    }

    /// <summary>Field errors for a wijk or SMO that does not exist (anymore); empty when both are fine.</summary>
    public static async Task<(string Field, string Error)?> CheckReferencesAsync(NpgsqlConnection connection, int wijkId, long smoId,
        long? currentSmoId, NpgsqlTransaction? transaction = null)
    {
        var wijkExists = await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from wijken where id = @wijkId)", new { wijkId }, transaction);
        if (!wijkExists) return (nameof(CentreFieldsForm.WijkId), "Kies een wijk uit de lijst.");
        var smoOk = await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from organisations where id = @smoId and kind = 'smo' and (active or id = @currentSmoId))",
            new { smoId, currentSmoId }, transaction);
        if (!smoOk) return (nameof(CentreFieldsForm.SmoId), "Kies een SMO uit de lijst.");
        return null;
    }
}
