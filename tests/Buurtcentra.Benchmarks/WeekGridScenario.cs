using System.Net;
using System.Text.RegularExpressions;
using Buurtcentra.Web.Features.Agenda;
using Buurtcentra.Web.Infrastructure.Database;
using Dapper;
using Npgsql;

namespace Buurtcentra.Benchmarks;

/// <summary>One week grid page: a centre and a day in the week to show.</summary>
internal sealed record WeekQuery(long CentreId, DateOnly Day)
{
    public string Url => $"/beheer/buurtcentra/{CentreId}/week?datum={Day:yyyy-MM-dd}";

    /// <summary>Any of the 22 centres, any week of the generated 10 years (history and the months ahead).</summary>
    public static IReadOnlyList<WeekQuery> Varied(int count, IReadOnlyList<long> centreIds, DateOnly firstDay, DateOnly lastDay, int seed = 11)
    {
        var random = new Random(seed);
        var days = lastDay.DayNumber - firstDay.DayNumber - 14;
        return Enumerable.Range(0, count)
            .Select(_ => new WeekQuery(centreIds[random.Next(centreIds.Count)], firstDay.AddDays(7 + random.Next(days))))
            .ToList();
    }
}

internal static partial class StaffLogin
{
    public const string Email = "functioneel@buurtcentra.example";

    /// <summary>
    /// Signs in the way a browser does: GET /inloggen for the anti-forgery token, POST the form, keep the cookie.
    /// The functioneel beheerder may view every centre, so the weeks can come from all 22.
    /// </summary>
    public static async Task<long> SignInAsync(HttpClient client, NpgsqlDataSource dataSource)
    {
        var page = await client.GetStringAsync("/inloggen");
        var token = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
        using var response = await client.PostAsync("/inloggen", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SignIn.Email"] = Email,
            ["SignIn.Password"] = DemoData.Password,
            ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {Email} answered {(int)response.StatusCode}, expected a redirect.");
        }
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select id from users where lower(email) = @Email", new { Email });
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>
/// The database work of GET /beheer/buurtcentra/{id}/week for a functioneel beheerder, done directly: the cookie check
/// (AuthSetup.ValidateStillActive), CentreAccess.ManageableCentreIdsAsync and the one AgendaLoader batch with
/// ByActivityWithDetails (copied from Infrastructure/Auth and Features/Agenda/AgendaData.cs; keep them in step).
/// </summary>
internal static class RawWeekGrid
{
    private sealed record OccurrenceRow(long ReservationId, long RoomId, DateTime StartsAt, DateTime EndsAt, DateTime BlockedFrom,
        DateTime BlockedUntil, string Status, string Activity, string? OrganisationName, string ContactName, string? ContactPhone,
        bool NeedsKey, int Participants);

    public static async Task<int> RunAsync(NpgsqlDataSource dataSource, WeekQuery query, long userId)
    {
        var read = 0;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var current = await connection.QuerySingleOrDefaultAsync<(bool Active, Guid SecurityStamp)?>(
                "select active, security_stamp from users where id = @id", new { id = userId });
            read += current is null ? 0 : 1;
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            read += (await connection.QueryAsync<long>("select id from centres")).Count();
        }

        var week = AgendaWindow.WeekOf(query.Day);
        var from = week.FromUtc.UtcDateTime;
        var to = week.ToUtc.UtcDateTime;
        await using var agenda = await dataSource.OpenConnectionAsync();
        await using var batch = await agenda.QueryMultipleAsync("""
            select id, name, slug, active from centres where id = @centreId;

            select id, name, capacity, active from rooms where centre_id = @centreId order by name, id;

            select weekday::int as weekday, opens_at, closes_at from opening_hours where centre_id = @centreId order by weekday, opens_at;

            select starts_on, ends_on, reason from closure_days
            where (centre_id = @centreId or centre_id is null) and starts_on <= @lastDay and ends_on >= @firstDay
            order by starts_on, reason;

            select o.reservation_id, o.room_id, o.starts_at, o.ends_at, o.blocked_from, o.blocked_until, o.status,
                   r.activity, g.name as organisation_name, r.contact_name, r.contact_phone, r.needs_key, r.participants
            from rooms m
            join occurrences o on o.room_id = m.id
            join reservations r on r.id = o.reservation_id
            left join organisations g on g.id = r.organisation_id
            where m.centre_id = @centreId
              and o.status = any(@statuses)
              and o.starts_at < @to and o.starts_at > @earliestStart and o.ends_at > @from
            order by o.starts_at, m.name, o.id;
            """, new
        {
            centreId = query.CentreId, from, to, statuses = new[] { "bevestigd", "aangevraagd" },
            firstDay = week.FirstDay, lastDay = week.LastDay,
            earliestStart = from - TimeSpan.FromHours(24),
        });
        read += (await batch.ReadAsync<AgendaCentre>()).Count();
        read += (await batch.ReadAsync<AgendaRoom>()).Count();
        read += (await batch.ReadAsync<AgendaOpening>()).Count();
        read += (await batch.ReadAsync<AgendaClosure>()).Count();
        read += (await batch.ReadAsync<OccurrenceRow>()).Count();
        return read;
    }

    /// <summary>Occurrences shown on a week grid page, to report how dense the measured weeks were.</summary>
    public static async Task<double> AverageOccurrencesAsync(NpgsqlDataSource dataSource, IReadOnlyList<WeekQuery> weeks)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var total = 0L;
        foreach (var week in weeks)
        {
            var window = AgendaWindow.WeekOf(week.Day);
            total += await connection.ExecuteScalarAsync<long>("""
                select count(*) from occurrences o join rooms m on m.id = o.room_id
                where m.centre_id = @centreId and o.status in ('bevestigd', 'aangevraagd') and o.starts_at >= @from and o.starts_at < @to
                """, new { centreId = week.CentreId, from = window.FromUtc.UtcDateTime, to = window.ToUtc.UtcDateTime });
        }
        return (double)total / weeks.Count;
    }
}
