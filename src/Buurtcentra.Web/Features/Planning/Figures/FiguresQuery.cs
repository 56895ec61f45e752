using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Rounds;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Figures;

public sealed record FiguresPage(BoardRound Round, BoardCentre? Centre, ProposalRow? Proposal, bool IsPublished, RoundFigures? Figures)
{
    public string Url => $"/beheer/planning/rondes/{Round.Id}/cijfers";
}

/// <summary>
/// Cijfers per ronde, for the centres the person manages (or one of them): from the latest proposal, or after publishing
/// from the version that was published.
/// </summary>
public sealed class FiguresQuery(NpgsqlDataSource dataSource)
{
    public async Task<FiguresPage> LoadAsync(BoardRound round, long? centreId)
    {
        var centre = round.Centres.FirstOrDefault(c => c.Id == centreId);
        var centreIds = centre is null ? round.CentreIds : [centre.Id];
        await using var connection = await dataSource.OpenConnectionAsync();
        var publishedProposal = round.Phase == RoundPhase.Published
            ? await connection.ExecuteScalarAsync<long?>("""
                select max(a.proposal_id) from planning_publications pp
                join planning_allocations a on a.id = pp.allocation_id join planning_proposals p on p.id = a.proposal_id
                where p.round_id = @Id
                """, round)
            : null;
        var proposal = publishedProposal is { } id
            ? (await BoardData.ProposalsAsync(connection, round.Id)).FirstOrDefault(p => p.Id == id)
            : await BoardData.LatestProposalAsync(connection, round.Id);
        if (proposal is null) return new FiguresPage(round, centre, null, false, null);

        var wishes = await BoardData.WishesAsync(connection, round.Id, centreIds);
        var allocations = await BoardData.AllocationsAsync(connection, proposal.Id, centreIds);
        var rooms = (await connection.QueryAsync<FiguresRoom>(
            "select id, centre_id from rooms where centre_id = any(@centreIds) and active", new { centreIds })).ToList();
        var hours = (await connection.QueryAsync<(long CentreId, int Weekday, TimeOnly Opens, TimeOnly Closes)>(
            "select centre_id, weekday::int as weekday, opens_at, closes_at from opening_hours where centre_id = any(@centreIds)", new { centreIds }))
            .Select(h => (h.CentreId, new OpeningSpan(h.Weekday, BoardFormat.Minutes(h.Opens), h.Closes == TimeOnly.MinValue ? 1440 : BoardFormat.Minutes(h.Closes))))
            .ToList();
        var figures = FiguresCalculator.Calculate(
            wishes.Select(w => new FiguresWish(w.Id, w.GroupKey, w.GroupName, w.Category, w.PlanFrequency, w.DurationMinutes)).ToList(),
            allocations.Select(a => new FiguresAllocation(a.WishId, a.Place, a.OptionRank)).ToList(),
            rooms, hours);
        return new FiguresPage(round, centre, proposal, publishedProposal is not null, figures);
    }
}
