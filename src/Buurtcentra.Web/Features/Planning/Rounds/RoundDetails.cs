using Buurtcentra.Web.Features.Planning.Policy;
using Dapper;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

public sealed record RoundLogRow(string? FromPhase, string ToPhase, string ActorName, DateTime OccurredAt, string? Note);

/// <summary>Wishes per centre: handed in, withdrawn, and continuity wishes still waiting for the group's answer.</summary>
public sealed record RoundCentreCount(long CentreId, string CentreName, int Submitted, int Withdrawn, int ContinuityOpen, bool Managed);

public sealed record RoundDetailsPage(RoundHeader Round, IReadOnlyList<RoundLogRow> Log, IReadOnlyList<RoundCentreCount> Counts,
    int Closures, int PolicyVersion, string? RolledFromName, IReadOnlyList<SelectListItem> RolloverSources, string? Error);

/// <summary>"Are you sure?" before a phase change that ends the groups' wish period early; Note: what the beheerder typed.</summary>
public sealed record RoundPhaseConfirmPage(RoundHeader Round, PhaseConfirmation Confirmation, string? Note);

/// <summary>The round's page for a beheerder: phase, phase log, wishes per centre, links to the other screens.</summary>
public sealed class RoundDetailsQuery(NpgsqlDataSource dataSource, RoundChoicesQuery choices)
{
    public async Task<RoundDetailsPage> LoadAsync(RoundHeader round, string? error = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var log = await connection.QueryAsync<RoundLogRow>("""
            select from_phase, to_phase, actor_name, occurred_at, note from planning_phase_log
            where round_id = @roundId order by occurred_at desc, id desc
            """, new { roundId = round.Id });
        var counts = await connection.QueryAsync<(long CentreId, int Submitted, int Withdrawn, int ContinuityOpen)>("""
            select rc.centre_id,
                   count(w.id) filter (where w.status = 'ingediend')::int,
                   count(w.id) filter (where w.status = 'ingetrokken')::int,
                   count(w.id) filter (where w.status = 'ingediend' and w.continuity_answer = 'open')::int
            from planning_round_centres rc
            left join planning_wishes w on w.round_id = rc.round_id and w.centre_id = rc.centre_id
            where rc.round_id = @roundId
            group by rc.centre_id
            """, new { roundId = round.Id });
        var byCentre = counts.ToDictionary(c => c.CentreId);
        var closures = await connection.ExecuteScalarAsync<int>(
            "select count(*)::int from planning_round_closures where round_id = @roundId", new { roundId = round.Id });
        var policyVersion = await connection.ExecuteScalarAsync<int>(
            "select coalesce(max(version), 0) from planning_policies where round_id = @roundId", new { roundId = round.Id });
        var rolledFrom = round.RolledFromRoundId is { } fromId
            ? await connection.ExecuteScalarAsync<string?>("select name from planning_rounds where id = @fromId", new { fromId })
            : null;
        var sources = round.IsConcept && round.CanChange ? await choices.PublishedRoundsAsync(round.Id) : [];
        var rows = round.Centres.Select(c => byCentre.TryGetValue(c.Id, out var n)
            ? new RoundCentreCount(c.Id, c.Name, n.Submitted, n.Withdrawn, n.ContinuityOpen, round.Manages(c.Id))
            : new RoundCentreCount(c.Id, c.Name, 0, 0, 0, round.Manages(c.Id))).ToList();
        return new RoundDetailsPage(round, log.ToList(), rows, closures, policyVersion, rolledFrom, sources, error);
    }
}
