using Buurtcentra.Web.Features.Accounts;
using Dapper;
using Npgsql;

namespace Buurtcentra.Tests.Support;

/// <summary>Inserts the rows a test needs, straight into the database.</summary>
public sealed class TestData(NpgsqlDataSource dataSource)
{
    public const string Password = "Test-wachtwoord-1";

    private static int counter;
    private static int Next() => Interlocked.Increment(ref counter);

    public async Task<long> OrganisationAsync(string? name = null, string kind = "smo", string? category = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            insert into organisations (name, kind, category, created_at, updated_at)
            values (@name, @kind, @category, now(), now()) returning id
            """, new { name = name ?? $"Organisatie {Next()}", kind, category = kind == "gebruikersgroep" ? category ?? "bewonersinitiatief" : null });
    }

    public async Task<long> CentreAsync(string? name = null, long? smoId = null, short wijkId = 7)
    {
        var n = Next();
        name ??= $"Buurtcentrum Test {n}";
        smoId ??= await OrganisationAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            insert into centres (name, slug, street, postcode, wijk_id, smo_id, created_at, updated_at)
            values (@name, @slug, 'Teststraat 1', '3511 AA', @wijkId, @smoId, now(), now()) returning id
            """, new { name, slug = $"test-{n}", wijkId, smoId });
    }

    public async Task<long> RoomAsync(long centreId, string? name = null, string type = "zaal", int capacity = 30,
        string[]? facilities = null, string[]? accessibility = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into rooms (centre_id, name, room_type, capacity, area_m2, created_at, updated_at)
            values (@centreId, @name, @type, @capacity, 50, now(), now()) returning id
            """, new { centreId, name = name ?? $"Ruimte {Next()}", type, capacity });
        foreach (var code in facilities ?? [])
            await connection.ExecuteAsync("insert into room_facilities values (@id, @code)", new { id, code });
        foreach (var code in accessibility ?? [])
            await connection.ExecuteAsync("insert into room_accessibility values (@id, @code)", new { id, code });
        return id;
    }

    public async Task OpeningHoursAsync(long centreId, int weekday, TimeOnly opens, TimeOnly closes)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into opening_hours (centre_id, weekday, opens_at, closes_at) values (@centreId, @weekday, @opens, @closes)",
            new { centreId, weekday = (short)weekday, opens, closes });
    }

    public async Task<long> UserAsync(string role, long? organisationId = null, long[]? centreIds = null, string? email = null)
    {
        var n = Next();
        email ??= $"{role.Replace('_', '.')}{n}@test.example";
        if (organisationId is null && role is "smo_coordinator" or "gebruiker")
        {
            organisationId = await OrganisationAsync(kind: role == "gebruiker" ? "gebruikersgroep" : "smo");
        }
        await using var connection = await dataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into users (email, display_name, role, organisation_id, password_hash, created_at, updated_at)
            values (@email, @name, @role, @organisationId, @hash, now(), now()) returning id
            """, new { email, name = $"Test {role} {n}", role, organisationId, hash = role == "gebruiker" ? null : Passwords.Hash(Password) });
        foreach (var centreId in centreIds ?? [])
            await connection.ExecuteAsync("insert into user_centres values (@id, @centreId)", new { id, centreId });
        return id;
    }

    public async Task<string> EmailOfAsync(long userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("select email from users where id = @userId", new { userId }) ?? "";
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}
