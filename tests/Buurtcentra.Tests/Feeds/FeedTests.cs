using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Feeds;
using Dapper;

namespace Buurtcentra.Tests.Feeds;

/// <summary>
/// Calendar feeds through the real app: bookings and changes go through the real routes, feeds are fetched over HTTP
/// and read back by an independent iCalendar implementation (Debian's python3-icalendar and python3-dateutil).
/// The app's clock stands at 23 November 2026, so the feeds' window runs from 24 October 2026 to 23 November 2027.
/// </summary>
public sealed partial class FeedTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private const string ContactName = "Henk de Vries";
    private const string ContactEmail = "henk.devries@voorbeeld.example";
    private const string ContactPhone = "06 4242 1717";
    private const string GroupName = "Buurtkoor Hoograven";
    private const string GroupEmail = "bestuur@buurtkoor.example";
    private const string GroupPhone = "030 765 4321";

    private sealed record Setup(long CentreId, string Slug, string WijkSlug, long RoomId, long GroupId, long BeheerderId, long GebruikerId);

    private async Task<Setup> SetupAsync()
    {
        var centreId = await Data.CentreAsync("De Boog", wijkId: 7);
        var roomId = await Data.RoomAsync(centreId, "Grote zaal", capacity: 40);
        for (var day = 1; day <= 7; day++) await Data.OpeningHoursAsync(centreId, day, new TimeOnly(9, 0), new TimeOnly(23, 0));
        var groupId = await Data.OrganisationAsync(GroupName, "gebruikersgroep", "bewonersinitiatief");
        await using (var connection = await Fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update organisations set contact_email = @GroupEmail, phone = @GroupPhone where id = @groupId",
                new { GroupEmail, GroupPhone, groupId });
            // TestData stamps rows with the database's clock; the app runs on a fake one. Put them before it, as in real life.
            await connection.ExecuteAsync("""
                update centres set updated_at = @before; update rooms set updated_at = @before; update organisations set updated_at = @before;
                """, new { before = App.Time.GetUtcNow().AddDays(-1) });
        }
        var beheerderId = await Data.UserAsync("sociaal_beheerder", centreIds: [centreId]);
        var gebruikerId = await Data.UserAsync("gebruiker", groupId);
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        var wijkSlug = await Data.ScalarAsync<string>("select w.slug from wijken w join centres c on c.wijk_id = w.id where c.id = @centreId", new { centreId });
        return new Setup(centreId, slug, wijkSlug, roomId, groupId, beheerderId, gebruikerId);
    }

    private async Task<Browser> SignedInAsync(long userId)
    {
        var browser = new Browser(App);
        var role = await Data.ScalarAsync<string>("select role from users where id = @userId", new { userId });
        if (role == "gebruiker") await browser.SignInWithLinkAsync(App, await Data.EmailOfAsync(userId));
        else await browser.SignInAsync(await Data.EmailOfAsync(userId));
        return browser;
    }

    /// <summary>A beheerder books directly (confirmed at once), for the user group, with a contact person.</summary>
    private async Task<long> BookAsync(Browser beheerder, Setup s, string date, string? until = null, string activity = "Buurtkoor",
        bool isPublic = true, string start = "19:00", string end = "21:00", long? roomId = null)
    {
        var room = roomId ?? s.RoomId;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("centrum", ""), new("RoomId", room.ToString()), new("Date", date), new("StartTime", start), new("EndTime", end),
            new("Repeat", until is null ? "eenmalig" : "wekelijks"), new("EndsBy", "datum"), new("Until", until ?? ""),
            new("Activity", activity), new("Category", "bewonersinitiatief"), new("Participants", "15"),
            new("ContactName", ContactName), new("ContactEmail", ContactEmail), new("ContactPhone", ContactPhone),
            new("OrganisationId", s.GroupId.ToString()), new("actie", "versturen"),
        };
        if (isPublic) fields.Add(new("IsPublic", "true"));
        var response = await beheerder.PostFormAsync($"/reserveren/nieuw?ruimte={room}", "/reserveren/nieuw", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Booking {activity} on {date} gave {(int)response.StatusCode}");
        return await Data.ScalarAsync<long>("select max(id) from reservations");
    }

    /// <summary>A gebruiker of the group asks for a date: a pending request.</summary>
    private async Task<long> RequestAsync(Browser gebruiker, Setup s, string date, string activity = "Repetitie")
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("centrum", ""), new("RoomId", s.RoomId.ToString()), new("Date", date), new("StartTime", "14:00"), new("EndTime", "16:00"),
            new("Repeat", "eenmalig"), new("EndsBy", "datum"), new("Until", ""), new("Activity", activity), new("Category", "bewonersinitiatief"),
            new("Participants", "15"), new("ContactPhone", ContactPhone), new("actie", "versturen"),
        };
        var response = await gebruiker.PostFormAsync($"/reserveren/nieuw?ruimte={s.RoomId}", "/reserveren/nieuw", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await Data.ScalarAsync<long>("select max(id) from reservations");
    }

    private static Task<HttpResponseMessage> CancelDateAsync(Browser beheerder, long id, string seriesDate) =>
        beheerder.PostFormAsync($"/beheer/reserveringen/{id}", $"/beheer/reserveringen/{id}/annuleren", ("scope", "datum"), ("seriesDate", seriesDate));

    private static Task<HttpResponseMessage> MoveDateAsync(Browser beheerder, long id, long roomId, string seriesDate, string newDate, string start, string end) =>
        beheerder.PostFormAsync($"/beheer/reserveringen/{id}/wijzigen", $"/beheer/reserveringen/{id}/wijzigen",
            ("Scope", "datum"), ("SeriesDate", seriesDate), ("NewDate", newDate), ("RoomId", roomId.ToString()),
            ("StartTime", start), ("EndTime", end), ("Note", ""));

    /// <summary>Makes a private feed link on the page and returns the feed's path (/agenda/{token}.ics) from the page that shows it once.</summary>
    private static async Task<string> SubscribeAsync(Browser browser, string kind, long? targetId = null)
    {
        var fields = new List<(string, string)> { ("Kind", kind) };
        if (targetId is not null) fields.Add(("TargetId", targetId.Value.ToString()));
        var response = await browser.PostFormAsync(SubscriptionsController.Path, SubscriptionsController.Path, fields.ToArray());
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Subscribing gave {(int)response.StatusCode}");
        var match = FeedLinkPattern().Match(page);
        Assert.True(match.Success, "The new link is not on the page: " + Regex.Match(page, "role=\"alert\"[^<]*<p[^>]*>([^<]*)").Groups[1].Value);
        Assert.True(response.Headers.CacheControl?.NoStore, "The page with a new link must not be stored.");
        return match.Groups[1].Value;
    }

    private async Task<HttpResponseMessage> GetFeedAsync(string path, Action<HttpRequestMessage>? configure = null)
    {
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        return await client.SendAsync(request);
    }

    private async Task<string> FeedTextAsync(string path)
    {
        var response = await GetFeedAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} gave {(int)response.StatusCode}");
        return body;
    }

    /// <summary>Unfolded text, for simple "contains" checks on properties.</summary>
    private static string Unfold(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);

    private sealed record Expanded(string Uid, string? RecurrenceId, DateTime Start, DateTime End, string Status, long Sequence,
        string? Summary, string? Location, string? Description, string? Dtstamp, string? LastModified);

    private sealed record ExpandedCalendar(Dictionary<string, JsonElement> Calendar, IReadOnlyList<Expanded> Events);

    /// <summary>Runs tests/Buurtcentra.Tests/Feeds/expand_feed.py on the feed and reads back its events (UTC).</summary>
    private static async Task<ExpandedCalendar> ExpandAsync(string ics)
    {
        var file = Path.Combine(Path.GetTempPath(), $"buurtcentra-feed-{Guid.NewGuid():N}.ics");
        await File.WriteAllTextAsync(file, ics, new System.Text.UTF8Encoding(false));
        try
        {
            var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
            {
                ArgumentList = { Script(), file },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"expand_feed.py refused the feed:\n{await errors}");
            using var json = JsonDocument.Parse(await output);
            var calendar = json.RootElement.GetProperty("calendar").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            var events = json.RootElement.GetProperty("events").EnumerateArray().Select(e => new Expanded(
                e.GetProperty("uid").GetString()!,
                e.GetProperty("recurrence_id").GetString(),
                Instant(e.GetProperty("start").GetString()!),
                Instant(e.GetProperty("end").GetString()!),
                e.GetProperty("status").GetString()!,
                e.GetProperty("sequence").GetInt64(),
                e.GetProperty("summary").GetString(),
                e.GetProperty("location").GetString(),
                e.GetProperty("description").GetString(),
                e.GetProperty("dtstamp").GetString(),
                e.GetProperty("last_modified").GetString())).ToList();
            return new ExpandedCalendar(calendar, events);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static DateTime Instant(string iso) =>
        DateTime.SpecifyKind(DateTime.ParseExact(iso, "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static string Script([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "expand_feed.py");

    private static DateTime Utc(string localDate, int hour, int minute = 0) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.Parse(localDate, System.Globalization.CultureInfo.InvariantCulture).AddHours(hour).AddMinutes(minute), Amsterdam);

    private sealed record OccurrenceInDb(long Id, DateOnly SeriesDate, DateTime StartsAt, DateTime EndsAt, string Status);

    private async Task<OccurrenceInDb[]> OccurrencesAsync(long reservationId)
    {
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<OccurrenceInDb>(
            "select id, series_date, starts_at, ends_at, status from occurrences where reservation_id = @reservationId order by series_date",
            new { reservationId })).ToArray();
    }

    [GeneratedRegex(@"value=""https?://[^""/]+(/agenda/[A-Za-z0-9_\-]{43}\.ics)""")]
    private static partial Regex FeedLinkPattern();
}
