using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

/// <summary>
/// Doorrollen: every granted allocation of a published round's latest proposal becomes a wish in the new round,
/// marked "continuïteit" (continues_allocation_id, continuity_answer 'open'), with option 1 = the same room, weekday
/// and start. The groups then confirm, change or withdraw it. Only allocations in the new round's centres are taken;
/// running it again adds only what is not yet there.
/// </summary>
public sealed class RolloverHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    public sealed record Outcome(bool Succeeded, int Created, string? Error)
    {
        public static Outcome Fail(string error) => new(false, 0, error);
    }

    /// <summary>The button on a concept round. The controller has checked that the person may change the round.</summary>
    public async Task<Outcome> HandleAsync(RoundHeader round, long? sourceRoundId, long actorUserId)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before doorrollen.");
        if (sourceRoundId is not { } sourceId) return Outcome.Fail("Kies de vorige ronde waaruit u wilt doorrollen.");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var outcome = await RollAsync(connection, transaction, round.Id, sourceId, await access.ManageableCentreIdsAsync(), actorUserId, time.GetUtcNow());
        if (outcome.Succeeded) await transaction.CommitAsync();
        return outcome;
    }

    /// <summary>Inside the caller's transaction (also used when a new round is created from a previous one).</summary>
    public static async Task<Outcome> RollAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long targetRoundId, long sourceRoundId,
        IReadOnlySet<long> manageableCentreIds, long? actorUserId, DateTimeOffset now)
    {
        var target = await connection.QuerySingleOrDefaultAsync<(string Phase, long? RolledFrom)?>(
            "select phase, rolled_from_round_id from planning_rounds where id = @targetRoundId for update", new { targetRoundId }, transaction);
        if (target is null) return Outcome.Fail("Deze ronde bestaat niet meer.");
        if (target.Value.Phase != RoundPhase.Concept) return Outcome.Fail("Doorrollen kan alleen zolang de ronde een concept is.");

        var ids = manageableCentreIds.ToArray();
        var source = await connection.QuerySingleOrDefaultAsync<(long Id, string Phase)?>("""
            select r.id, r.phase from planning_rounds r
            where r.id = @sourceRoundId and r.id <> @targetRoundId
              and exists (select 1 from planning_round_centres rc where rc.round_id = r.id and rc.centre_id = any(@ids))
            """, new { sourceRoundId, targetRoundId, ids }, transaction);
        if (source is null || source.Value.Phase != RoundPhase.Published)
        {
            return Outcome.Fail("Kies een gepubliceerde ronde uit de lijst.");
        }
        if (target.Value.RolledFrom is { } rolledFrom && rolledFrom != sourceRoundId)
        {
            return Outcome.Fail("Deze ronde is al doorgerold vanuit een andere ronde. U kunt maar uit één vorige ronde doorrollen.");
        }

        var proposalId = await connection.ExecuteScalarAsync<long?>(
            "select id from planning_proposals where round_id = @sourceRoundId order by version desc limit 1", new { sourceRoundId }, transaction);
        if (proposalId is null) return Outcome.Fail("De gekozen ronde heeft geen rooster. Er is niets om door te rollen.");

        // One statement: the new wishes and their first option. Duration: what was granted, when that is a valid wish duration.
        var created = await connection.ExecuteAsync("""
            with granted as (
                select a.id as allocation_id, a.room_id, a.weekday, a.starts_at, a.ends_at, rm.centre_id as room_centre_id,
                       (extract(epoch from (a.ends_at - a.starts_at)) / 60)::int as granted_minutes, w.*
                from planning_allocations a
                join planning_wishes w on w.id = a.wish_id
                join rooms rm on rm.id = a.room_id
                where a.proposal_id = @proposalId and a.room_id is not null and w.status = 'ingediend'
                  and rm.centre_id in (select centre_id from planning_round_centres where round_id = @targetRoundId)
                  and not exists (select 1 from planning_wishes x where x.round_id = @targetRoundId and x.continues_allocation_id = a.id)
            ), inserted as (
                insert into planning_wishes (round_id, centre_id, organisation_id, group_name, contact_name, contact_email, activity, category,
                                             target_groups, participants, facilities, accessibility, frequency, duration_minutes, is_public,
                                             remarks, continues_allocation_id, continuity_answer, status, submitted_by_user_id, created_at, updated_at)
                select @targetRoundId, g.room_centre_id, g.organisation_id, g.group_name, g.contact_name, g.contact_email, g.activity, g.category,
                       g.target_groups, g.participants, g.facilities, g.accessibility, g.frequency,
                       case when g.granted_minutes between 15 and 720 and g.granted_minutes % 15 = 0 then g.granted_minutes else g.duration_minutes end,
                       g.is_public, g.remarks, g.allocation_id, 'open', 'ingediend', @actorUserId, @now, @now
                from granted g
                order by g.allocation_id
                returning id, continues_allocation_id
            )
            insert into planning_wish_options (wish_id, rank, room_id, weekday, earliest_start, latest_start)
            select i.id, 1, a.room_id, a.weekday, a.starts_at, a.starts_at
            from inserted i join planning_allocations a on a.id = i.continues_allocation_id
            """, new { proposalId, targetRoundId, actorUserId, now }, transaction);

        await connection.ExecuteAsync(
            "update planning_rounds set rolled_from_round_id = @sourceRoundId, updated_at = @now where id = @targetRoundId",
            new { sourceRoundId, targetRoundId, now }, transaction);
        return new Outcome(true, created, null);
    }
}
