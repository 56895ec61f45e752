using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Draft;

/// <summary>A group's reaction to its result in the shared draft: akkoord, or a remark.</summary>
public sealed class ReactionForm
{
    public const string Agree = "akkoord", Remark = "opmerking";
    public const int CommentMax = 2000;

    public long WishId { get; set; }
    public string? Reaction { get; set; }
    public string? Comment { get; set; }

    public void Normalise()
    {
        Reaction = Reaction?.Trim();
        Comment = string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim();
    }
}

public sealed class ReactionValidator : AbstractValidator<ReactionForm>
{
    public ReactionValidator()
    {
        RuleFor(f => f.Reaction).Must(r => r is ReactionForm.Agree or ReactionForm.Remark)
            .WithMessage("Kies of u akkoord bent of een opmerking heeft.");
        RuleFor(f => f.Comment).NotEmpty().When(f => f.Reaction == ReactionForm.Remark)
            .WithMessage("Schrijf uw opmerking. Bijvoorbeeld: welke dag of tijd beter past.");
        RuleFor(f => f.Comment).MaximumLength(ReactionForm.CommentMax)
            .WithMessage(f => $"Schrijf hoogstens {ReactionForm.CommentMax} tekens. Nu zijn het er {f.Comment!.Length}.");
    }
}

/// <summary>
/// Saves a reaction on the latest proposal, for one of the person's own wishes (see <see cref="DraftQuery"/>), only while
/// the groups see the draft. The beheerder reads it on the planbord.
/// </summary>
public sealed class ReactionHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<CommandResult> HandleAsync(long roundId, ReactionForm form, long userId, string actorName)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var phase = await connection.ExecuteScalarAsync<string?>("select phase from planning_rounds where id = @roundId", new { roundId });
        if (phase is null || !RoundPhase.GroupsSeeDraft(phase)) return CommandResult.Fail("", "Reageren kan zodra het concept-rooster is gedeeld.");
        if (!(await DraftQuery.OwnWishIdsAsync(connection, roundId, userId)).Contains(form.WishId))
        {
            return CommandResult.Fail("", "U kunt alleen reageren op de wensen van uw eigen groep.");
        }
        var proposal = await BoardData.LatestProposalAsync(connection, roundId);
        if (proposal is null) return CommandResult.Fail("", "Er is nog geen concept-rooster om op te reageren.");
        await connection.ExecuteAsync("""
            insert into planning_reactions (wish_id, proposal_id, reaction, comment, user_id, actor_name, created_at)
            values (@WishId, @proposalId, @Reaction, @Comment, @userId, @actorName, @now)
            """, new
        {
            form.WishId, proposalId = proposal.Id, form.Reaction,
            Comment = form.Reaction == ReactionForm.Agree ? form.Comment : form.Comment ?? "",
            userId, actorName = actorName.Length > 120 ? actorName[..120] : actorName, now = time.GetUtcNow(),
        });
        return CommandResult.Ok();
    }
}
