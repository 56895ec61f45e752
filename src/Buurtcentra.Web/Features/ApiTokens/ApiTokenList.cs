using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.ApiTokens;

/// <summary>One of the person's own tokens; the plain token is never stored, so it is never shown again.</summary>
public sealed record ApiTokenRow(long Id, string Name, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public bool Active => RevokedAt is null;
}

public sealed record ApiTokenListPage(IReadOnlyList<ApiTokenRow> Tokens, CreateApiTokenForm Form);

/// <summary>The signed-in person's tokens, active first, newest first. Nobody sees another person's tokens.</summary>
public sealed class ApiTokenListQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ApiTokenRow>> GetAsync(long userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<ApiTokenRow>("""
            select id, name, created_at, last_used_at, revoked_at
            from api_tokens
            where user_id = @userId
            order by revoked_at is not null, created_at desc, id desc
            """, new { userId })).ToList();
    }
}
