using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Feeds;

/// <summary>
/// "Intrekken": from the next fetch on the link answers 404 and the calendar app stops showing new dates.
/// Returns false when the person has no active link with this id.
/// </summary>
public sealed class RevokeSubscriptionHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<bool> HandleAsync(long userId, long feedId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync(
            "update calendar_feeds set revoked_at = @now where id = @feedId and user_id = @userId and revoked_at is null",
            new { feedId, userId, now = time.GetUtcNow() }) == 1;
    }
}
