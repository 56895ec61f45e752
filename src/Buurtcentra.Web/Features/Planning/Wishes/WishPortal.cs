using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Wishes;

/// <summary>A round as a group sees it on /planning: open for wishes or not, and the group's own wishes in it.</summary>
public sealed record PortalRound(RoundHeader Round, bool MaySubmit, IReadOnlyList<WishSummary> Wishes);

public sealed record PortalPage(string OrganisationName, IReadOnlyList<PortalRound> Rounds);

/// <summary>
/// "Voorkeursplanning" for a gebruiker: the rounds open for wishes, and every round (past its concept) in which their
/// organisation has wishes, with those wishes.
/// </summary>
public sealed class WishPortalQuery(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<PortalPage?> LoadAsync(long userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var organisation = await connection.QuerySingleOrDefaultAsync<(long Id, string Name)?>(
            "select o.id, o.name from users u join organisations o on o.id = u.organisation_id where u.id = @userId", new { userId });
        if (organisation is null) return null;
        var organisationId = organisation.Value.Id;
        var roundIds = await connection.QueryAsync<long>("""
            select r.id from planning_rounds r
            where r.phase = 'open'
               or (r.phase <> 'concept' and exists (select 1 from planning_wishes w where w.round_id = r.id and w.organisation_id = @organisationId))
            order by r.season_start desc, r.id desc
            """, new { organisationId });
        var wishes = await WishSummary.WithOptionsAsync(connection, await connection.QueryAsync<WishSummary>($"""
            {WishSummary.SelectSql}
            where w.organisation_id = @organisationId and w.round_id = any(@roundIds)
            order by w.status, lower(w.activity), w.id
            """, new { organisationId, roundIds = roundIds.ToArray() }));
        var today = AmsterdamTime.Today(time);
        var rounds = new List<PortalRound>();
        foreach (var roundId in roundIds)
        {
            var round = (await RoundQuery.LoadAsync(connection, roundId))!;
            rounds.Add(new PortalRound(round, round.GroupsMaySubmit(today), wishes.Where(w => w.RoundId == roundId).ToList()));
        }
        return new PortalPage(organisation.Value.Name, rounds);
    }
}

/// <summary>The group confirms a continuity wish: "alles blijft zoals het was". Only while the round takes wishes.</summary>
public sealed class ConfirmContinuityHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(WishRow wish, WishActor actor)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await SaveWishHandler.PhaseErrorAsync(connection, transaction, wish.RoundId, actor, AmsterdamTime.Today(time)) is { } error)
        {
            return CommandResult.Fail("", error);
        }
        var updated = await connection.ExecuteAsync("""
            update planning_wishes set continuity_answer = 'bevestigd', updated_at = @now
            where id = @wishId and status = 'ingediend' and continuity_answer is not null
            """, new { wishId = wish.Id, now = time.GetUtcNow() }, transaction);
        if (updated == 0) return CommandResult.Fail("", "Deze wens kunt u niet bevestigen: hij is ingetrokken of komt niet uit vorig seizoen.");
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}
