using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Users;

public sealed class UserFilter
{
    public string? Role { get; set; }
}

public sealed record UserRow(long Id, string DisplayName, string Email, string Role, string? OrganisationName, string? Centres,
    bool Active, DateTime? LastLoginAt);

public sealed record UserListPage(UserFilter Filter, IReadOnlyList<UserRow> Rows);

public sealed class ListUsersQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<UserRow>> RunAsync(UserFilter filter)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<UserRow>("""
            select u.id, u.display_name, u.email, u.role, o.name as organisation_name,
                   (select string_agg(c.name, ', ' order by lower(c.name))
                    from user_centres uc join centres c on c.id = uc.centre_id
                    where uc.user_id = u.id) as centres,
                   u.active, u.last_login_at
            from users u
            left join organisations o on o.id = u.organisation_id
            where (@role::text is null or u.role = @role)
            order by lower(u.display_name), u.id
            """, new { role = string.IsNullOrWhiteSpace(filter.Role) ? null : filter.Role });
        return rows.ToList();
    }
}
