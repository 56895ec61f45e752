using Dapper;
using Npgsql;

namespace Buurtcentra.Benchmarks;

/// <summary>The public calendar feed of the centre with the most dates in the feed's window (30 days back, 12 months ahead).</summary>
internal static class FeedScenario
{
    public static async Task<(string Slug, long Events)> BusiestCentreAsync(NpgsqlDataSource raw, DateOnly today)
    {
        await using var connection = await raw.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(string, long)>("""
            select c.slug, count(*)
            from occurrences o join rooms r on r.id = o.room_id join centres c on c.id = r.centre_id
            where c.active and o.starts_at >= @from and o.starts_at < @until
            group by c.slug order by count(*) desc limit 1
            """, new
        {
            from = today.AddDays(-30).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            until = today.AddMonths(12).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        });
    }

    public static async Task<string> ETagAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException($"{url} sent no ETag.");
    }
}
