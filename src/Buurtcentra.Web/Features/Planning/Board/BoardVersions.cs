using Buurtcentra.Web.Features.Planning.Runs;
using Buurtcentra.Web.Features.Planning.Wishes;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Board;

/// <summary>A wish whose place differs between two versions.</summary>
public sealed record VersionDifference(WishRow Wish, string CentreName, string InA, string InB);

public sealed record VersionsPage(BoardRound Round, IReadOnlyList<ProposalRow> Proposals, ProposalRow? A, ProposalRow? B,
    IReadOnlyList<VersionDifference> Differences, IReadOnlyList<RunRow> Runs, long? ActiveRunId)
{
    public string Url => $"/beheer/planning/rondes/{Round.Id}/versies";
}

/// <summary>
/// The versions of a round's proposal (who, when, how, with what result) and the comparison of two of them: the wishes
/// whose allocation differs. Only the wishes of the centres the person manages are compared.
/// </summary>
public sealed class BoardVersionsQuery(NpgsqlDataSource dataSource, RunStatusQuery runs)
{
    public async Task<VersionsPage> LoadAsync(BoardRound round, int? a, int? b)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var proposals = await BoardData.ProposalsAsync(connection, round.Id);
        var versionB = proposals.FirstOrDefault(p => p.Version == b) ?? proposals.FirstOrDefault();
        var versionA = proposals.FirstOrDefault(p => p.Version == a && p.Version != versionB?.Version)
            ?? proposals.FirstOrDefault(p => versionB is not null && p.Version < versionB.Version)
            ?? proposals.FirstOrDefault(p => p.Version != versionB?.Version);
        var differences = new List<VersionDifference>();
        if (versionA is not null && versionB is not null)
        {
            var wishes = await BoardData.WishesAsync(connection, round.Id, round.CentreIds, includeWithdrawn: true);
            var inA = (await BoardData.AllocationsAsync(connection, versionA.Id, round.CentreIds)).ToDictionary(x => x.WishId);
            var inB = (await BoardData.AllocationsAsync(connection, versionB.Id, round.CentreIds)).ToDictionary(x => x.WishId);
            var names = await ExplanationNames.LoadAsync(connection, round.Id);
            foreach (var wish in wishes)
            {
                var x = inA.GetValueOrDefault(wish.Id);
                var y = inB.GetValueOrDefault(wish.Id);
                if (x is null && y is null) continue;
                if (x is not null && x.SamePlace(y)) continue;
                differences.Add(new VersionDifference(wish, names.Centres.GetValueOrDefault(wish.CentreId, ""), Describe(x, wish, names), Describe(y, wish, names)));
            }
        }
        var activeRun = await BoardData.ActiveRunAsync(connection, round.Id);
        return new VersionsPage(round, proposals, versionA, versionB, differences, await runs.RecentAsync(round.Id), activeRun);
    }

    private static string Describe(AllocationRow? allocation, WishRow wish, ExplanationNames names) => allocation switch
    {
        null => "Niet in deze versie",
        { Place: { } place } => ExplanationText.Place(place, wish.Explained, names),
        _ => "Niet toegekend",
    };
}
