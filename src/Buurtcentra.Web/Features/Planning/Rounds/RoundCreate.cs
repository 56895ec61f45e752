using Buurtcentra.Web.Features.Planning.Policy;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

// Form and validator: RoundForm / RoundValidator (RoundForm.cs).

/// <summary>
/// Creates a round in phase "concept" for centres the person manages, with policy version 1 (the defaults) and the
/// first line of the phase log. Optionally it starts from a published round (doorrollen), all in one transaction.
/// </summary>
public sealed class CreateRoundHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    /// <returns>Null when a chosen centre is not one the person manages (answer 404; nothing is stored).</returns>
    public async Task<(CommandResult Result, long RoundId, int RolledOver)?> HandleAsync(RoundForm form, long userId, string actorName)
    {
        var manageable = await access.ManageableCentreIdsAsync();
        if (form.CentreIds.Count == 0 || !form.CentreIds.All(manageable.Contains)) return null;
        var now = time.GetUtcNow();

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var roundId = await connection.ExecuteScalarAsync<long>("""
            insert into planning_rounds (name, season_start, season_end, wishes_deadline, phase, created_by_user_id, created_at, updated_at)
            values (@Name, @SeasonStart, @SeasonEnd, @WishesDeadline, 'concept', @userId, @now, @now)
            returning id
            """, new { form.Name, form.SeasonStart, form.SeasonEnd, form.WishesDeadline, userId, now }, transaction);
        await connection.ExecuteAsync(
            "insert into planning_round_centres (round_id, centre_id) select @roundId, c from unnest(@centreIds) as c",
            new { roundId, centreIds = form.CentreIds.ToArray() }, transaction);
        await PolicyDefaults.InsertFirstVersionAsync(connection, transaction, roundId, userId, now);
        await RoundPhase.LogAsync(connection, transaction, roundId, null, RoundPhase.Concept, userId, actorName, now, "Ronde aangemaakt");

        var rolled = 0;
        if (form.RollFromRoundId is { } sourceId)
        {
            var outcome = await RolloverHandler.RollAsync(connection, transaction, roundId, sourceId, manageable, userId, now);
            if (!outcome.Succeeded) return (CommandResult.Fail(nameof(form.RollFromRoundId), outcome.Error!), 0, 0);
            rolled = outcome.Created;
        }
        await transaction.CommitAsync();
        form.RoundId = roundId;
        return (CommandResult.Ok(), roundId, rolled);
    }
}
