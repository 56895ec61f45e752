using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Database;

/// <summary>
/// Applies the numbered SQL files of db/migrations (embedded in this assembly) in order, each in its own
/// transaction, recorded in a journal table. An advisory lock lets several app instances start at once.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    private const long AdvisoryLockKey = 0x4255_5552_5443_4e54; // "BUURTCNT"

    public static IReadOnlyList<(string Version, string Sql)> EmbeddedMigrations()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (Path.GetFileNameWithoutExtension(n["migrations/".Length..]), Read(assembly, n)))
            .ToList();
    }

    /// <returns>The versions applied by this run (empty when the database was up to date).</returns>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("select pg_advisory_lock(@key)", new { key = AdvisoryLockKey });
        try
        {
            await connection.ExecuteAsync("""
                create table if not exists schema_migrations (
                    version    text primary key,
                    checksum   text not null,
                    applied_at timestamptz not null default now()
                )
                """);
            var applied = (await connection.QueryAsync<(string Version, string Checksum)>(
                "select version, checksum from schema_migrations")).ToDictionary(r => r.Version, r => r.Checksum);

            var newlyApplied = new List<string>();
            foreach (var (version, sql) in EmbeddedMigrations())
            {
                var checksum = Checksum(sql);
                if (applied.TryGetValue(version, out var knownChecksum))
                {
                    if (knownChecksum != checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {version} was changed after it was applied. Add a new migration instead of editing a landed one.");
                    }
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(sql, transaction: transaction);
                await connection.ExecuteAsync(
                    "insert into schema_migrations (version, checksum) values (@version, @checksum)",
                    new { version, checksum }, transaction);
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version}", version);
                newlyApplied.Add(version);
            }
            return newlyApplied;
        }
        finally
        {
            await connection.ExecuteAsync("select pg_advisory_unlock(@key)", new { key = AdvisoryLockKey });
        }
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
}
