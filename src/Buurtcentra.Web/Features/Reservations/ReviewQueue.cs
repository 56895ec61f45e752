using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

public sealed record QueueItem(long Id, string Status, string Activity, string Category, int Participants, string ContactName,
    string? OrganisationName, long CentreId, string CentreName, string RoomName, DateTime CreatedAt, DateTime FirstStart, DateTime FirstEnd,
    int Dates, string? StrengthensCentre)
{
    public DateTime LocalFirstStart => AmsterdamTime.ToLocal(new DateTimeOffset(FirstStart, TimeSpan.Zero));
    public DateTime LocalFirstEnd => AmsterdamTime.ToLocal(new DateTimeOffset(FirstEnd, TimeSpan.Zero));
    public List<QueueItem> Competitors { get; } = [];
    public int ConfirmedConflicts { get; set; }
}

/// <summary>New requests for the beheerder's centres, with the requests that want the same room at the same time.</summary>
public sealed class ReviewQueueQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<QueueItem>> LoadAsync(IReadOnlySet<long> centreIds, long? onlyReservationId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var items = (await connection.QueryAsync<QueueItem>("""
            select r.id, r.status, r.activity, r.category, r.participants, r.contact_name, org.name as organisation_name,
                   r.centre_id, c.name as centre_name, rm.name as room_name, r.created_at,
                   min(o.starts_at) as first_start, min(o.ends_at) as first_end, count(*)::int as dates, r.strengthens_centre
            from reservations r
            join centres c on c.id = r.centre_id
            join rooms rm on rm.id = r.room_id
            left join organisations org on org.id = r.organisation_id
            join occurrences o on o.reservation_id = r.id and o.status = 'aangevraagd'
            where r.centre_id = any(@centreIds) and r.status in ('aangevraagd', 'voorstel')
            group by r.id, c.name, rm.name, org.name
            order by min(o.starts_at), r.id
            """, new { centreIds = centreIds.ToArray() })).ToList();
        if (items.Count == 0) return items;

        var ids = items.Select(i => i.Id).ToArray();
        var pairs = await connection.QueryAsync<(long A, long B)>("""
            select distinct a.reservation_id, b.reservation_id
            from occurrences a
            join occurrences b on b.room_id = a.room_id and b.reservation_id <> a.reservation_id and b.status = 'aangevraagd'
                and b.starts_at < a.blocked_until + interval '4 hours' and b.starts_at > a.blocked_from - interval '28 hours'
                and b.blocked_from < a.blocked_until and b.blocked_until > a.blocked_from
            where a.reservation_id = any(@ids) and a.status = 'aangevraagd'
            """, new { ids });
        var conflicts = await connection.QueryAsync<(long Id, int Count)>($"""
            select a.reservation_id, count(*)::int
            from occurrences a
            join occurrences b on b.room_id = a.room_id and b.status = 'bevestigd'
                and b.blocked_from < a.blocked_until and b.blocked_from > a.blocked_from - {Occurrences.MaxBlockedSpan} and b.blocked_until > a.blocked_from
            where a.reservation_id = any(@ids) and a.status = 'aangevraagd'
            group by a.reservation_id
            """, new { ids });
        var byId = items.ToDictionary(i => i.Id);
        foreach (var (a, b) in pairs)
        {
            if (byId.TryGetValue(a, out var item) && byId.TryGetValue(b, out var other)) item.Competitors.Add(other);
        }
        foreach (var (id, count) in conflicts) byId[id].ConfirmedConflicts = count;
        return onlyReservationId is null ? items : items.Where(i => i.Id == onlyReservationId).ToList();
    }
}
