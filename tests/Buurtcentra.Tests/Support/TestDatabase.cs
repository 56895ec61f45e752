using Buurtcentra.Web.Infrastructure.Database;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Respawn;

namespace Buurtcentra.Tests.Support;

/// <summary>
/// A real PostgreSQL database per test project, created and migrated by the tests themselves on the cluster
/// that `make test` starts (ConnectionStrings__Default). Respawn empties it between tests.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    // Lookup tables are filled by the migrations and stay.
    private static readonly string[] KeptTables = ["schema_migrations", "wijken", "room_types", "facilities", "accessibility_features", "target_groups"];

    private Respawner? respawner;

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    private TestDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>A database name per checkout, so several working copies can test side by side on one cluster.</summary>
    public static string NameFor(string purpose)
    {
        var checkout = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(AppContext.BaseDirectory)))[..8];
        return $"buurtcentra_test_{purpose}_{checkout}";
    }

    /// <param name="server">Another PostgreSQL server than the one of ConnectionStrings__Default (a test's own throwaway cluster).</param>
    public static async Task<TestDatabase> CreateAsync(string name, string? server = null)
    {
        var configured = server ?? Environment.GetEnvironmentVariable("ConnectionStrings__Default");
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException("ConnectionStrings__Default is not set: run the tests with 'make test', which starts PostgreSQL.");
        }
        var builder = new NpgsqlConnectionStringBuilder(configured) { Database = name, Pooling = true, MaxPoolSize = 100 };
        var maintenance = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Pooling = false };

        await using (var connection = new NpgsqlConnection(maintenance.ConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"drop database if exists \"{name}\" with (force)");
            await connection.ExecuteAsync($"create database \"{name}\"");
        }

        var database = new TestDatabase(builder.ConnectionString);
        await new MigrationRunner(database.DataSource, NullLogger<MigrationRunner>.Instance).RunAsync();
        return database;
    }

    public async Task ResetAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = KeptTables.Select(t => new Respawn.Graph.Table(t)).ToArray(),
            WithReseed = true,
        });
        await respawner.ResetAsync(connection);
    }

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}
