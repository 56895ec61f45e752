using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning;

/// <summary>One step forward or back in the round's phases, with an optional note for the log.</summary>
public sealed class RoundPhaseForm
{
    public const int NoteMax = 1000;

    public string? To { get; set; }
    public string? Note { get; set; }

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
/// Moves the round to another phase when <see cref="RoundPhase.CanMove"/> allows it (never to "gepubliceerd": that is
/// the publish action), and writes who and when in the phase log. Opening a concept round for wishes needs a deadline
/// that has not passed.
/// </summary>
public sealed class ChangeRoundPhaseHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(RoundHeader round, RoundPhaseForm form, long userId, string actorName)
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

        var now = time.GetUtcNow();
        await connection.ExecuteAsync("update planning_rounds set phase = @to, updated_at = @now where id = @roundId",
            new { to, now, roundId = round.Id }, transaction);
        await RoundPhase.LogAsync(connection, transaction, round.Id, from, to, userId, actorName, now, form.Note);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }
}
