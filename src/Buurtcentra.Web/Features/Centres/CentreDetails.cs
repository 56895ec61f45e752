using Buurtcentra.Web.Infrastructure.Time;
using Npgsql;

namespace Buurtcentra.Web.Features.Centres;

/// <summary>A centre with its closure days from today up to 12 months ahead.</summary>
public sealed record CentreDetails(Centre Centre, DateOnly Today, DateOnly ClosuresUntil);

/// <summary>One active centre by slug, or null (unknown or inactive). Two round trips.</summary>
public sealed class CentreDetailsQuery(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<CentreDetails?> RunAsync(string slug)
    {
        var today = AmsterdamTime.Today(time);
        var until = today.AddMonths(12);
        await using var connection = await dataSource.OpenConnectionAsync();
        var centres = await CentreLoader.LoadAsync(connection,
            $"{CentreLoader.CentresFrom} where c.active and c.slug = @slug",
            new { slug }, RoomFilter.None, today, until);
        return centres.Count == 0 ? null : new CentreDetails(centres[0], today, until);
    }
}
