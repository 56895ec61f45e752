using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Database;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Buurtcentra.Tests.Infrastructure;

public sealed class MigrationTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    [Fact]
    public async Task Every_migration_is_journalled_and_a_second_run_changes_nothing()
    {
        var runner = new MigrationRunner(Fixture.Database.DataSource, NullLogger<MigrationRunner>.Instance);
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        var schemaBefore = await SchemaFingerprint(connection);

        var applied = await runner.RunAsync();

        Assert.Empty(applied);
        Assert.Equal(schemaBefore, await SchemaFingerprint(connection));
        var journal = (await connection.QueryAsync<string>("select version from schema_migrations order by version")).ToList();
        Assert.Equal(MigrationRunner.EmbeddedMigrations().Select(m => m.Version), journal);
    }

    [Fact]
    public async Task Two_runners_starting_together_both_finish_without_applying_twice()
    {
        var runs = Enumerable.Range(0, 2)
            .Select(_ => new MigrationRunner(Fixture.Database.DataSource, NullLogger<MigrationRunner>.Instance).RunAsync())
            .ToArray();
        var results = await Task.WhenAll(runs);
        Assert.All(results, Assert.Empty);
        Assert.Equal(MigrationRunner.EmbeddedMigrations().Count,
            await Data.ScalarAsync<int>("select count(*)::int from schema_migrations"));
    }

    private static async Task<string> SchemaFingerprint(Npgsql.NpgsqlConnection connection) =>
        string.Join("\n", await connection.QueryAsync<string>("""
            select table_name || '.' || column_name || ':' || data_type
            from information_schema.columns where table_schema = 'public' order by 1
            """));
}
