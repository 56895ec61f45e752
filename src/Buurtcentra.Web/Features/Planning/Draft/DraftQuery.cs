using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Features.Planning.Wishes;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Draft;

/// <summary>One line of a centre's draft roster as the groups see it: titles only (no group, no contact).</summary>
public sealed record DraftRosterLine(string Activity, string RoomName, int Weekday, int StartMinute, int EndMinute, string Rhythm);

public sealed record DraftCentre(long Id, string Name, IReadOnlyList<DraftRosterLine> Roster);

/// <summary>One of the group's own wishes: its result, the explanation and the reactions so far.</summary>
public sealed record DraftOwnWish(WishRow Wish, string CentreName, string? Result, string Explanation, IReadOnlyList<BoardReaction> Reactions)
{
    public bool IsGranted => Result is not null;
    public string Anchor => $"wens-{Wish.Id}";
}

public sealed record DraftPage(long RoundId, string RoundName, string Phase, int? Version, IReadOnlyList<DraftCentre> Centres, IReadOnlyList<DraftOwnWish> Wishes)
{
    public bool Shared => RoundPhase.GroupsSeeDraft(Phase);
    public bool CanReact => Shared && Version is not null;
    public string Url => $"/planning/rondes/{RoundId}/concept";
}

/// <summary>
/// The shared draft for a group: the draft roster of the centres of its wishes (titles only: activity, room, day, time)
/// and its own wishes with result and explanation. A wish is the person's own when they handed it in, or when it is for
/// their organisation and they are a gebruiker of it. Someone without wishes in the round gets nothing (404).
/// </summary>
public sealed class DraftQuery(NpgsqlDataSource dataSource)
{
    /// <summary>The wish ids of the round that are the user's own (see the class comment).</summary>
    public static async Task<IReadOnlyList<long>> OwnWishIdsAsync(NpgsqlConnection connection, long roundId, long userId) =>
        (await connection.QueryAsync<long>("""
            select w.id from planning_wishes w
            where w.round_id = @roundId and w.status = 'ingediend'
              and (w.submitted_by_user_id = @userId
                   or w.organisation_id = (select organisation_id from users where id = @userId and role = 'gebruiker'))
            order by w.id
            """, new { roundId, userId })).ToList();

    public async Task<DraftPage?> LoadAsync(long roundId, long userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var own = (await OwnWishIdsAsync(connection, roundId, userId)).ToHashSet();
        if (own.Count == 0) return null;
        var round = await connection.QuerySingleAsync<(string Name, string Phase)>("select name, phase from planning_rounds where id = @roundId", new { roundId });
        var wishes = (await BoardData.WishesAsync(connection, roundId, centreIds: null)).ToList();
        var mine = wishes.Where(w => own.Contains(w.Id)).ToList();
        if (!RoundPhase.GroupsSeeDraft(round.Phase))
        {
            return new DraftPage(roundId, round.Name, round.Phase, null, [], mine.Select(w => new DraftOwnWish(w, "", null, "", [])).ToList());
        }

        var proposal = await BoardData.LatestProposalAsync(connection, roundId);
        var names = await ExplanationNames.LoadAsync(connection, roundId);
        var centreIds = mine.Select(w => w.CentreId).Distinct().ToArray();
        IReadOnlyList<AllocationRow> allocations = proposal is null ? [] : await BoardData.AllocationsAsync(connection, proposal.Id, centreIds);
        var byWish = allocations.ToDictionary(a => a.WishId);
        var wishById = wishes.ToDictionary(w => w.Id);
        var reactions = (await connection.QueryAsync<BoardReaction>("""
            select x.id, x.wish_id, p.version as proposal_version, x.reaction, x.comment, x.actor_name, x.created_at
            from planning_reactions x join planning_proposals p on p.id = x.proposal_id
            where x.wish_id = any(@ids) order by x.created_at desc, x.id desc
            """, new { ids = own.ToArray() })).ToLookup(r => r.WishId);

        var centres = centreIds.Select(id => new DraftCentre(id, names.Centres.GetValueOrDefault(id, ""),
            allocations.Where(a => a.Place is not null && wishById.TryGetValue(a.WishId, out var w) && w.CentreId == id)
                .Select(a =>
                {
                    var w = wishById[a.WishId];
                    var place = a.Place!;
                    return new DraftRosterLine(w.Activity, names.Rooms.GetValueOrDefault(place.RoomId)?.Name ?? "", place.Weekday, place.StartMinute, place.EndMinute,
                        BoardFormat.FrequencyText(w.PlanFrequency, place.Lane, place.Weekday));
                })
                .OrderBy(l => l.Weekday).ThenBy(l => l.StartMinute).ThenBy(l => l.RoomName, StringComparer.CurrentCulture).ToList()))
            .OrderBy(c => c.Name, StringComparer.CurrentCulture).ToList();

        var ownWishes = mine.Select(w =>
        {
            var allocation = byWish.GetValueOrDefault(w.Id);
            var result = allocation?.Place is { } place ? ExplanationText.Place(place, w.Explained, names) : null;
            var explanation = allocation is null
                ? "Deze wens staat nog niet in het concept-rooster. De beheerder neemt hem nog mee."
                : ExplanationText.Render(ExplanationJson.Read(allocation.Explanation), w.Explained, allocation.Place, names);
            return new DraftOwnWish(w, names.Centres.GetValueOrDefault(w.CentreId, ""), result, explanation, reactions[w.Id].ToList());
        }).ToList();
        return new DraftPage(roundId, round.Name, round.Phase, proposal?.Version, centres, ownWishes);
    }
}
