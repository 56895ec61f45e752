using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Features.Planning.Wishes;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Board;

public sealed record BoardRoom(long Id, string Name, int Capacity, bool Active, int SetupMinutes, int CleanupMinutes);

public sealed record BoardLock(long WishId, long? RoomId, int? Weekday, TimeOnly? StartsAt, TimeOnly? EndsAt, int Lane)
{
    public bool NotGranted => RoomId is null;
}

/// <summary>A group's reaction to the shared draft (akkoord or a remark), with the version it was about.</summary>
public sealed record BoardReaction(long Id, long WishId, int ProposalVersion, string Reaction, string? Comment, string ActorName, DateTime CreatedAt)
{
    public string ReactionName => Reaction == "akkoord" ? "Akkoord" : "Opmerking";

    /// <summary>"Opmerking: Liever om 20:00. – Truus, 3 maart 2027 14:05 (versie 2)".</summary>
    public string Line => $"{ReactionName}{(Comment is null ? "" : $": {Comment}")} – {ActorName}, {BoardFormat.LocalDateTime(CreatedAt)} (versie {ProposalVersion})";
}

public sealed record OpeningSpan(int Weekday, int OpensMinute, int ClosesMinute);

/// <summary>One wish on the board: where the latest proposal puts it (Allocation null: the wish came in after it), why, and its lock.</summary>
public sealed record BoardItem(WishRow Wish, AllocationRow? Allocation, string Explanation, BoardLock? Lock, IReadOnlyList<BoardReaction> Reactions,
    string? RoomName, IReadOnlyList<string> OptionTexts)
{
    public bool IsGranted => Allocation?.IsGranted == true;
    public GrantedPlace? Place => Allocation?.Place;
    public string Anchor => $"wens-{Wish.Id}";
    public string TimeText => Place is { } p ? BoardFormat.Span(p.StartMinute, p.EndMinute) : "";
    public string FrequencyText => BoardFormat.FrequencyText(Wish.PlanFrequency, Place?.Lane ?? 0, Place?.Weekday);
    public string LockText => Lock is null ? "Niet vastgezet" : Lock.NotGranted ? "Vastgezet: niet toekennen" : "Vastgezet";
}

public sealed record BoardPage(BoardRound Round, BoardCentre Centre, ProposalRow? Proposal, IReadOnlyList<BoardRoom> Rooms,
    IReadOnlyList<BoardItem> Items, IReadOnlyList<OpeningSpan> OpeningHours, long? ActiveRunId)
{
    public bool PhaseAllowsEditing => RoundPhase.BoardEditable(Round.Phase);
    public bool Editable => PhaseAllowsEditing && ActiveRunId is null && Proposal is not null;
    public IEnumerable<BoardItem> Granted => Items.Where(i => i.IsGranted).OrderBy(i => i.Place!.Weekday).ThenBy(i => i.Place!.StartMinute);
    public IEnumerable<BoardItem> NotGranted => Items.Where(i => !i.IsGranted);
    public IEnumerable<BoardReaction> Reactions => Items.SelectMany(i => i.Reactions).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
    public string Url => $"/beheer/planning/rondes/{Round.Id}/planbord/{Centre.Id}";

    public IEnumerable<BoardItem> At(long roomId, int weekday) =>
        Granted.Where(i => i.Place!.RoomId == roomId && i.Place.Weekday == weekday);
}

/// <summary>The planbord of one centre: the latest proposal's allocations for its wishes, with explanations, locks and reactions.</summary>
public sealed class BoardQuery(NpgsqlDataSource dataSource)
{
    public async Task<BoardPage> LoadAsync(BoardRound round, BoardCentre centre)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var proposal = await BoardData.LatestProposalAsync(connection, round.Id);
        var wishes = await BoardData.WishesAsync(connection, round.Id, [centre.Id]);
        IReadOnlyList<AllocationRow> allocations = proposal is null ? [] : await BoardData.AllocationsAsync(connection, proposal.Id, [centre.Id]);
        var byWish = allocations.ToDictionary(a => a.WishId);
        var names = await ExplanationNames.LoadAsync(connection, round.Id);

        using var grid = await connection.QueryMultipleAsync("""
            select r.id, r.name, r.capacity, r.active, r.setup_minutes, r.cleanup_minutes
            from rooms r where r.centre_id = @centreId and (r.active or r.id = any(@used))
            order by r.name, r.id;
            select wish_id, room_id, weekday::int as weekday, starts_at, ends_at, lane::int as lane
            from planning_locks where round_id = @roundId;
            select x.id, x.wish_id, p.version as proposal_version, x.reaction, x.comment, x.actor_name, x.created_at
            from planning_reactions x
            join planning_proposals p on p.id = x.proposal_id
            join planning_wishes w on w.id = x.wish_id
            where w.round_id = @roundId and w.centre_id = @centreId
            order by x.created_at desc, x.id desc;
            select weekday::int as weekday, opens_at, closes_at from opening_hours where centre_id = @centreId order by weekday, opens_at;
            """, new
        {
            centreId = centre.Id, roundId = round.Id,
            used = allocations.Where(a => a.RoomId is not null).Select(a => a.RoomId!.Value).Distinct().ToArray(),
        });
        var rooms = (await grid.ReadAsync<BoardRoom>()).ToList();
        var locks = (await grid.ReadAsync<BoardLock>()).ToDictionary(l => l.WishId);
        var reactions = (await grid.ReadAsync<BoardReaction>()).ToLookup(r => r.WishId);
        var hours = (await grid.ReadAsync<(int Weekday, TimeOnly Opens, TimeOnly Closes)>())
            .Select(h => new OpeningSpan(h.Weekday, BoardFormat.Minutes(h.Opens), h.Closes == TimeOnly.MinValue ? 1440 : BoardFormat.Minutes(h.Closes))).ToList();
        var roomNames = rooms.ToDictionary(r => r.Id, r => r.Name);

        var items = wishes.Select(w =>
        {
            var allocation = byWish.GetValueOrDefault(w.Id);
            var explanation = allocation is null
                ? "Deze wens is ingediend na het laatste voorstel. Maak een nieuw voorstel of plaats de wens hieronder met de hand."
                : ExplanationText.Render(ExplanationJson.Read(allocation.Explanation), w.Explained, allocation.Place, names);
            return new BoardItem(w, allocation, explanation, locks.GetValueOrDefault(w.Id), reactions[w.Id].ToList(),
                allocation?.RoomId is { } roomId ? roomNames.GetValueOrDefault(roomId) ?? names.Rooms.GetValueOrDefault(roomId)?.Name : null,
                w.Explained.Options.Select(o => BoardFormat.Capital(ExplanationText.OptionName(o.Rank, w.Explained, names))).ToList());
        }).ToList();
        var activeRun = await BoardData.ActiveRunAsync(connection, round.Id);
        return new BoardPage(round, centre, proposal, rooms, items, hours, activeRun);
    }
}
