using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Policy;

// Form and validator: PolicyForm / PolicyValidator (PolicyForm.cs).

/// <summary>
/// Saves the policy's text and weights as a new version (version + 1), with the protected blocks of the previous
/// version copied. Saving without any change makes no new version.
/// </summary>
public sealed class SavePolicyHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <returns>Ok with the new version number in <paramref name="newVersion"/> (0 when nothing changed), or a message.</returns>
    public async Task<(CommandResult Result, int NewVersion)> HandleAsync(RoundHeader round, PolicyForm form, long userId)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before saving.");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var latest = await PolicyVersions.LockLatestAsync(connection, transaction, round.Id);
        if (latest is null) return (CommandResult.Fail("", PolicyVersions.NotEditable), 0);
        if (Same(latest, form)) return (CommandResult.Ok(), 0);

        var version = await PolicyVersions.InsertAsync(connection, transaction, latest, form, userId, time.GetUtcNow());
        await PolicyVersions.CopyBlocksAsync(connection, transaction, latest.Id, version.Id, dropBlockId: null);
        await transaction.CommitAsync();
        return (CommandResult.Ok(), version.Version);
    }

    private static bool Same(PolicyVersion p, PolicyForm f) =>
        p.Description == f.Description && p.WeightHuiskamer == f.WeightHuiskamer && p.WeightSpDo == f.WeightSpDo && p.WeightBewoners == f.WeightBewoners
        && p.WeightMaatschappelijk == f.WeightMaatschappelijk && p.WeightCommercieel == f.WeightCommercieel && p.ContinuityBonus == f.ContinuityBonus
        && p.RankBonus1 == f.RankBonus1 && p.RankBonus2 == f.RankBonus2 && p.RankBonus3 == f.RankBonus3 && p.SpreadBonus == f.SpreadBonus
        && p.Fairness == f.Fairness;
}

/// <summary>Writing policy versions: always inside the caller's transaction, with the round row locked so versions never collide.</summary>
internal static class PolicyVersions
{
    public const string NotEditable = "Het beleid kan niet meer veranderen: de ronde is vastgesteld of gepubliceerd.";

    /// <summary>Locks the round and returns its latest policy version; null when the policy may no longer change.</summary>
    public static async Task<PolicyVersion?> LockLatestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long roundId)
    {
        var phase = await connection.ExecuteScalarAsync<string?>(
            "select phase from planning_rounds where id = @roundId for update", new { roundId }, transaction);
        if (phase is null || RoundPhase.Index(phase) >= RoundPhase.Index(RoundPhase.Adopted)) return null;
        return await connection.QuerySingleOrDefaultAsync<PolicyVersion>($"""
            {PolicyQuery.SelectSql}
            where p.round_id = @roundId order by p.version desc limit 1
            """, new { roundId }, transaction);
    }

    public static async Task<PolicyVersion> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PolicyVersion latest,
        PolicyForm? form, long userId, DateTimeOffset now)
    {
        var values = form ?? PolicyForm.From(latest);
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                                           weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, fairness,
                                           created_by_user_id, created_at)
            values (@roundId, @version, @Description, @WeightHuiskamer, @WeightSpDo, @WeightBewoners, @WeightMaatschappelijk, @WeightCommercieel,
                    @ContinuityBonus, @RankBonus1, @RankBonus2, @RankBonus3, @SpreadBonus, @Fairness, @userId, @now)
            returning id
            """, new
        {
            roundId = latest.RoundId, version = latest.Version + 1, values.Description, values.WeightHuiskamer, values.WeightSpDo, values.WeightBewoners,
            values.WeightMaatschappelijk, values.WeightCommercieel, values.ContinuityBonus, values.RankBonus1, values.RankBonus2, values.RankBonus3,
            values.SpreadBonus, values.Fairness, userId, now,
        }, transaction);
        return latest with { Id = id, Version = latest.Version + 1 };
    }

    public static Task CopyBlocksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long fromPolicyId, long toPolicyId, long? dropBlockId) =>
        connection.ExecuteAsync("""
            insert into planning_protected_blocks (policy_id, room_id, weekday, starts_at, ends_at, categories, label)
            select @toPolicyId, room_id, weekday, starts_at, ends_at, categories, label
            from planning_protected_blocks
            where policy_id = @fromPolicyId and id <> coalesce(@dropBlockId, 0)
            order by id
            """, new { fromPolicyId, toPolicyId, dropBlockId }, transaction);
}
