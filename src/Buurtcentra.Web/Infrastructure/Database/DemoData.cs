using System.Text;
using Buurtcentra.Web.Features.Accounts;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Database;

/// <summary>
/// Loads db/demo for `make run` (Demo:Load=true). Never used by tests or production configuration.
/// Idempotent: a database that already has the demo organisations is left alone.
/// </summary>
public sealed class DemoData(NpgsqlDataSource dataSource, ILogger<DemoData> logger)
{
    public const string Password = "demo-Utrecht-2026";

    /// <summary>
    /// Personal API token of beheerder.hoograven@vooruit.example in the demo data (db/demo/0002_api_token.sql holds
    /// only its SHA-256). Printed by `make run` and used in the README's curl examples. Demo data only.
    /// </summary>
    public const string ApiToken = "bc_demo-xDpxjcOnPqYjsoSsBvEuUjAmxzt7pPmg59irqg";
    private const long AdvisoryLockKey = 0x4255_5552_5444_454d; // "BUURTDEM"

    public static readonly IReadOnlyList<(string Email, string Role)> Logins =
    [
        ("functioneel@buurtcentra.example", "functioneel beheerder"),
        ("beheerder.hoograven@vooruit.example", "sociaal beheerder (Hart van Hoograven, De Boog)"),
        ("beheerder.zuilen@mekaar.example", "sociaal beheerder (De Beatrix, De Zuilenhoek)"),
        ("coordinator@vooruit.example", "SMO-coördinator Vooruit"),
        ("monteur@stadsbedrijven.example", "Stadsbedrijven"),
        ("truus@klaverjasclub.example", "gebruiker (inloglink per mail)"),
    ];

    public async Task LoadAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("select pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, transaction);
        var loaded = await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from organisations where name = 'Wijk&Co')", transaction: transaction);
        if (loaded)
        {
            logger.LogInformation("Demo data already present");
            return;
        }

        var assembly = typeof(DemoData).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("demo/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            await using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await connection.ExecuteAsync(await reader.ReadToEndAsync(), transaction: transaction);
        }
        await connection.ExecuteAsync(
            "update users set password_hash = @hash where role <> 'gebruiker' and email like '%.example'",
            new { hash = Passwords.Hash(Password) }, transaction);
        await transaction.CommitAsync();
        logger.LogInformation("Demo data loaded");
    }
}
