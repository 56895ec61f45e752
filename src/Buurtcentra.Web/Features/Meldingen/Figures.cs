using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>One month of meldingen (by the month they were reported, Utrecht time).</summary>
public sealed record MonthFigures(DateOnly Month, int Reported, int Solved, int StillOpen, double? MedianHours, int SolvedInTime)
{
    /// <summary>Share of the solved meldingen that were solved before their deadline, 0-100; null when none were solved.</summary>
    public int? PercentInTime => Solved == 0 ? null : (int)Math.Round(100.0 * SolvedInTime / Solved);
}

public sealed record FiguresPage(long? CentreId, string? Category, IReadOnlyList<MonthFigures> Months, int OpenNow, int OverdueNow,
    IReadOnlyList<(long Id, string Name)> Centres);

/// <summary>
/// "Cijfers": per month over the last 12 months, for all visible centres or one, all categories or one: how many were
/// reported, solved, still open; the median lead time (report to first solved) and the share solved within the target.
/// </summary>
public sealed class FiguresQuery(NpgsqlDataSource dataSource, MeldingAccessQuery access, TimeProvider time)
{
    public async Task<FiguresPage> LoadAsync(long? centreId, string? category)
    {
        if (!MeldingCodes.IsCategory(category)) category = null;
        var visible = await access.VisibleCentreIdsAsync();
        if (centreId is not null && visible is not null && !visible.Contains(centreId.Value)) centreId = null;
        var now = time.GetUtcNow();
        var args = new { all = visible is null, visible = visible ?? [], centreId, category, now, open = MeldingStatus.Open.ToArray() };
        const string where = """
            (@all or m.centre_id = any(@visible)) and (@centreId::bigint is null or m.centre_id = @centreId)
            and (@category::text is null or m.category = @category)
            """;
        await using var connection = await dataSource.OpenConnectionAsync();
        var months = (await connection.QueryAsync<MonthFigures>($"""
            with months as (
                select generate_series(date_trunc('month', (@now::timestamptz at time zone 'Europe/Amsterdam')) - interval '11 months',
                                       date_trunc('month', (@now::timestamptz at time zone 'Europe/Amsterdam')), interval '1 month')::date as month)
            select months.month,
                   count(m.id)::int as reported,
                   count(m.solved_at)::int as solved,
                   count(m.id) filter (where m.status = any(@open))::int as still_open,
                   percentile_cont(0.5) within group (order by extract(epoch from m.solved_at - m.created_at) / 3600.0)
                       filter (where m.solved_at is not null) as median_hours,
                   count(m.id) filter (where m.solved_at is not null and m.solved_at <= m.due_at)::int as solved_in_time
            from months
            left join meldingen m on date_trunc('month', m.created_at at time zone 'Europe/Amsterdam')::date = months.month and {where}
            group by months.month
            order by months.month
            """, args)).ToList();
        var (openNow, overdueNow) = await connection.QuerySingleAsync<(int, int)>($"""
            select count(*) filter (where m.status = any(@open))::int, count(*) filter (where m.status = any(@open) and m.due_at < @now)::int
            from meldingen m where {where}
            """, args);
        var centres = (await connection.QueryAsync<(long Id, string Name)>(
            "select id, name from centres where @all or id = any(@visible) order by name", args)).ToList();
        return new FiguresPage(centreId, category, months, openNow, overdueNow, centres);
    }
}
