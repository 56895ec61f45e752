using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

/// <summary>One step forward or back in the round's phases, with an optional note for the log.</summary>
public sealed class RoundPhaseForm
{
    public const int NoteMax = 1000;

    public string? To { get; set; }
    public string? Note { get; set; }
    /// <summary>The beheerder said yes on the confirmation page (see <see cref="PhaseConfirmation"/>).</summary>
    public bool Confirmed { get; set; }

    public void Normalise() => Note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
}

public sealed class RoundPhaseValidator : AbstractValidator<RoundPhaseForm>
{
    public RoundPhaseValidator()
    {
        RuleFor(f => f.To).Must(to => to is not null && RoundPhase.All.Contains(to)).WithMessage("Kies naar welke fase de ronde gaat.");
        RuleFor(f => f.Note).MaximumLength(RoundPhaseForm.NoteMax)
            .WithMessage(f => $"De toelichting mag hoogstens {RoundPhaseForm.NoteMax} tekens lang zijn. Nu zijn het er {f.Note?.Length}.");
    }
}

/// <summary>
/// Why a phase change waits for a yes: taking an open round in hand before its wishes deadline ends the groups' time
/// to hand in, change or withdraw wishes early. What is in so far: wishes handed in, the groups they come from, and
/// continuity wishes the group has not answered yet.
/// </summary>
public sealed record PhaseConfirmation(string To, DateOnly? Deadline, int Wishes, int Groups, int ContinuityOpen);

/// <summary>Done or refused (<see cref="Result"/>), or waiting for the beheerder to confirm (<see cref="Confirmation"/>).</summary>
public sealed record PhaseChangeResult(CommandResult Result, PhaseConfirmation? Confirmation = null)
{
    public static implicit operator PhaseChangeResult(CommandResult result) => new(result);
}

/// <summary>
/// Moves the round to another phase when <see cref="RoundPhase.CanMove"/> allows it (never to "gepubliceerd": that is
/// the publish action), and writes who and when in the phase log. Opening a concept round for wishes needs a deadline
/// that has not passed. Taking an open round in hand while groups may still hand in wishes (on or before the deadline)
/// happens only once the beheerder has confirmed it (<see cref="RoundPhaseForm.Confirmed"/>).
/// </summary>
public sealed class ChangeRoundPhaseHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<PhaseChangeResult> HandleAsync(RoundHeader round, RoundPhaseForm form, long userId, string actorName)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before changing the phase.");
        var to = form.To!;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var current = await connection.QuerySingleOrDefaultAsync<(string Phase, DateOnly? Deadline)?>(
            "select phase, wishes_deadline from planning_rounds where id = @roundId for update", new { roundId = round.Id }, transaction);
        if (current is null) return CommandResult.Fail("", "Deze ronde bestaat niet meer.");
        var from = current.Value.Phase;
        if (from != round.Phase)
        {
            return CommandResult.Fail("", $"De fase is intussen veranderd in ‘{RoundPhase.Name(from)}’. Kijk opnieuw en kies dan.");
        }
        if (to == RoundPhase.Published)
        {
            return CommandResult.Fail("", "Publiceren doet u op het planbord: dan worden ook de reserveringen gemaakt.");
        }
        if (!RoundPhase.CanMove(from, to))
        {
            return CommandResult.Fail("", $"Van ‘{RoundPhase.Name(from)}’ kan de ronde niet naar ‘{RoundPhase.Name(to)}’. Een ronde gaat één stap vooruit of één stap terug.");
        }
        if (from == RoundPhase.Concept && to == RoundPhase.Open)
        {
            if (current.Value.Deadline is not { } deadline)
            {
                return CommandResult.Fail("", "Vul eerst de uiterste datum voor wensen in (bij ‘Ronde bewerken’). Dan weten groepen tot wanneer ze wensen kunnen indienen.");
            }
            if (deadline < AmsterdamTime.Today(time))
            {
                return CommandResult.Fail("", $"De uiterste datum voor wensen ({RoundText.Date(deadline)}) is al voorbij. Kies eerst een nieuwe datum.");
            }
        }

        if (from == RoundPhase.Open && to == RoundPhase.InProgress && !form.Confirmed
            && (current.Value.Deadline is not { } last || AmsterdamTime.Today(time) <= last))
        {
            return new PhaseChangeResult(CommandResult.Ok(), await ConfirmationAsync(connection, transaction, round.Id, to, current.Value.Deadline));
        }

        var now = time.GetUtcNow();
        await connection.ExecuteAsync("update planning_rounds set phase = @to, updated_at = @now where id = @roundId",
            new { to, now, roundId = round.Id }, transaction);
        await RoundPhase.LogAsync(connection, transaction, round.Id, from, to, userId, actorName, now, form.Note);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }

    /// <summary>The wishes handed in so far; a group is an organisation, or else a contact address (or name) without one.</summary>
    private static async Task<PhaseConfirmation> ConfirmationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long roundId,
        string to, DateOnly? deadline)
    {
        var counts = await connection.QuerySingleAsync<(int Wishes, int Groups, int ContinuityOpen)>("""
            select count(*)::int,
                   count(distinct coalesce('org:' || organisation_id, 'mail:' || lower(trim(contact_email)), 'naam:' || lower(trim(group_name))))::int,
                   count(*) filter (where continuity_answer = 'open')::int
            from planning_wishes where round_id = @roundId and status = 'ingediend'
            """, new { roundId }, transaction);
        return new PhaseConfirmation(to, deadline, counts.Wishes, counts.Groups, counts.ContinuityOpen);
    }
}
