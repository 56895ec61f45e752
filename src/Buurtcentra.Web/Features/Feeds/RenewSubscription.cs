using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Feeds;

/// <summary>
/// "Vernieuwen": the feed gets a new link and the old one answers 404 from now on. For a lost link (the link is shown
/// only once) or one that reached someone else. Only while the person may still have the feed.
/// </summary>
public sealed class RenewSubscriptionHandler(NpgsqlDataSource dataSource, TimeProvider time, FeedAccessQuery access)
{
    /// <returns>Null when the person has no active link with this id (another person's looks the same: 404).</returns>
    public async Task<(CommandResult Result, CreatedSubscription? Created)?> HandleAsync(long userId, long feedId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var feed = await connection.QuerySingleOrDefaultAsync<(string Kind, long TargetId)?>(
            "select kind, target_id from calendar_feeds where id = @feedId and user_id = @userId and revoked_at is null", new { feedId, userId });
        if (feed is not { } f) return null;
        var subscriber = await access.SubscriberAsync(userId);
        var scope = subscriber is null ? null : await access.ScopeAsync(subscriber, f.Kind, f.TargetId);
        if (scope is null)
        {
            return (CommandResult.Fail("", "U heeft geen toegang meer tot deze agenda. Trek de link in."), null);
        }
        var token = FeedToken.Generate();
        var updated = await connection.ExecuteAsync("""
            update calendar_feeds set token_hash = @hash, created_at = @now, last_fetched_at = null
            where id = @feedId and user_id = @userId and revoked_at is null
            """, new { feedId, userId, hash = FeedToken.Hash(token), now = time.GetUtcNow() });
        return updated == 0 ? null : (CommandResult.Ok(), new CreatedSubscription(feedId, scope.CalendarName, token, Renewed: true));
    }
}
