using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Dapper;
using Npgsql;

namespace Buurtcentra.Tests.Planning.Board;

/// <summary>One option of a seeded wish: a room (null: any fitting room), a weekday, the window for the start.</summary>
public sealed record SeedOption(long? RoomId, int Weekday, string Earliest, string? Latest = null);

/// <summary>One allocation of a seeded proposal: RoomId null is "not granted".</summary>
public sealed record SeedAllocation(long WishId, long? RoomId = null, int Weekday = 0, string? Start = null, string? End = null, int Lane = 0,
    int? Rank = null, bool Locked = false, WishExplanation? Explanation = null);

/// <summary>
/// Rounds, policies, wishes and proposals written straight into the database (never through the optimiser), so the
/// planbord, publishing and figures are tested on known allocations.
/// </summary>
public sealed class PlanningSeed(NpgsqlDataSource dataSource)
{
    public static readonly DateOnly SeasonStart = new(2027, 1, 4);   // a Monday
    public static readonly DateOnly SeasonEnd = new(2027, 6, 27);    // a Sunday

    public async Task<long> RoundAsync(long[] centreIds, string phase = "in_behandeling", string name = "Seizoen 2027",
        DateOnly? start = null, DateOnly? end = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into planning_rounds (name, season_start, season_end, phase, created_at, updated_at)
            values (@name, @start, @end, @phase, now(), now()) returning id
            """, new { name, start = start ?? SeasonStart, end = end ?? SeasonEnd, phase });
        foreach (var centreId in centreIds)
        {
            await connection.ExecuteAsync("insert into planning_round_centres (round_id, centre_id) values (@id, @centreId)", new { id, centreId });
        }
        return id;
    }

    public async Task<long> PolicyAsync(long roundId, int version = 1, int huiskamer = 100, int spDo = 80, int bewoners = 60,
        int maatschappelijk = 40, int commercieel = 10)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, fairness, created_at)
            values (@roundId, @version, 'Eerst huiskamer en basisaanbod.', @huiskamer, @spDo, @bewoners, @maatschappelijk, @commercieel,
                30, 20, 10, 5, 1, true, now())
            returning id
            """, new { roundId, version, huiskamer, spDo, bewoners, maatschappelijk, commercieel });
    }

    public async Task<long> WishAsync(long roundId, long centreId, string activity, string group, SeedOption[] options,
        string category = "bewonersinitiatief", int participants = 10, string frequency = "wekelijks", int duration = 120,
        long? organisationId = null, string? email = "groep@test.example", long? submittedBy = null, string status = "ingediend",
        string[]? facilities = null, string? contactName = "Contact Persoon")
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into planning_wishes (round_id, centre_id, organisation_id, group_name, contact_name, contact_email, activity, category,
                participants, facilities, frequency, duration_minutes, status, submitted_by_user_id, created_at, updated_at)
            values (@roundId, @centreId, @organisationId, @group, @contactName, @email, @activity, @category,
                @participants, @facilities, @frequency, @duration, @status, @submittedBy, now(), now())
            returning id
            """, new { roundId, centreId, organisationId, group, contactName, email, activity, category, participants, facilities = facilities ?? [], frequency, duration, status, submittedBy });
        var rank = 1;
        foreach (var o in options)
        {
            await connection.ExecuteAsync("""
                insert into planning_wish_options (wish_id, rank, room_id, weekday, earliest_start, latest_start)
                values (@id, @rank, @RoomId, @weekday, @earliest::time, @latest::time)
                """, new { id, rank = (short)rank++, o.RoomId, weekday = (short)o.Weekday, earliest = o.Earliest, latest = o.Latest ?? o.Earliest });
        }
        return id;
    }

    public async Task<long> ProposalAsync(long roundId, int version, params SeedAllocation[] allocations) =>
        await ProposalAsync(roundId, version, "optimaal", allocations);

    public async Task<long> ProposalAsync(long roundId, int version, string status, params SeedAllocation[] allocations)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into planning_proposals (round_id, version, policy_version, solver_status, objective, bound, solve_ms, granted, wishes, created_at)
            values (@roundId, @version, 1, @status, 1000, 1000, 50, @granted, @wishes, now() + make_interval(secs => @version))
            returning id
            """, new { roundId, version, status, granted = allocations.Count(a => a.RoomId is not null), wishes = allocations.Length });
        foreach (var a in allocations)
        {
            var explanation = a.Explanation ?? (a.RoomId is null
                ? new WishExplanation(a.WishId, Outcome.NotGranted, null, [], [])
                : new WishExplanation(a.WishId, a.Rank == 1 ? Outcome.FirstChoice : Outcome.Alternative, a.Rank, [], []));
            await connection.ExecuteAsync("""
                insert into planning_allocations (proposal_id, wish_id, room_id, weekday, starts_at, ends_at, lane, option_rank, locked, explanation)
                values (@id, @WishId, @RoomId, @weekday, @start::time, @end::time, @lane, @rank, @Locked, @explanation::jsonb)
                """, new
            {
                id, a.WishId, a.RoomId, weekday = a.RoomId is null ? (short?)null : (short)a.Weekday, start = a.Start, end = a.End,
                lane = (short)a.Lane, rank = (short?)a.Rank, a.Locked, explanation = ExplanationJson.Serialise(explanation),
            });
        }
        return id;
    }

    public async Task ClosureAsync(long roundId, DateOnly start, DateOnly end, string reason)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into planning_round_closures (round_id, starts_on, ends_on, reason) values (@roundId, @start, @end, @reason)
            """, new { roundId, start, end, reason });
    }

    public async Task OpenAllWeekAsync(long centreId, string opens = "08:00", string closes = "23:30")
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var day = 1; day <= 7; day++)
        {
            await connection.ExecuteAsync("""
                insert into opening_hours (centre_id, weekday, opens_at, closes_at) values (@centreId, @day, @opens::time, @closes::time)
                """, new { centreId, day = (short)day, opens, closes });
        }
    }
}
