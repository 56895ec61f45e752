using System.Net;
using System.Net.Http.Headers;
using Buurtcentra.Web.Features.Feeds;
using Dapper;

namespace Buurtcentra.Tests.Feeds;

public sealed partial class FeedTests
{
    [Fact]
    public async Task A_feed_is_uncompressed_utf8_text_calendar_with_an_ETag_and_answers_304_until_something_changes()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var id = await BookAsync(beheerder, s, "2027-01-05", until: "2027-01-19", activity: "Zangkoor ‘Één stem’ – ñ 🎵");
        var path = $"/agenda/buurtcentra/{s.Slug}.ics";

        var first = await GetFeedAsync(path, r => r.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", first.Content.Headers.ContentType?.ToString());
        Assert.Empty(first.Content.Headers.ContentEncoding);
        Assert.False(first.Content.Headers.Contains("Content-Encoding"));
        var cache = first.Headers.CacheControl!;
        Assert.True(cache.Public && cache.NoTransform, cache.ToString());
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        var lastModified = first.Content.Headers.LastModified!.Value;
        var body = await first.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", body);
        Assert.Contains("Zangkoor ‘Één stem’ – ñ 🎵", Unfold(body));
        var calendar = (await ExpandAsync(body)).Calendar;
        Assert.Equal("De Boog (buurtcentrum)", calendar["name"].GetString());
        Assert.Equal("3600s", calendar["refresh_interval"].GetString());
        Assert.Equal("PT1H", calendar["published_ttl"].GetString());
        Assert.Equal("PUBLISH", calendar["method"].GetString());

        // The same version: 304 without a body, for If-None-Match (strong, weak or in a list) and for If-Modified-Since.
        foreach (var configure in new Action<HttpRequestMessage>[]
                 {
                     r => r.Headers.IfNoneMatch.Add(etag),
                     r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag, isWeak: true)),
                     r => { r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"iets-anders\"")); r.Headers.IfNoneMatch.Add(etag); },
                     r => r.Headers.IfModifiedSince = lastModified,
                 })
        {
            var again = await GetFeedAsync(path, configure);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, again.Headers.ETag);
        }
        // Another version tag, or an older date: the full feed.
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync(path, r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"oud\"")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFeedAsync(path, r => r.Headers.IfModifiedSince = lastModified.AddSeconds(-1))).StatusCode);

        // HEAD answers with the same headers and no body.
        var head = await GetFeedAsync(path, r => r.Method = HttpMethod.Head);
        Assert.Equal((HttpStatusCode.OK, etag), (head.StatusCode, head.Headers.ETag));

        // Any change that alters the feed alters the ETag: a cancelled date, a renamed room, a renamed centre.
        App.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await CancelDateAsync(beheerder, id, "2027-01-12")).StatusCode);
        var afterCancel = await ChangedAsync(path, etag);
        await ExecuteAsync("update rooms set name = 'Theaterzaal', updated_at = @now where id = @id", s.RoomId);
        var afterRoom = await ChangedAsync(path, afterCancel);
        await ExecuteAsync("update centres set name = 'De Nieuwe Boog', updated_at = @now where id = @id", s.CentreId);
        var afterCentre = await ChangedAsync(path, afterRoom);
        // A change in another centre leaves this feed's version alone.
        var elsewhere = await Data.RoomAsync(await Data.CentreAsync("Ander centrum"), "Zaal elders");
        await ExecuteAsync("update rooms set name = 'Zaal ergens anders', updated_at = @now where id = @id", elsewhere);
        Assert.Equal(HttpStatusCode.NotModified, (await GetFeedAsync(path, r => r.Headers.IfNoneMatch.Add(afterCentre))).StatusCode);
        // And a new day moves the window, even without any change in the data.
        App.Time.Advance(TimeSpan.FromDays(1));
        await ChangedAsync(path, afterCentre);
    }

    [Fact]
    public async Task Changes_that_leave_updated_at_alone_or_happen_in_another_table_still_change_a_private_feeds_ETag()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        var id = await BookAsync(beheerder, s, "2027-01-05", until: "2027-01-26");
        var path = await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId);
        var etag = (await GetFeedAsync(path)).Headers.ETag!;

        // The organisation's name is in the room feed: renaming it is a change of the feed.
        await ExecuteAsync("update organisations set name = 'Buurtkoor Hoograven-Zuid', updated_at = @now where id = @id", s.GroupId);
        etag = await ChangedAsync(path, etag);
        Assert.Contains("Buurtkoor Hoograven-Zuid", Unfold(await FeedTextAsync(path)));

        // A statement that moves dates to another reservation without touching updated_at (as a split does).
        var other = await BookAsync(beheerder, s, "2027-02-02", activity: "Ander koor");
        etag = await ChangedAsync(path, etag);
        await ExecuteAsync("update occurrences set reservation_id = (select max(id) from reservations) where reservation_id = @id and series_date = '2027-01-26'", id);
        etag = await ChangedAsync(path, etag);
        Assert.Contains("Ander koor", Unfold(await FeedTextAsync(path)));
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from occurrences where reservation_id = @other", new { other }));
    }

    [Fact]
    public async Task A_private_feed_is_private_and_not_cached_by_others_and_counts_its_fetches_at_most_once_a_minute()
    {
        var s = await SetupAsync();
        var beheerder = await SignedInAsync(s.BeheerderId);
        await BookAsync(beheerder, s, "2027-01-05");
        var path = await SubscribeAsync(beheerder, FeedKinds.Ruimte, s.RoomId);
        Assert.Contains("Nog niet opgehaald", await beheerder.GetPageAsync(SubscriptionsController.Path));

        var first = await GetFeedAsync(path, r => r.Headers.AcceptEncoding.ParseAdd("gzip"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", first.Content.Headers.ContentType?.ToString());
        Assert.Empty(first.Content.Headers.ContentEncoding);
        var cache = first.Headers.CacheControl!;
        Assert.True(cache.Private && cache.NoCache && !cache.Public, cache.ToString());
        var fetched = await Data.ScalarAsync<DateTime>("select last_fetched_at from calendar_feeds");
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime, fetched, TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain("Nog niet opgehaald", await beheerder.GetPageAsync(SubscriptionsController.Path));

        App.Time.Advance(TimeSpan.FromSeconds(30));
        var notModified = await GetFeedAsync(path, r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(fetched, await Data.ScalarAsync<DateTime>("select last_fetched_at from calendar_feeds"));

        App.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.NotModified, (await GetFeedAsync(path, r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!))).StatusCode);
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime, await Data.ScalarAsync<DateTime>("select last_fetched_at from calendar_feeds"), TimeSpan.FromMilliseconds(1));
    }

    private async Task<EntityTagHeaderValue> ChangedAsync(string path, EntityTagHeaderValue previous)
    {
        var response = await GetFeedAsync(path, r => r.Headers.IfNoneMatch.Add(previous));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(previous, response.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await GetFeedAsync(path, r => r.Headers.IfNoneMatch.Add(response.Headers.ETag!))).StatusCode);
        return response.Headers.ETag!;
    }

    private async Task ExecuteAsync(string sql, long id)
    {
        App.Time.Advance(TimeSpan.FromMinutes(1));
        await using var connection = await Fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, new { id, now = App.Time.GetUtcNow() });
    }
}
