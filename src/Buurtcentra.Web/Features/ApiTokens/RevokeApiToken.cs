using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.ApiTokens;

/// <summary>
/// Revokes one of the person's own tokens; from the next request on it gives 401. Revoking twice is harmless.
/// Returns the token's name, or null when the person has no token with this id (answer 404: another person's
/// token looks exactly like one that does not exist).
/// </summary>
public sealed class RevokeApiTokenHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<string?> HandleAsync(long userId, long tokenId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<string>("""
            update api_tokens set revoked_at = coalesce(revoked_at, @now)
            where id = @tokenId and user_id = @userId
            returning name
            """, new { tokenId, userId, now = time.GetUtcNow() });
    }
}
