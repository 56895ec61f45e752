using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

// Form and validator: RoundForm / RoundValidator (RoundForm.cs).

/// <summary>
/// Changes a concept round's name, season, deadline and centres. A centre can only leave the round while nothing
/// of the round refers to it (wishes, protected blocks of the current policy, closures for that centre).
/// </summary>
public sealed class EditRoundHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    public static RoundForm FormFor(RoundHeader round) => new()
    {
        RoundId = round.Id, Name = round.Name, SeasonStart = round.SeasonStart, SeasonEnd = round.SeasonEnd,
        WishesDeadline = round.WishesDeadline, CentreIds = round.Centres.Select(c => c.Id).ToList(),
    };

    /// <returns>Null when a chosen centre is not one the person manages (answer 404; nothing is stored).</returns>
    public async Task<CommandResult?> HandleAsync(RoundHeader round, RoundForm form)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before saving.");
        var manageable = await access.ManageableCentreIdsAsync();
        if (form.CentreIds.Count == 0 || !form.CentreIds.All(manageable.Contains)) return null;

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var phase = await connection.ExecuteScalarAsync<string?>(
            "select phase from planning_rounds where id = @roundId for update", new { roundId = round.Id }, transaction);
        if (phase != RoundPhase.Concept)
        {
            return CommandResult.Fail("", "Deze ronde is geen concept meer. Naam, seizoen en buurtcentra liggen vast.");
        }

        var removed = round.Centres.Where(c => !form.CentreIds.Contains(c.Id)).ToList();
        if (removed.Count > 0)
        {
            var inUse = (await connection.QueryAsync<string>("""
                select c.name from centres c
                where c.id = any(@removed) and (
                    exists (select 1 from planning_wishes w where w.round_id = @roundId and w.centre_id = c.id)
                 or exists (select 1 from planning_round_closures x where x.round_id = @roundId and x.centre_id = c.id)
                 or exists (select 1 from planning_protected_blocks b join rooms r on r.id = b.room_id
                            where r.centre_id = c.id
                              and b.policy_id = (select id from planning_policies where round_id = @roundId order by version desc limit 1)))
                order by c.name
                """, new { removed = removed.Select(c => c.Id).ToArray(), roundId = round.Id }, transaction)).ToList();
            if (inUse.Count > 0)
            {
                return CommandResult.Fail(nameof(form.CentreIds),
                    $"{string.Join(" en ", inUse)} kan niet uit de ronde: er zijn al wensen, sluitingen of beschermde blokken voor. Haal die eerst weg.");
            }
        }

        await connection.ExecuteAsync("""
            update planning_rounds set name = @Name, season_start = @SeasonStart, season_end = @SeasonEnd, wishes_deadline = @WishesDeadline,
                                       updated_at = @now
            where id = @roundId
            """, new { form.Name, form.SeasonStart, form.SeasonEnd, form.WishesDeadline, now = time.GetUtcNow(), roundId = round.Id }, transaction);
        await connection.ExecuteAsync(
            "delete from planning_round_centres where round_id = @roundId and not (centre_id = any(@centreIds))",
            new { roundId = round.Id, centreIds = form.CentreIds.ToArray() }, transaction);
        await connection.ExecuteAsync("""
            insert into planning_round_centres (round_id, centre_id) select @roundId, c from unnest(@centreIds) as c
            on conflict do nothing
            """, new { roundId = round.Id, centreIds = form.CentreIds.ToArray() }, transaction);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}
