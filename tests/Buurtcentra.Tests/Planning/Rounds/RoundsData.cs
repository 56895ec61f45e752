using System.Net;
using Buurtcentra.Tests.Support;
using Dapper;

namespace Buurtcentra.Tests.Planning.Rounds;

/// <summary>Rows and sign-ins the planning round tests share: rounds, policies, wishes, proposals, straight into the database.</summary>
internal sealed class RoundsData(TestData data, DatabaseFixture fixture)
{
    public TestData Data => data;

    public async Task<long> RoundAsync(long[] centreIds, string phase = "concept", string? deadline = "2027-05-01", string name = "Seizoen 2027-2028",
        string seasonStart = "2027-08-30", string seasonEnd = "2028-07-02")
    {
        var round = await data.ScalarAsync<long>("""
            insert into planning_rounds (name, season_start, season_end, wishes_deadline, phase, created_at, updated_at)
            values (@name, @seasonStart::date, @seasonEnd::date, @deadline::date, @phase, now(), now()) returning id
            """, new { name, seasonStart, seasonEnd, deadline, phase });
        foreach (var centreId in centreIds)
        {
            await data.ScalarAsync<int>("insert into planning_round_centres (round_id, centre_id) values (@round, @centreId) returning 1", new { round, centreId });
        }
        await data.ScalarAsync<long>("""
            insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                                           weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, created_at)
            values (@round, 1, 'Zo verdelen we de ruimtes.', 100, 80, 60, 50, 20, 30, 30, 15, 0, 10, now()) returning id
            """, new { round });
        return round;
    }

    public async Task<long> WishAsync(long round, long centreId, long? organisationId, string activity, long? roomId = null, int weekday = 2,
        string earliest = "19:00", string latest = "19:30", string status = "ingediend", long? continuesAllocationId = null, string? answer = null,
        string category = "bewonersinitiatief", int participants = 10, string frequency = "wekelijks", int duration = 120)
    {
        var wish = await data.ScalarAsync<long>("""
            insert into planning_wishes (round_id, centre_id, organisation_id, group_name, contact_email, activity, category, participants, frequency,
                                         duration_minutes, status, continues_allocation_id, continuity_answer, created_at, updated_at)
            values (@round, @centreId, @organisationId, coalesce((select name from organisations where id = @organisationId), 'Losse groep'),
                    'groep@test.example', @activity, @category, @participants, @frequency, @duration, @status, @continuesAllocationId, @answer, now(), now())
            returning id
            """, new { round, centreId, organisationId, activity, category, participants, frequency, duration, status, continuesAllocationId, answer });
        await data.ScalarAsync<int>("""
            insert into planning_wish_options (wish_id, rank, room_id, weekday, earliest_start, latest_start)
            values (@wish, 1, @roomId, @weekday, @earliest::time, @latest::time) returning 1
            """, new { wish, roomId, weekday = (short)weekday, earliest, latest });
        return wish;
    }

    public async Task<long> ProposalAsync(long round, int version)
    {
        return await data.ScalarAsync<long>("""
            insert into planning_proposals (round_id, version, policy_version, solver_status, created_at)
            values (@round, @version, 1, 'optimaal', now()) returning id
            """, new { round, version });
    }

    public async Task<long> AllocationAsync(long proposal, long wish, long? roomId, int weekday = 2, string starts = "19:30", string ends = "21:30", int lane = 0)
    {
        return await data.ScalarAsync<long>("""
            insert into planning_allocations (proposal_id, wish_id, room_id, weekday, starts_at, ends_at, lane, option_rank)
            values (@proposal, @wish, @roomId, case when @roomId::bigint is null then null else @weekday end,
                    case when @roomId::bigint is null then null else @starts::time end,
                    case when @roomId::bigint is null then null else @ends::time end, @lane, case when @roomId::bigint is null then null else 1 end)
            returning id
            """, new { proposal, wish, roomId, weekday = (short)weekday, starts, ends, lane = (short)lane });
    }

    public async Task<Browser> StaffAsync(string role, long[]? centreIds = null, long? organisationId = null)
    {
        var browser = new Browser(fixture.App);
        await browser.SignInAsync(await data.EmailOfAsync(await data.UserAsync(role, organisationId, centreIds)));
        return browser;
    }

    /// <summary>A gebruiker of the organisation, signed in by link.</summary>
    public async Task<Browser> GroupAsync(long organisationId)
    {
        var browser = new Browser(fixture.App);
        await browser.SignInWithLinkAsync(fixture.App, await data.EmailOfAsync(await data.UserAsync("gebruiker", organisationId)));
        return browser;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    public static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Follows a redirect and returns the page it leads to (flash or error message included).</summary>
    public static async Task<string> FollowAsync(Browser browser, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Expected a redirect, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return WebUtility.HtmlDecode(await browser.GetPageAsync(response.Headers.Location!.OriginalString));
    }
}
