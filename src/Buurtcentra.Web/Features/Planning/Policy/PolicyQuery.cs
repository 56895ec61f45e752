using System.Globalization;
using Buurtcentra.Web.Features.Planning.Rounds;
using Dapper;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Policy;

/// <summary>A block of a policy version: a room kept free for some categories at a weekly time.</summary>
/// <remarks>A class with properties: Dapper maps a text[] column to a property, not to a constructor parameter.</remarks>
public sealed class PolicyBlockRow
{
    public long Id { get; init; }
    public long RoomId { get; init; }
    public string RoomName { get; init; } = "";
    public long CentreId { get; init; }
    public string CentreName { get; init; } = "";
    public int Weekday { get; init; }
    public TimeOnly StartsAt { get; init; }
    public TimeOnly EndsAt { get; init; }
    public string[] Categories { get; init; } = [];
    public string Label { get; init; } = "";

    public string When => $"{RoundText.WeekdayCapitalised(Weekday)} {RoundText.Time(StartsAt)}–{RoundText.Time(EndsAt)}";
    public string CategoryNames => string.Join(", ", Categories.Select(RoundText.Category));
}

/// <summary>One version of the policy with its blocks, and the list of all versions (newest first).</summary>
public sealed record PolicyView(RoundHeader Round, PolicyVersion Policy, IReadOnlyList<PolicyBlockRow> Blocks, IReadOnlyList<PolicyVersion> History)
{
    public bool IsLatest => History.Count == 0 || History[0].Version == Policy.Version;
}

/// <summary>The policy page: what everyone reads, and for a beheerder who may change it, the forms.</summary>
public sealed record PolicyPage(PolicyView View, bool CanEdit, PolicyForm Form, PolicyBlockForm BlockForm, IReadOnlyList<SelectListItem> Rooms, string BaseUrl);

public sealed class PolicyQuery(NpgsqlDataSource dataSource)
{
    /// <returns>The asked version (or the latest), or null when the round has no such version.</returns>
    public async Task<PolicyView?> LoadAsync(RoundHeader round, int? version)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var history = (await connection.QueryAsync<PolicyVersion>($"""
            {SelectSql}
            where p.round_id = @roundId
            order by p.version desc
            """, new { roundId = round.Id })).ToList();
        var policy = version is { } v ? history.FirstOrDefault(p => p.Version == v) : history.FirstOrDefault();
        if (policy is null) return null;
        var blocks = await BlocksAsync(connection, policy.Id);
        return new PolicyView(round, policy, blocks, history);
    }

    public const string SelectSql = """
        select p.id, p.round_id, p.version, p.description, p.weight_huiskamer, p.weight_sp_do, p.weight_bewoners, p.weight_maatschappelijk,
               p.weight_commercieel, p.continuity_bonus, p.rank_bonus_1, p.rank_bonus_2, p.rank_bonus_3, p.spread_bonus, p.fairness,
               p.created_by_user_id, p.created_at, u.display_name as created_by_name
        from planning_policies p left join users u on u.id = p.created_by_user_id
        """;

    public static async Task<IReadOnlyList<PolicyBlockRow>> BlocksAsync(NpgsqlConnection connection, long policyId, NpgsqlTransaction? transaction = null) =>
        (await connection.QueryAsync<PolicyBlockRow>("""
            select b.id, b.room_id, r.name as room_name, c.id as centre_id, c.name as centre_name, b.weekday::int as weekday, b.starts_at, b.ends_at,
                   b.categories, b.label
            from planning_protected_blocks b join rooms r on r.id = b.room_id join centres c on c.id = r.centre_id
            where b.policy_id = @policyId
            order by c.name, r.name, b.weekday, b.starts_at, b.id
            """, new { policyId }, transaction)).ToList();

    /// <summary>The active rooms of the round's centres, for the block form ("Centrum – Ruimte" when the round has several centres).</summary>
    public async Task<IReadOnlyList<SelectListItem>> RoomChoicesAsync(RoundHeader round)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(long Id, string Name, string CentreName)>("""
            select r.id, r.name, c.name as centre_name from rooms r join centres c on c.id = r.centre_id
            where r.centre_id = any(@centreIds) and r.active order by c.name, r.name
            """, new { centreIds = round.Centres.Select(c => c.Id).ToArray() });
        var several = round.Centres.Count > 1;
        return rows.Select(r => new SelectListItem(several ? $"{r.CentreName} – {r.Name}" : r.Name, r.Id.ToString(CultureInfo.InvariantCulture))).ToList();
    }
}
