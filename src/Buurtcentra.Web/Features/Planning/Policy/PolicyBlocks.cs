using System.ComponentModel.DataAnnotations;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Policy;

/// <summary>
/// A protected block: a room kept free at a weekly time for some categories, e.g. "Huiskamer open voor
/// basisaanbod" every weekday morning. Several weekdays at once give one block per day.
/// </summary>
public sealed class PolicyBlockForm
{
    public const int LabelMin = 2, LabelMax = 120;

    [Display(Name = "ruimte")] public long? RoomId { get; set; }
    public List<int> Weekdays { get; set; } = [];
    [Display(Name = "begintijd")] public TimeOnly? StartsAt { get; set; }
    [Display(Name = "eindtijd")] public TimeOnly? EndsAt { get; set; }
    public List<string> Categories { get; set; } = [];
    public string? Label { get; set; }

    public void Normalise()
    {
        Label = string.IsNullOrWhiteSpace(Label) ? null : Label.Trim();
        Weekdays = (Weekdays ?? []).Distinct().Order().ToList();
        Categories = (Categories ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
    }
}

public sealed class PolicyBlockValidator : AbstractValidator<PolicyBlockForm>
{
    public PolicyBlockValidator()
    {
        RuleFor(f => f.RoomId).NotNull().WithMessage("Kies de ruimte die vrij blijft.");
        RuleFor(f => f.Weekdays).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Kies minstens één dag.")
            .Must(days => days.All(d => d is >= 1 and <= 7)).WithMessage("Kies alleen dagen uit de lijst.");
        RuleFor(f => f.StartsAt).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul de begintijd in.")
            .Must(t => t!.Value.Minute % 15 == 0).WithMessage("Kies een begintijd op een heel kwartier, bijvoorbeeld 09:00 of 09:15.");
        RuleFor(f => f.EndsAt).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul de eindtijd in.")
            .Must(t => t!.Value.Minute % 15 == 0).WithMessage("Kies een eindtijd op een heel kwartier, bijvoorbeeld 12:00 of 12:15.")
            .Must((f, end) => f.StartsAt is null || end > f.StartsAt).WithMessage("De eindtijd moet na de begintijd liggen.");
        RuleFor(f => f.Categories).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Kies voor welke soort activiteit het blok vrij blijft.")
            .Must(codes => codes.All(RoundText.IsCategory)).WithMessage("Kies alleen soorten activiteit uit de lijst.");
        RuleFor(f => f.Label).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Geef het blok een naam, bijvoorbeeld: Huiskamer open voor basisaanbod.")
            .Length(PolicyBlockForm.LabelMin, PolicyBlockForm.LabelMax)
            .WithMessage($"De naam moet {PolicyBlockForm.LabelMin} tot {PolicyBlockForm.LabelMax} tekens lang zijn.");
    }
}

/// <summary>Adds blocks (one per chosen weekday) in a new policy version.</summary>
public sealed class AddPolicyBlockHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<(CommandResult Result, int NewVersion)> HandleAsync(RoundHeader round, PolicyBlockForm form, long userId)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before saving.");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var roomInRound = await connection.ExecuteScalarAsync<bool>("""
            select exists (select 1 from rooms r join planning_round_centres rc on rc.centre_id = r.centre_id
                           where r.id = @RoomId and rc.round_id = @roundId)
            """, new { form.RoomId, roundId = round.Id }, transaction);
        if (!roomInRound) return (CommandResult.Fail(nameof(form.RoomId), "Kies een ruimte van een buurtcentrum in deze ronde."), 0);

        var latest = await PolicyVersions.LockLatestAsync(connection, transaction, round.Id);
        if (latest is null) return (CommandResult.Fail("", PolicyVersions.NotEditable), 0);
        var version = await PolicyVersions.InsertAsync(connection, transaction, latest, null, userId, time.GetUtcNow());
        await PolicyVersions.CopyBlocksAsync(connection, transaction, latest.Id, version.Id, dropBlockId: null);
        await connection.ExecuteAsync("""
            insert into planning_protected_blocks (policy_id, room_id, weekday, starts_at, ends_at, categories, label)
            select @policyId, @RoomId, d::smallint, @StartsAt, @EndsAt, @categories, @Label from unnest(@weekdays) as d order by d
            """, new
        {
            policyId = version.Id, form.RoomId, form.StartsAt, form.EndsAt, categories = form.Categories.ToArray(), form.Label,
            weekdays = form.Weekdays.ToArray(),
        }, transaction);
        await transaction.CommitAsync();
        return (CommandResult.Ok(), version.Version);
    }
}

/// <summary>Removes one block of the latest version by making a new version without it.</summary>
public sealed class RemovePolicyBlockHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <returns>Null when the block is not part of the round's latest version (answer 404); otherwise the result and new version.</returns>
    public async Task<(CommandResult Result, int NewVersion)?> HandleAsync(RoundHeader round, long blockId, long userId)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before saving.");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var latest = await PolicyVersions.LockLatestAsync(connection, transaction, round.Id);
        if (latest is null)
        {
            var exists = await connection.ExecuteScalarAsync<bool>("""
                select exists (select 1 from planning_protected_blocks b join planning_policies p on p.id = b.policy_id
                               where b.id = @blockId and p.round_id = @roundId)
                """, new { blockId, roundId = round.Id }, transaction);
            return exists ? (CommandResult.Fail("", PolicyVersions.NotEditable), 0) : null;
        }
        var inLatest = await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from planning_protected_blocks where id = @blockId and policy_id = @policyId)",
            new { blockId, policyId = latest.Id }, transaction);
        if (!inLatest) return null;
        var version = await PolicyVersions.InsertAsync(connection, transaction, latest, null, userId, time.GetUtcNow());
        await PolicyVersions.CopyBlocksAsync(connection, transaction, latest.Id, version.Id, dropBlockId: blockId);
        await transaction.CommitAsync();
        return (CommandResult.Ok(), version.Version);
    }
}
