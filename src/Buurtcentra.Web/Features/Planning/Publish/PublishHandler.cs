using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Features.Planning.Wishes;
using Buurtcentra.Web.Features.Reservations;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Publish;

public sealed record PublishOutcome(bool Done, int Created, int AlreadyPublished, int ConflictDates, IReadOnlyList<string> Problems, string? Error = null)
{
    public static PublishOutcome Refused(string error) => new(false, 0, 0, 0, [], error);
}

/// <summary>
/// Publishes an adopted round: one confirmed reservation per granted allocation of the latest proposal, through the
/// reservations code (<see cref="RequestReservationHandler.HandleAsync"/> as a beheerder, so its rules, its exclusion
/// constraint and its confirmation mail with the calendar invitation all apply). Dates in the round's closures are left
/// out with their reason; dates on which a confirmed booking is already there are left out too and recorded as
/// planning_publish_conflicts for the beheerder to resolve (never overwritten).
/// Not half-done: each series and its planning_publications row are one transaction, so a retry continues where a
/// failure stopped, and a wish is never published twice (any version of the proposal counts). Only when every granted
/// wish is published does the round become 'gepubliceerd' (logged), and in that same transaction each group that did
/// not get everything it asked for gets one mail with the reasons and the free alternatives; granted series are
/// announced by the reservation's own confirmation (with the invitation and the explanation), so nobody gets two
/// mails for one thing. A session advisory lock keeps two clicks (or two app instances) from publishing at once.
/// </summary>
public sealed class PublishHandler(NpgsqlDataSource dataSource, TimeProvider time, RequestReservationHandler reservations, PublishMails mails,
    ILogger<PublishHandler> logger)
{
    private const int LockSpace = 70_005;

    public async Task<PublishOutcome> HandleAsync(BoardRound round, long userId, string actorName, string baseUrl)
    {
        if (!round.ManagesAll)
        {
            return PublishOutcome.Refused($"Publiceren kan alleen iemand die alle buurtcentra van deze ronde beheert: {ExplanationText.List(round.AllCentres.Select(c => c.Name))}.");
        }
        await using var guard = await dataSource.OpenConnectionAsync();
        if (!await guard.ExecuteScalarAsync<bool>("select pg_try_advisory_lock(@LockSpace, @key)", new { LockSpace, key = (int)(round.Id % int.MaxValue) }))
        {
            return PublishOutcome.Refused("Deze ronde wordt op dit moment al gepubliceerd. Wacht even en kijk dan opnieuw.");
        }
        try
        {
            return await PublishAsync(round, userId, actorName, baseUrl);
        }
        finally
        {
            await guard.ExecuteAsync("select pg_advisory_unlock(@LockSpace, @key)", new { LockSpace, key = (int)(round.Id % int.MaxValue) });
        }
    }

    private async Task<PublishOutcome> PublishAsync(BoardRound round, long userId, string actorName, string baseUrl)
    {
        ProposalRow? proposal;
        List<WishRow> wishes;
        List<AllocationRow> granted;
        Dictionary<long, PublishedSeries> published;
        ExplanationNames names;
        IReadOnlyList<RoundClosure> closures;
        Dictionary<long, string?> contacts;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var phase = await connection.ExecuteScalarAsync<string?>("select phase from planning_rounds where id = @Id", round);
            if (phase == RoundPhase.Published) return PublishOutcome.Refused("Deze ronde is al gepubliceerd.");
            if (phase != RoundPhase.Adopted)
            {
                return PublishOutcome.Refused($"Publiceren kan alleen in de fase ‘{RoundPhase.Name(RoundPhase.Adopted)}’. De ronde is nu ‘{RoundPhase.Name(phase ?? "")}’.");
            }
            proposal = await BoardData.LatestProposalAsync(connection, round.Id);
            if (proposal is null) return PublishOutcome.Refused("Er is geen voorstel om te publiceren.");
            wishes = (await BoardData.WishesAsync(connection, round.Id, centreIds: null)).ToList();
            var ids = wishes.Select(w => w.Id).ToHashSet();
            granted = (await BoardData.AllocationsAsync(connection, proposal.Id, null)).Where(a => a.Place is not null && ids.Contains(a.WishId)).ToList();
            published = await PublishQuery.PublishedAsync(connection, round.Id);
            names = await ExplanationNames.LoadAsync(connection, round.Id);
            closures = await BoardData.ClosuresAsync(connection, round.Id);
            contacts = await PublishContacts.LoadAsync(connection, wishes);
        }

        var byId = wishes.ToDictionary(w => w.Id);
        var from = AmsterdamTime.Today(time).AddDays(1);
        var booker = PublishForms.Booker(userId, actorName);
        var problems = new List<string>();
        var created = 0;
        var conflictDates = 0;
        var already = granted.Count(a => published.ContainsKey(a.WishId));
        foreach (var allocation in granted.Where(a => !published.ContainsKey(a.WishId))
                     .OrderBy(a => byId[a.WishId].CentreId).ThenBy(a => a.Place!.RoomId).ThenBy(a => a.Place!.Weekday).ThenBy(a => a.Place!.StartMinute).ThenBy(a => a.WishId))
        {
            var wish = byId[allocation.WishId];
            var explanation = ExplanationText.Render(ExplanationJson.Read(allocation.Explanation), wish.Explained, allocation.Place, names);
            try
            {
                var form = PublishForms.For(round, wish, allocation.Place!, closures, from, contacts, explanation);
                if (form is null)
                {
                    await RecordAsync(allocation.Id, null, []);
                    continue;
                }
                var busy = 0;
                var outcome = await reservations.HandleAsync(form, booker, baseUrl, async (connection, transaction, made) =>
                {
                    busy = made.SkippedConflicts.Select(c => c.SeriesDate).Distinct().Count();
                    await RecordAsync(connection, transaction, allocation.Id, made.ReservationId, made.SkippedConflicts);
                });
                if (outcome.Succeeded)
                {
                    created++;
                    conflictDates += busy;
                }
                else if (outcome.IsConflict && outcome.Conflicts.Count > 0)
                {
                    // Every date is taken by an existing booking: nothing to book; the beheerder resolves it from the list.
                    await RecordAsync(allocation.Id, null, outcome.Conflicts);
                    conflictDates += outcome.Conflicts.Select(c => c.SeriesDate).Distinct().Count();
                }
                else
                {
                    problems.Add($"‘{wish.Activity}’ ({wish.GroupName}): {string.Join(" ", outcome.Violations.Select(v => v.Message))}");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPublishFailed(e, allocation.Id);
                problems.Add($"‘{wish.Activity}’ ({wish.GroupName}): dit lukte nu niet. Probeer het opnieuw; wat al gepubliceerd is, blijft staan.");
            }
        }

        if (problems.Count > 0) return new PublishOutcome(false, created, already, conflictDates, problems);
        try
        {
            var done = await FinishAsync(round, proposal, wishes, userId, actorName, names);
            return new PublishOutcome(done, created, already, conflictDates, done ? problems : ["De ronde kon nog niet op gepubliceerd worden gezet. Klik opnieuw op Publiceren."]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(e, 0);
            return new PublishOutcome(false, created, already, conflictDates, ["Het afronden lukte nu niet (de fase en de mails aan de groepen). Klik opnieuw op Publiceren; wat al gepubliceerd is, blijft staan."]);
        }
    }

    private async Task RecordAsync(long allocationId, long? reservationId, IReadOnlyList<Conflict> conflicts)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await RecordAsync(connection, transaction, allocationId, reservationId, conflicts);
        await transaction.CommitAsync();
    }

    private async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long allocationId, long? reservationId,
        IReadOnlyList<Conflict> conflicts)
    {
        await connection.ExecuteAsync("""
            insert into planning_publications (allocation_id, reservation_id, published_at) values (@allocationId, @reservationId, @now)
            """, new { allocationId, reservationId, now = time.GetUtcNow() }, transaction);
        var firstPerDate = conflicts.GroupBy(c => c.SeriesDate).Select(g => g.First()).ToList();
        await connection.ExecuteAsync("""
            insert into planning_publish_conflicts (allocation_id, local_date, conflicting_reservation_id)
            select @allocationId, d, r from unnest(@dates::date[], @reservations::bigint[]) as c(d, r)
            """, new { allocationId, dates = firstPerDate.Select(c => c.SeriesDate).ToArray(), reservations = firstPerDate.Select(c => c.ReservationId).ToArray() }, transaction);
    }

    /// <summary>Marks the round published (once) and sends the groups their results, in one transaction.</summary>
    private async Task<bool> FinishAsync(BoardRound round, ProposalRow proposal, IReadOnlyList<WishRow> wishes, long userId, string actorName,
        ExplanationNames names)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var published = await PublishQuery.PublishedAsync(connection, round.Id, transaction);
        var allocations = await BoardData.AllocationsAsync(connection, proposal.Id, null, transaction);
        if (allocations.Any(a => a.Place is not null && wishes.Any(w => w.Id == a.WishId) && !published.ContainsKey(a.WishId))) return false;
        var changed = await connection.ExecuteAsync(
            "update planning_rounds set phase = @to, updated_at = @now where id = @Id and phase = @from",
            new { round.Id, to = RoundPhase.Published, from = RoundPhase.Adopted, now }, transaction);
        if (changed != 1) return false;
        var series = published.Values.Count(p => p.ReservationId is not null);
        await RoundPhase.LogAsync(connection, transaction, round.Id, RoundPhase.Adopted, RoundPhase.Published, userId, actorName, now,
            $"Gepubliceerd: {series} {(series == 1 ? "reeks" : "reeksen")} gemaakt uit versie {proposal.Version}.");
        await mails.ResultsAsync(connection, transaction, round, wishes, allocations, published, names);
        await transaction.CommitAsync();
        return true;
    }

    private void LogPublishFailed(Exception e, long allocationId) =>
        logger.LogError(e, "Publishing allocation {AllocationId} failed", allocationId);
}

/// <summary>Marks a date left out of a published series as resolved (the beheerder dealt with the booking in the way).</summary>
public sealed class ResolvePublishConflictHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<bool> HandleAsync(BoardRound round, long conflictId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync("""
            update planning_publish_conflicts c set resolved_at = @now
            from planning_allocations a join planning_wishes w on w.id = a.wish_id
            where c.id = @conflictId and a.id = c.allocation_id and w.round_id = @roundId and w.centre_id = any(@centreIds) and c.resolved_at is null
            """, new { conflictId, roundId = round.Id, centreIds = round.CentreIds, now = time.GetUtcNow() }) == 1;
    }
}
