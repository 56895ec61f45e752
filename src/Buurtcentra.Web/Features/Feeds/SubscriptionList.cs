using System.Globalization;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Feeds;

/// <summary>One of the person's active private feeds. The link itself is not stored, so it is not shown again.</summary>
public sealed record SubscriptionRow(long Id, string Kind, long TargetId, string Label, DateTime CreatedAt, DateTime? LastFetchedAt)
{
    /// <summary>False when the person lost the right to this feed: the link answers 404 until access returns.</summary>
    public bool Works { get; init; } = true;
}

public sealed record RoomChoice(long RoomId, string RoomName, string CentreName);

public sealed record PublicFeed(string Name, string Path);

/// <summary>Everything on "Mijn agenda-abonnementen".</summary>
public sealed record SubscriptionsPage(
    IReadOnlyList<SubscriptionRow> Subscriptions,
    bool CanHaveStaffFeed,
    long UserId,
    (long Id, string Name)? Organisation,
    IReadOnlyList<RoomChoice> Rooms,
    IReadOnlyList<PublicFeed> OwnPublicFeeds,
    IReadOnlyList<PublicFeed> AllCentreFeeds,
    IReadOnlyList<PublicFeed> AllWijkFeeds,
    PublicFeed? ChosenPublicFeed,
    string? Error = null);

public static class FeedText
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>A stored UTC instant as Utrecht time: "2 maart 2027 om 19:05".</summary>
    public static string When(DateTime utc) =>
        AmsterdamTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))).ToString("d MMMM yyyy 'om' HH:mm", Dutch);

    /// <summary>The https address of a feed path on this site, and the same as webcal:// (calendar apps open it directly).</summary>
    public static (string Https, string Webcal) Links(string baseUrl, string path)
    {
        var https = baseUrl.TrimEnd('/') + path;
        var colon = https.IndexOf("://", StringComparison.Ordinal);
        return (https, colon < 0 ? https : "webcal" + https[colon..]);
    }
}

public sealed class SubscriptionListQuery(NpgsqlDataSource dataSource, CentreAccess access, FeedAccessQuery feedAccess, TimeProvider time)
{
    public async Task<SubscriptionsPage> LoadAsync(long userId, string? publicChoice = null, string? error = null)
    {
        var subscriber = await feedAccess.SubscriberAsync(userId);
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<SubscriptionRow>("""
            select f.id, f.kind, f.target_id,
                   case f.kind
                       when 'ruimte' then (select m.name || ' – ' || c.name from rooms m join centres c on c.id = m.centre_id where m.id = f.target_id)
                       when 'organisatie' then (select 'Reserveringen van ' || name from organisations where id = f.target_id)
                       else 'Alles van mijn buurtcentra'
                   end as label,
                   f.created_at, f.last_fetched_at
            from calendar_feeds f
            where f.user_id = @userId and f.revoked_at is null
            order by f.kind, f.created_at, f.id
            """, new { userId })).ToList();
        var subscriptions = new List<SubscriptionRow>(rows.Count);
        foreach (var row in rows)
        {
            var works = subscriber is not null && await feedAccess.ScopeAsync(subscriber, row.Kind, row.TargetId) is not null;
            subscriptions.Add(row with { Label = row.Label ?? "Onbekend", Works = works });
        }

        var isStaff = subscriber?.IsStaff == true;
        var viewable = isStaff
            ? access.SeesAllCentres
                ? (await connection.QueryAsync<long>("select id from centres")).ToArray()
                : (await access.ManageableCentreIdsAsync()).ToArray()
            : Array.Empty<long>();
        var rooms = (await connection.QueryAsync<RoomChoice>("""
            select m.id as room_id, m.name as room_name, c.name as centre_name
            from rooms m join centres c on c.id = m.centre_id
            where m.centre_id = any(@viewable)
            order by c.name, m.name, m.id
            """, new { viewable })).ToList();
        (long Id, string Name)? organisation = subscriber?.OrganisationId is { } orgId
            ? await connection.QuerySingleOrDefaultAsync<(long Id, string Name)?>(
                "select id, name from organisations where id = @orgId and active", new { orgId })
            : null;

        var centres = (await connection.QueryAsync<(long Id, string Slug, string Name, string WijkSlug, string WijkName)>("""
            select c.id, c.slug, c.name, w.slug as wijk_slug, w.name as wijk_name
            from centres c join wijken w on w.id = c.wijk_id where c.active order by c.name
            """)).ToList();
        var wijken = (await connection.QueryAsync<(string Slug, string Name)>("select slug, name from wijken order by name")).ToList();
        // "Own" public feeds: the centres a person works for (not all 22 for those who see every centre), or where
        // their organisation has reservations in the window of the feeds.
        var own = isStaff && !access.SeesAllCentres
            ? viewable.ToHashSet()
            : organisation is { } org
                ? (await connection.QueryAsync<long>("""
                    select distinct m.centre_id from reservations r join occurrences o on o.reservation_id = r.id join rooms m on m.id = o.room_id
                    where r.organisation_id = @orgId and o.status = 'bevestigd' and o.starts_at > @from
                    """, new { orgId = org.Id, from = FeedWindow.At(time).FromUtc })).ToHashSet()
                : new HashSet<long>();
        var ownCentres = centres.Where(c => own.Contains(c.Id)).ToList();
        var ownFeeds = ownCentres.Select(c => new PublicFeed($"{c.Name} (buurtcentrum)", Path(CalendarFeedController.CentrePath, c.Slug)))
            .Concat(ownCentres.Select(c => (c.WijkSlug, c.WijkName)).Distinct().OrderBy(w => w.WijkName)
                .Select(w => new PublicFeed($"Wijk {w.WijkName}", Path(CalendarFeedController.WijkPath, w.WijkSlug))))
            .ToList();
        var allCentres = centres.Select(c => new PublicFeed($"{c.Name} (buurtcentrum)", Path(CalendarFeedController.CentrePath, c.Slug))).ToList();
        var allWijken = wijken.Select(w => new PublicFeed($"Wijk {w.Name}", Path(CalendarFeedController.WijkPath, w.Slug))).ToList();
        var chosen = publicChoice is null ? null : allCentres.Concat(allWijken).FirstOrDefault(f => f.Path == publicChoice);

        return new SubscriptionsPage(subscriptions, isStaff, userId, organisation, rooms, ownFeeds, allCentres, allWijken, chosen, error);
    }

    private static string Path(string pattern, string slug) => string.Format(CultureInfo.InvariantCulture, pattern, Uri.EscapeDataString(slug));
}
