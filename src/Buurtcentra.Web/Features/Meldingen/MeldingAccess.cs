using System.Security.Claims;
using Buurtcentra.Web.Features.Reservations;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>How a person sees one melding: as a worker (Stadsbedrijven, beheerder), its reporter, or someone who also has the problem.</summary>
public sealed record MeldingViewer(MeldingActor? Actor, bool IsFollower, string Name, long? UserId)
{
    public bool IsStaff => Actor is MeldingActor.Beheerder or MeldingActor.Stadsbedrijven;
    public string Role => Actor switch
    {
        MeldingActor.Beheerder => "beheerder",
        MeldingActor.Stadsbedrijven => "stadsbedrijven",
        _ => "melder",
    };
}

/// <summary>
/// Who may see and act on meldingen. Stadsbedrijven and functioneel beheer: all centres. Sociaal beheerders and
/// SMO-coördinatoren: the centres they manage (<see cref="CentreAccess"/>). A reporter with an account: their own
/// meldingen and the ones they said "Ik heb dit ook" to. Without an account: only through a private link.
/// A melding the person may not see answers 404.
/// </summary>
public sealed class MeldingAccessQuery(CentreAccess centres, IHttpContextAccessor http)
{
    private ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    public bool SeesAllCentres => centres.SeesAllCentres;

    /// <summary>Null for "all centres".</summary>
    public async Task<long[]?> VisibleCentreIdsAsync() =>
        SeesAllCentres ? null : (await centres.ManageableCentreIdsAsync()).ToArray();

    /// <summary>The signed-in person's view on a melding, or null when they may not see it.</summary>
    public async Task<MeldingViewer?> ViewerAsync(NpgsqlConnection connection, long meldingId, long centreId, long? reporterUserId)
    {
        var user = User;
        if (user.Identity?.IsAuthenticated != true) return null;
        var name = user.Identity.Name ?? "";
        var userId = user.UserId();
        if (user.IsInRole(Roles.Stadsbedrijven)) return new MeldingViewer(MeldingActor.Stadsbedrijven, false, name, userId);
        if (await centres.CanManageAsync(centreId)) return new MeldingViewer(MeldingActor.Beheerder, false, name, userId);
        if (reporterUserId == userId) return new MeldingViewer(MeldingActor.Reporter, false, name, userId);
        var follows = await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from melding_followers where melding_id = @meldingId and user_id = @userId)", new { meldingId, userId });
        return follows ? new MeldingViewer(null, true, name, userId) : null;
    }

    /// <summary>The melding and view of a private link, or null when the link is unknown.</summary>
    public static async Task<(long MeldingId, MeldingViewer Viewer)?> ByTokenAsync(NpgsqlConnection connection, string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return null;
        var row = await connection.QuerySingleOrDefaultAsync<(long MeldingId, long? FollowerId, string Name)?>("""
            select l.melding_id, l.follower_id, coalesce(f.name, m.reporter_name) as name
            from melding_access_links l
            join meldingen m on m.id = l.melding_id
            left join melding_followers f on f.id = l.follower_id
            where l.token_hash = @hash
            """, new { hash = AccessTokens.Hash(token) });
        if (row is null) return null;
        return (row.Value.MeldingId, row.Value.FollowerId is null
            ? new MeldingViewer(MeldingActor.Reporter, false, row.Value.Name, null)
            : new MeldingViewer(null, true, row.Value.Name, null));
    }

    /// <summary>Creates a private link for the reporter (followerId null) or a follower, inside the caller's transaction.</summary>
    public static async Task<string> NewLinkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long meldingId, long? followerId,
        DateTimeOffset now)
    {
        var token = AccessTokens.New();
        await connection.ExecuteAsync("""
            insert into melding_access_links (token_hash, melding_id, follower_id, created_at) values (@hash, @meldingId, @followerId, @now)
            """, new { hash = AccessTokens.Hash(token), meldingId, followerId, now }, transaction);
        return token;
    }
}

/// <summary>The links in mails and on pages.</summary>
public sealed record MeldingLinks(string BaseUrl)
{
    private string Root => BaseUrl.TrimEnd('/');

    public string Private(string token) => $"{Root}/melding/{token}";
    public string Own(long id) => $"{Root}/meldingen/{id}";
    public string Werkbak(long id) => $"{Root}/beheer/meldingen/{id}";
}
