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
/// (AuthSetup.ValidateStillActive) and CentreAccess.ManageableCentreIdsAsync (copied from Infrastructure/Auth), then the
/// app's own <see cref="AgendaLoader"/> batch with ByActivityWithDetails.
/// </summary>
internal static class RawWeekGrid
{
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

        await using var agenda = await dataSource.OpenConnectionAsync();
        var data = await AgendaLoader.LoadAsync<OccurrenceRow>(agenda, query.CentreId, AgendaWindow.WeekOf(query.Day),
            AgendaLoader.ByActivityWithDetails, ["bevestigd", "aangevraagd"]);
        read += data is null ? 0 : 1 + data.Rooms.Count + data.OpeningHours.Count + data.Closures.Count + data.Occurrences.Count;
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
