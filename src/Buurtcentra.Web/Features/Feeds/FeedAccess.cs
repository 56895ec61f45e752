using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Feeds;

/// <summary>The kinds of private feed as stored in calendar_feeds.kind.</summary>
public static class FeedKinds
{
    public const string Ruimte = "ruimte", Organisatie = "organisatie", Medewerker = "medewerker";

    public static bool IsKnown(string? kind) => kind is Ruimte or Organisatie or Medewerker;
}

/// <summary>
/// The secret in a private feed's address (/agenda/{token}.ics): 32 random bytes (256 bits) in base64url, 43
/// characters. Only its SHA-256 is stored, so a link is shown once; afterwards it can only be renewed.
/// </summary>
public static class FeedToken
{
    public const int Length = 43;

    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Anything else is never looked up in the database.</summary>
    public static bool LooksLikeToken(string? value) =>
        value is { Length: Length } && value.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_');
}

/// <summary>The person a private feed belongs to, as the database says now (not as a cookie said earlier).</summary>
public sealed record FeedSubscriber(long UserId, string DisplayName, string Email, string Role, long? OrganisationId, Guid SecurityStamp)
{
    public bool IsStaff => Roles.Staff.Contains(Role);
}

/// <summary>A private feed found by its token, with what its owner may see today.</summary>
public sealed record TokenFeed(long FeedId, DateTime? LastFetchedAt, FeedScope Scope);

/// <summary>
/// Who may have which private feed. The same rules answer when a link is made and on every fetch, so a person who
/// lost access to a centre, was deactivated, or whose link was revoked or renewed gets a 404 from then on.
/// Centre rights come from <see cref="CentreAccess"/> itself, run for the feed's owner instead of the signed-in
/// person: view = the centres in the feed, manage = the centres whose contact details may be shown.
/// </summary>
public sealed class FeedAccessQuery(NpgsqlDataSource dataSource)
{
    private sealed record FeedTokenRow(long Id, string Kind, long TargetId, DateTime? LastFetchedAt, long UserId, string DisplayName,
        string Email, string Role, long? OrganisationId, Guid SecurityStamp);

    /// <summary>An active account, or null.</summary>
    public async Task<FeedSubscriber?> SubscriberAsync(long userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<FeedSubscriber>("""
            select id as user_id, display_name, email, role, organisation_id, security_stamp from users where id = @userId and active
            """, new { userId });
    }

    /// <summary>The active feed with this token whose owner still may have it, or null (the endpoint answers 404).</summary>
    public async Task<TokenFeed?> ByTokenAsync(string token)
    {
        if (!FeedToken.LooksLikeToken(token)) return null;
        FeedTokenRow? row;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            row = await connection.QuerySingleOrDefaultAsync<FeedTokenRow>("""
                select f.id, f.kind, f.target_id, f.last_fetched_at,
                       u.id as user_id, u.display_name, u.email, u.role, u.organisation_id, u.security_stamp
                from calendar_feeds f
                join users u on u.id = f.user_id
                where f.token_hash = @hash and f.revoked_at is null and u.active
                """, new { hash = FeedToken.Hash(token) });
        }
        if (row is null) return null;
        var subscriber = new FeedSubscriber(row.UserId, row.DisplayName, row.Email, row.Role, row.OrganisationId, row.SecurityStamp);
        var scope = await ScopeAsync(subscriber, row.Kind, row.TargetId);
        return scope is null ? null : new TokenFeed(row.Id, row.LastFetchedAt, scope);
    }

    /// <summary>What the feed shows for this person, or null when they may not have it.</summary>
    public async Task<FeedScope?> ScopeAsync(FeedSubscriber subscriber, string kind, long targetId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        switch (kind)
        {
            case FeedKinds.Ruimte:
            {
                if (!subscriber.IsStaff) return null;
                var room = await connection.QuerySingleOrDefaultAsync<(long CentreId, string RoomName, string CentreName, DateTime UpdatedAt)?>("""
                    select m.centre_id, m.name as room_name, c.name as centre_name, greatest(m.updated_at, c.updated_at) as updated_at
                    from rooms m join centres c on c.id = m.centre_id where m.id = @targetId
                    """, new { targetId });
                if (room is not { } r) return null;
                var access = AccessFor(subscriber);
                if (!await access.CanViewAsync(r.CentreId)) return null;
                var contacts = await access.CanManageAsync(r.CentreId) ? new HashSet<long> { r.CentreId } : new HashSet<long>();
                return new FeedScope(FeedKind.Room, targetId, [r.CentreId], contacts, $"{r.RoomName} – {r.CentreName}",
                    $"Wie {r.RoomName} in {r.CentreName} gebruikt.", r.UpdatedAt, contacts.Count > 0 ? FeedLinks.Beheer : FeedLinks.None);
            }
            case FeedKinds.Organisatie:
            {
                if (subscriber.OrganisationId != targetId) return null;
                var organisation = await connection.QuerySingleOrDefaultAsync<(string Name, DateTime UpdatedAt)?>(
                    "select name, updated_at from organisations where id = @targetId and active", new { targetId });
                if (organisation is not { } o) return null;
                return new FeedScope(FeedKind.Organisation, targetId, [], new HashSet<long>(), $"{o.Name}: reserveringen",
                    $"De reserveringen en aanvragen van {o.Name} in de buurtcentra.", o.UpdatedAt,
                    subscriber.Role == Roles.Gebruiker ? FeedLinks.Mijn : FeedLinks.None);
            }
            case FeedKinds.Medewerker:
            {
                if (!subscriber.IsStaff || targetId != subscriber.UserId) return null;
                var access = AccessFor(subscriber);
                var manageable = await access.ManageableCentreIdsAsync();
                var centres = access.SeesAllCentres
                    ? (await connection.QueryAsync<long>("select id from centres order by id")).ToList()
                    : manageable.Order().ToList();
                return new FeedScope(FeedKind.Staff, targetId, centres, manageable, "Mijn buurtcentra: aanvragen en reserveringen",
                    "Aanvragen, reserveringen en annuleringen in de buurtcentra waar u voor werkt.", DateTime.MinValue,
                    manageable.Count > 0 ? FeedLinks.Beheer : FeedLinks.None);
            }
            default:
                return null;
        }
    }

    /// <summary>The per-centre rules of <see cref="CentreAccess"/>, for the feed's owner.</summary>
    public CentreAccess AccessFor(FeedSubscriber subscriber) =>
        new(dataSource, new OwnerContext(AuthSetup.CreatePrincipal(subscriber.UserId, subscriber.DisplayName, subscriber.Email,
            subscriber.Role, subscriber.OrganisationId, subscriber.SecurityStamp)));

    /// <summary>Notes the fetch, at most once a minute per feed, so that a calendar polling for 304s costs no write.</summary>
    public async Task MarkFetchedAsync(TokenFeed feed, DateTimeOffset now)
    {
        if (feed.LastFetchedAt is { } last && now.UtcDateTime - last < TimeSpan.FromMinutes(1)) return;
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            update calendar_feeds set last_fetched_at = @now
            where id = @id and (last_fetched_at is null or last_fetched_at < @now)
            """, new { id = feed.FeedId, now });
    }

    /// <summary>
    /// A context of its own holding only the owner's principal. Not <see cref="HttpContextAccessor"/>: setting that
    /// one would replace the current request's context for everything else in this request.
    /// </summary>
    private sealed class OwnerContext(ClaimsPrincipal owner) : IHttpContextAccessor
    {
        private HttpContext? context = new DefaultHttpContext { User = owner };

        public HttpContext? HttpContext { get => context; set => context = value; }
    }
}
