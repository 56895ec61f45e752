using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

public sealed record RoundListRow(long Id, string Name, DateOnly SeasonStart, DateOnly SeasonEnd, DateOnly? WishesDeadline, string Phase,
    string CentreNames, int Wishes);

public sealed record RoundListPage(IReadOnlyList<RoundListRow> Rounds, bool CanCreate);

/// <summary>The rounds with at least one centre the person manages (functioneel beheer manages every centre), newest season first.</summary>
public sealed class RoundListQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<RoundListPage> LoadAsync()
    {
        var ids = (await access.ManageableCentreIdsAsync()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<RoundListRow>("""
            select r.id, r.name, r.season_start, r.season_end, r.wishes_deadline, r.phase,
                   (select string_agg(c.name, ', ' order by c.name) from planning_round_centres rc join centres c on c.id = rc.centre_id
                    where rc.round_id = r.id) as centre_names,
                   (select count(*)::int from planning_wishes w where w.round_id = r.id and w.status = 'ingediend' and w.centre_id = any(@ids)) as wishes
            from planning_rounds r
            where exists (select 1 from planning_round_centres rc where rc.round_id = r.id and rc.centre_id = any(@ids))
            order by r.season_start desc, r.id desc
            """, new { ids });
        return new RoundListPage(rows.ToList(), ids.Length > 0);
    }
}
