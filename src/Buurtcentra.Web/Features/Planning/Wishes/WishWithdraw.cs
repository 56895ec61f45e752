using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Wishes;

/// <summary>
/// Withdraws a wish (status "ingetrokken"): the group while the round is open and the deadline has not passed, the
/// beheerder until the round is adopted. The wish stays visible, so everyone can see it was withdrawn.
/// </summary>
public sealed class WithdrawWishHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The caller has checked that the actor may change this wish.</summary>
    public async Task<CommandResult> HandleAsync(WishRow wish, WishActor actor)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await SaveWishHandler.PhaseErrorAsync(connection, transaction, wish.RoundId, actor, AmsterdamTime.Today(time)) is { } error)
        {
            return CommandResult.Fail("", error);
        }
        var updated = await connection.ExecuteAsync(
            "update planning_wishes set status = 'ingetrokken', updated_at = @now where id = @wishId and status = 'ingediend'",
            new { wishId = wish.Id, now = time.GetUtcNow() }, transaction);
        if (updated == 0) return CommandResult.Fail("", "Deze wens was al ingetrokken.");
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}
