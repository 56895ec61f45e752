using System.Globalization;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Features.Planning.Runs;
using Buurtcentra.Web.Features.Planning.Wishes;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Board;

/// <summary>Move a wish on the planbord (or place one that was not granted): room, weekday, start time and week (lane).</summary>
public sealed class BoardMoveForm
{
    public long WishId { get; set; }
    /// <summary>The proposal version the form was made on; a newer version in between means: look again.</summary>
    public int BaseVersion { get; set; }
    public long? RoomId { get; set; }
    public int? Weekday { get; set; }
    /// <summary>"19:00".</summary>
    public string? Start { get; set; }
    public int? Lane { get; set; }

    public void Normalise() => Start = string.IsNullOrWhiteSpace(Start) ? null : Start.Trim().Replace('.', ':');

    public static bool TryParseStart(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text ?? "", ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}

public sealed class BoardMoveValidator : AbstractValidator<BoardMoveForm>
{
    public BoardMoveValidator()
    {
        RuleFor(f => f.RoomId).NotNull().WithMessage("Kies een ruimte.");
        RuleFor(f => f.Weekday).Cascade(CascadeMode.Stop).NotNull().WithMessage("Kies een dag.")
            .InclusiveBetween(1, 7).WithMessage("Kies een dag van maandag tot en met zondag.");
        RuleFor(f => f.Start).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul de begintijd in, bijvoorbeeld 19:00.")
            .Must(s => BoardMoveForm.TryParseStart(s, out _)).WithMessage("Schrijf de begintijd als uren en minuten, bijvoorbeeld 19:00.")
            .Must(s => BoardMoveForm.TryParseStart(s, out var t) && t.Minute % 5 == 0)
            .WithMessage("Kies een begintijd in hele 5 minuten, bijvoorbeeld 19:00 of 19:15.");
        RuleFor(f => f.Lane).InclusiveBetween(0, 4).When(f => f.Lane is not null).WithMessage("Kies een week uit de lijst.");
    }
}

/// <summary>
/// The beheerder's last word on the planbord: lock an allocation as it is, unlock it, move it, or fix a wish as
/// "niet toekennen". A move or "niet toekennen" of a granted wish is a new proposal version (solver status
/// 'handmatig', the other allocations copied) plus a planning_locks row, so every later run keeps it. Only while the
/// board may be changed and no run is going on; the round row is locked, so two edits never make the same version.
/// A move keeps the room's capacity and the centre's opening hours, and does not overlap another allocation of the
/// same version in the same weeks (the optimiser's lane rule, with the room's set-up and clean-up time).
/// </summary>
public sealed class BoardEditHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    private sealed record Context(NpgsqlConnection Connection, NpgsqlTransaction Transaction, ProposalRow Proposal, WishRow Wish,
        AllocationRow? Allocation, IReadOnlyList<AllocationRow> All);

    public Task<CommandResult> LockAsync(BoardRound round, long centreId, long wishId, int baseVersion, long userId) =>
        EditAsync(round, centreId, wishId, baseVersion, async c =>
        {
            if (c.Allocation is null) return CommandResult.Fail("", "Deze wens staat nog niet in het voorstel. Plaats hem eerst, of maak een nieuw voorstel.");
            await UpsertLockAsync(c, round.Id, c.Allocation.Place, userId);
            await c.Connection.ExecuteAsync("update planning_allocations set locked = true where id = @Id", new { c.Allocation.Id }, c.Transaction);
            return CommandResult.Ok();
        });

    public Task<CommandResult> UnlockAsync(BoardRound round, long centreId, long wishId, int baseVersion) =>
        EditAsync(round, centreId, wishId, baseVersion, async c =>
        {
            await c.Connection.ExecuteAsync("delete from planning_locks where round_id = @roundId and wish_id = @wishId",
                new { roundId = round.Id, wishId }, c.Transaction);
            if (c.Allocation is not null)
            {
                await c.Connection.ExecuteAsync("update planning_allocations set locked = false where id = @Id", new { c.Allocation.Id }, c.Transaction);
            }
            return CommandResult.Ok();
        });

    /// <summary>"Niet toekennen": fixed as not granted. A granted wish leaves its place in a new version.</summary>
    public Task<CommandResult> ExcludeAsync(BoardRound round, long centreId, long wishId, int baseVersion, long userId) =>
        EditAsync(round, centreId, wishId, baseVersion, async c =>
        {
            var previous = ExplanationJson.Read(c.Allocation?.Explanation);
            var explanation = ExplanationJson.Serialise(new WishExplanation(wishId, Outcome.Excluded, null, previous?.Options ?? [], previous?.Alternatives ?? []));
            await UpsertLockAsync(c, round.Id, null, userId);
            if (c.Allocation is { IsGranted: false })
            {
                await c.Connection.ExecuteAsync("update planning_allocations set locked = true, explanation = @explanation::jsonb where id = @Id",
                    new { c.Allocation.Id, explanation }, c.Transaction);
                return CommandResult.Ok();
            }
            await NewVersionAsync(c, round.Id, new NewAllocation(wishId, null, null, true, explanation),
                $"‘{c.Wish.Activity}’ niet toegekend door de beheerder.", userId);
            return CommandResult.Ok();
        });

    public Task<CommandResult> MoveAsync(BoardRound round, long centreId, BoardMoveForm form, long userId) =>
        EditAsync(round, centreId, form.WishId, form.BaseVersion, async c =>
        {
            var wish = c.Wish;
            var frequency = wish.PlanFrequency;
            var lane = frequency == Frequency.Weekly ? 0 : form.Lane ?? 0;
            if (!BoardRules.LaneFits(frequency, lane))
            {
                return CommandResult.Fail(nameof(BoardMoveForm.Lane), frequency == Frequency.EveryOtherWeek
                    ? "Kies week 1 of week 2: deze activiteit is om de week."
                    : "Kies de hoeveelste week van de maand: deze activiteit is eens per maand.");
            }
            var room = await c.Connection.QuerySingleOrDefaultAsync<BoardRoom>("""
                select id, name, capacity, active, setup_minutes, cleanup_minutes from rooms where id = @RoomId and centre_id = @centreId
                """, new { form.RoomId, centreId }, c.Transaction);
            if (room is null || !room.Active) return CommandResult.Fail(nameof(BoardMoveForm.RoomId), "Kies een ruimte van dit buurtcentrum die in gebruik is.");
            if (wish.Participants > room.Capacity)
            {
                return CommandResult.Fail(nameof(BoardMoveForm.RoomId),
                    $"In {room.Name} passen maximaal {room.Capacity} mensen. Bij ‘{wish.Activity}’ komen er {wish.Participants}. Kies een grotere ruimte.");
            }
            BoardMoveForm.TryParseStart(form.Start, out var startTime);
            var weekday = form.Weekday!.Value;
            var start = BoardFormat.Minutes(startTime);
            var end = start + wish.DurationMinutes;
            if (end >= 24 * 60)
            {
                return CommandResult.Fail(nameof(BoardMoveForm.Start),
                    $"‘{wish.Activity}’ duurt {Reservations.BookingRules.Duration(wish.DurationMinutes)}: met deze begintijd loopt het door na middernacht. Kies een eerdere begintijd.");
            }
            var hours = (await c.Connection.QueryAsync<(TimeOnly Opens, TimeOnly Closes)>(
                "select opens_at, closes_at from opening_hours where centre_id = @centreId and weekday = @weekday order by opens_at",
                new { centreId, weekday = (short)weekday }, c.Transaction)).ToList();
            if (!hours.Any(h => BoardFormat.Minutes(h.Opens) <= start && end <= (h.Closes == TimeOnly.MinValue ? 1440 : BoardFormat.Minutes(h.Closes))))
            {
                return CommandResult.Fail(nameof(BoardMoveForm.Start), hours.Count == 0
                    ? $"Het buurtcentrum is op {BoardFormat.Day(weekday)} gesloten. Kies een andere dag."
                    : $"Het buurtcentrum is op {BoardFormat.Day(weekday)} open van {ExplanationText.List(hours.Select(h => $"{h.Opens:HH\\:mm} tot {h.Closes:HH\\:mm}"))}. Van {BoardFormat.Span(start, end)} past daar niet in. Kies een andere tijd.");
            }

            var candidate = new BoardSlot(wish.Id, room.Id, weekday, start, end, frequency, lane);
            var wishes = (await BoardData.WishesAsync(c.Connection, round.Id, [centreId], transaction: c.Transaction)).ToDictionary(w => w.Id);
            var others = c.All.Where(a => a.Place is not null && a.WishId != wish.Id && wishes.ContainsKey(a.WishId))
                .Select(a => new BoardSlot(a.WishId, a.Place!.RoomId, a.Place.Weekday, a.Place.StartMinute, a.Place.EndMinute,
                    wishes[a.WishId].PlanFrequency, a.Place.Lane));
            var conflicts = BoardRules.Conflicts(candidate, others, room.SetupMinutes, room.CleanupMinutes);
            if (conflicts.Count > 0)
            {
                var described = conflicts.Select(o => $"‘{wishes[o.WishId].Activity}’ ({BoardFormat.Span(o.StartMinute, o.EndMinute)}, {BoardFormat.FrequencyText(o.Frequency, o.Lane, o.Weekday)})");
                var buffers = room.SetupMinutes + room.CleanupMinutes > 0 ? $" Tussen twee activiteiten is {room.SetupMinutes + room.CleanupMinutes} minuten nodig om op te bouwen en op te ruimen." : "";
                return CommandResult.Fail(nameof(BoardMoveForm.Start),
                    $"{room.Name} is op {BoardFormat.Day(weekday)} dan al in gebruik door {ExplanationText.List(described)}.{buffers} Kies een andere tijd, ruimte of week.");
            }

            var roomsOfCentre = (await c.Connection.QueryAsync<long>("select id from rooms where centre_id = @centreId", new { centreId }, c.Transaction)).ToHashSet();
            var rank = BoardRules.MatchingRank(wish.Explained.Options, room.Id, weekday, start, roomsOfCentre.Contains);
            var place = new GrantedPlace(room.Id, weekday, start, end, lane);
            await UpsertLockAsync(c, round.Id, place, userId);
            await NewVersionAsync(c, round.Id,
                new NewAllocation(wish.Id, place, rank, true, ExplanationJson.Serialise(new WishExplanation(wish.Id, Outcome.Locked, rank, [], []))),
                $"‘{wish.Activity}’ geplaatst in {room.Name}, {BoardFormat.Day(weekday)} {BoardFormat.Span(start, end)}.", userId);
            return CommandResult.Ok();
        });

    private async Task<CommandResult> EditAsync(BoardRound round, long centreId, long wishId, int baseVersion, Func<Context, Task<CommandResult>> edit)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var phase = await RunProposals.LockRoundAsync(connection, transaction, round.Id);
        if (phase is null) return CommandResult.Fail("", "Deze ronde bestaat niet meer.");
        if (!RoundPhase.BoardEditable(phase))
        {
            return CommandResult.Fail("", $"Het planbord kan alleen worden aangepast in de fases ‘{RoundPhase.Name(RoundPhase.InProgress)}’ en ‘{RoundPhase.Name(RoundPhase.DraftShared)}’. De ronde is nu ‘{RoundPhase.Name(phase)}’.");
        }
        if (await BoardData.ActiveRunAsync(connection, round.Id, transaction) is not null)
        {
            return CommandResult.Fail("", "Er loopt een berekening voor deze ronde. Wacht tot die klaar is; daarna kunt u het planbord weer aanpassen.");
        }
        var proposal = await BoardData.LatestProposalAsync(connection, round.Id, transaction);
        if (proposal is null) return CommandResult.Fail("", "Er is nog geen voorstel. Maak eerst een voorstel.");
        if (proposal.Version != baseVersion)
        {
            return CommandResult.Fail("", $"Het voorstel is intussen veranderd (nu versie {proposal.Version}). Bekijk het planbord opnieuw en probeer het nog eens.");
        }
        var wish = (await BoardData.WishesAsync(connection, round.Id, [centreId], transaction: transaction)).FirstOrDefault(w => w.Id == wishId);
        if (wish is null) return CommandResult.Fail("", "Deze wens staat niet op dit planbord.");
        var all = await BoardData.AllocationsAsync(connection, proposal.Id, null, transaction);
        var result = await edit(new Context(connection, transaction, proposal, wish, all.FirstOrDefault(a => a.WishId == wishId), all));
        if (result.Succeeded) await transaction.CommitAsync();
        return result;
    }

    private async Task UpsertLockAsync(Context c, long roundId, GrantedPlace? place, long userId) =>
        await c.Connection.ExecuteAsync("""
            insert into planning_locks (round_id, wish_id, room_id, weekday, starts_at, ends_at, lane, created_by_user_id, created_at)
            values (@roundId, @wishId, @roomId, @weekday, @starts, @ends, @lane, @userId, @now)
            on conflict (round_id, wish_id) do update
            set room_id = excluded.room_id, weekday = excluded.weekday, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                lane = excluded.lane, created_by_user_id = excluded.created_by_user_id, created_at = excluded.created_at
            """, new
        {
            roundId, wishId = c.Wish.Id, roomId = place?.RoomId, weekday = (short?)place?.Weekday,
            starts = place is null ? (TimeOnly?)null : BoardFormat.ToTime(place.StartMinute),
            ends = place is null ? (TimeOnly?)null : BoardFormat.ToTime(place.EndMinute),
            lane = (short)(place?.Lane ?? 0), userId, now = time.GetUtcNow(),
        }, c.Transaction);

    /// <summary>A new version: the current one copied, with the changed wish replaced (or added when it was not in it yet).</summary>
    private async Task NewVersionAsync(Context c, long roundId, NewAllocation changed, string note, long userId)
    {
        var copied = c.All.Where(a => a.WishId != changed.WishId)
            .Select(a => new NewAllocation(a.WishId, a.Place, a.OptionRank, a.Locked, a.Explanation))
            .Append(changed).OrderBy(a => a.WishId).ToList();
        await RunProposals.InsertAsync(c.Connection, c.Transaction,
            new NewProposal(roundId, c.Proposal.PolicyVersion, "handmatig", null, null, null, note, userId), copied, time.GetUtcNow());
    }
}
