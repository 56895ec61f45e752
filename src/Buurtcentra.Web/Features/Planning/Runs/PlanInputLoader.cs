using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Buurtcentra.Web.Features.Planning.Policy;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Runs;

/// <summary>
/// The optimiser's input for a round and the policy version it used. Padding: per wish, the minutes added to its duration
/// for the rooms' set-up and clean-up time (taken off again when the result is saved).
/// </summary>
public sealed record LoadedPlanInput(PlanInput Input, int PolicyVersion, IReadOnlyDictionary<long, int> Padding)
{
    public int PaddingOf(long wishId) => Padding.GetValueOrDefault(wishId);
}

/// <summary>Why a round cannot be planned yet, in Dutch for the run page.</summary>
public sealed class PlanInputException(string message) : Exception(message);

/// <summary>
/// Builds the optimiser's <see cref="PlanInput"/> for a round from the database:
/// the round's centres (wijk, opening hours in minutes), their active rooms with facilities and accessibility, the wishes
/// handed in ('ingediend', not withdrawn) with their options, the beheerder's locks, and the latest policy version with
/// its protected blocks.
/// GroupKey: "org:{organisation}" or else "mail:{lower-case contact address}", so fairness counts groups, not wishes.
/// Continuity: a wish that continues last season's allocation, unless the group changed it ("gewijzigd"): a changed wish
/// is a new wish for a new slot; an unanswered ("open") or confirmed one still continues the slot.
/// Set-up and clean-up: the optimiser's model has no buffers, but publishing books them (a room is held from set-up to
/// clean-up). So each wish's duration is lengthened by its centre's largest set-up + clean-up time, and the centre's
/// closing times by the same amount (the activity itself must still end by closing time); locks are lengthened alike.
/// Two wishes then never sit closer together than the room needs, and the saved result takes the padding off again.
/// </summary>
public static class PlanInputLoader
{
    public static async Task<LoadedPlanInput> LoadAsync(NpgsqlConnection connection, long roundId)
    {
        var policy = await connection.QuerySingleOrDefaultAsync<PolicyRow>("""
            select id, version, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk, weight_commercieel,
                   continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, fairness
            from planning_policies where round_id = @roundId order by version desc limit 1
            """, new { roundId })
            ?? throw new PlanInputException("Deze ronde heeft nog geen prioriteitsbeleid. Leg eerst het beleid vast; daarna kunt u een voorstel maken.");

        using var grid = await connection.QueryMultipleAsync("""
            select c.id, c.name, c.wijk_id::int as wijk_id
            from planning_round_centres rc join centres c on c.id = rc.centre_id
            where rc.round_id = @roundId order by c.id;

            select oh.centre_id, oh.weekday::int as weekday, oh.opens_at, oh.closes_at
            from opening_hours oh
            where oh.centre_id in (select centre_id from planning_round_centres where round_id = @roundId)
            order by oh.centre_id, oh.weekday, oh.opens_at;

            select r.id, r.centre_id, r.name, r.capacity, r.setup_minutes, r.cleanup_minutes,
                   array(select f.facility_code from room_facilities f where f.room_id = r.id order by 1) as facilities,
                   array(select a.feature_code from room_accessibility a where a.room_id = r.id order by 1) as accessibility
            from rooms r
            where r.active and r.centre_id in (select centre_id from planning_round_centres where round_id = @roundId)
            order by r.id;

            select b.id, b.room_id, b.weekday::int as weekday, b.starts_at, b.ends_at, b.categories, b.label
            from planning_protected_blocks b where b.policy_id = @policyId order by b.id;

            select l.wish_id, l.room_id, l.weekday::int as weekday, l.starts_at, l.ends_at, l.lane::int as lane
            from planning_locks l join planning_wishes w on w.id = l.wish_id
            where l.round_id = @roundId and w.status = 'ingediend'
            order by l.wish_id;
            """, new { roundId, policyId = policy.Id });
        var centres = (await grid.ReadAsync<(long Id, string Name, int WijkId)>()).ToList();
        var hours = (await grid.ReadAsync<(long CentreId, int Weekday, TimeOnly Opens, TimeOnly Closes)>()).ToLookup(h => h.CentreId);
        var rooms = (await grid.ReadAsync<RoomRow>()).ToList();
        var blocks = (await grid.ReadAsync<BlockRow>()).ToList();
        var lockRows = (await grid.ReadAsync<(long WishId, long? RoomId, int? Weekday, TimeOnly? StartsAt, TimeOnly? EndsAt, int Lane)>()).ToList();

        var wishRows = await BoardData.WishesAsync(connection, roundId, centreIds: null);
        var continuity = (await connection.QueryAsync<long>("""
            select id from planning_wishes
            where round_id = @roundId and status = 'ingediend' and continues_allocation_id is not null
              and coalesce(continuity_answer, 'open') <> 'gewijzigd'
            """, new { roundId })).ToHashSet();

        var centrePadding = rooms.GroupBy(r => r.CentreId).ToDictionary(g => g.Key, g => g.Max(r => r.SetupMinutes + r.CleanupMinutes));
        var padding = wishRows.ToDictionary(w => w.Id, w => centrePadding.GetValueOrDefault(w.CentreId));
        var wishes = wishRows.Select(w => new Wish(
            w.Id, w.GroupKey, w.GroupName, w.Activity, w.Category, w.Participants,
            w.Facilities.ToHashSet(StringComparer.Ordinal), w.Accessibility.ToHashSet(StringComparer.Ordinal),
            w.PlanFrequency, w.DurationMinutes + padding[w.Id], continuity.Contains(w.Id),
            w.Options.OrderBy(o => o.Rank).Select(o => new WishOption(o.Rank, w.CentreId, o.RoomId, o.Weekday,
                BoardFormat.Minutes(o.EarliestStart), BoardFormat.Minutes(o.LatestStart))).ToList())).ToList();
        var durations = wishRows.ToDictionary(w => w.Id, w => w.DurationMinutes);

        var locks = lockRows.Select(l => new PlanLock(l.WishId,
            l.RoomId is { } room && l.Weekday is { } day && l.StartsAt is { } start
                ? new Placement(room, day, BoardFormat.Minutes(start),
                    (l.EndsAt is { } end ? EndMinute(end) : BoardFormat.Minutes(start) + durations.GetValueOrDefault(l.WishId)) + padding.GetValueOrDefault(l.WishId), l.Lane)
                : null)).ToList();

        var input = new PlanInput(
            centres.Select(c => new PlanCentre(c.Id, c.Name, c.WijkId,
                hours[c.Id].Select(h => new OpeningWindow(h.Weekday, BoardFormat.Minutes(h.Opens),
                    Math.Min(24 * 60, EndMinute(h.Closes) + centrePadding.GetValueOrDefault(c.Id)))).ToList())).ToList(),
            rooms.Select(r => new PlanRoom(r.Id, r.CentreId, r.Name, r.Capacity,
                r.Facilities.ToHashSet(StringComparer.Ordinal), r.Accessibility.ToHashSet(StringComparer.Ordinal))).ToList(),
            wishes,
            locks,
            new PlanPolicy(
                new Dictionary<string, int>
                {
                    ["huiskamer"] = policy.WeightHuiskamer,
                    ["sp_do_groepsactiviteit"] = policy.WeightSpDo,
                    ["bewonersinitiatief"] = policy.WeightBewoners,
                    ["maatschappelijke_organisatie"] = policy.WeightMaatschappelijk,
                    ["commercieel"] = policy.WeightCommercieel,
                },
                policy.ContinuityBonus,
                [policy.RankBonus1, policy.RankBonus2, policy.RankBonus3],
                policy.SpreadBonus,
                policy.Fairness,
                blocks.Select(b => new ProtectedBlock(b.Id, b.RoomId, b.Weekday, BoardFormat.Minutes(b.StartsAt), EndMinute(b.EndsAt),
                    b.Categories.ToHashSet(StringComparer.Ordinal), b.Label)).ToList()));
        return new LoadedPlanInput(input, policy.Version, padding);
    }

    /// <summary>An end time in minutes; 00:00 as an end means midnight at the end of the day.</summary>
    private static int EndMinute(TimeOnly time) => time == TimeOnly.MinValue ? 24 * 60 : BoardFormat.Minutes(time);

    public sealed class RoomRow
    {
        public long Id { get; init; }
        public long CentreId { get; init; }
        public string Name { get; init; } = "";
        public int Capacity { get; init; }
        public int SetupMinutes { get; init; }
        public int CleanupMinutes { get; init; }
        public string[] Facilities { get; init; } = [];
        public string[] Accessibility { get; init; } = [];
    }

    public sealed class BlockRow
    {
        public long Id { get; init; }
        public long RoomId { get; init; }
        public int Weekday { get; init; }
        public TimeOnly StartsAt { get; init; }
        public TimeOnly EndsAt { get; init; }
        public string[] Categories { get; init; } = [];
        public string Label { get; init; } = "";
    }

    public sealed record PolicyRow(long Id, int Version, int WeightHuiskamer, int WeightSpDo, int WeightBewoners, int WeightMaatschappelijk,
        int WeightCommercieel, int ContinuityBonus, int RankBonus1, int RankBonus2, int RankBonus3, int SpreadBonus, bool Fairness);
}
