using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

/// <summary>
/// Closure periods of a round (school holidays, feestdagen): the published series skip them. A period is for every
/// centre of the round, or for one of them.
/// </summary>
public sealed class RoundClosureForm
{
    public const int ReasonMin = 2, ReasonMax = 200;

    /// <summary>Empty: every centre of the round.</summary>
    [Display(Name = "buurtcentrum")] public long? CentreId { get; set; }
    [Display(Name = "eerste dag")] public DateOnly? StartsOn { get; set; }
    [Display(Name = "laatste dag")] public DateOnly? EndsOn { get; set; }
    public string? Reason { get; set; }

    public void Normalise()
    {
        Reason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim();
        EndsOn ??= StartsOn;
    }
}

public sealed class RoundClosureValidator : AbstractValidator<RoundClosureForm>
{
    public RoundClosureValidator()
    {
        RuleFor(f => f.StartsOn).NotNull().WithMessage("Vul de eerste dag van de sluiting in.");
        RuleFor(f => f.EndsOn)
            .Must((f, end) => end >= f.StartsOn).When(f => f.StartsOn is not null && f.EndsOn is not null)
            .WithMessage("De laatste dag mag niet vóór de eerste dag liggen.");
        RuleFor(f => f.Reason).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul de reden in, bijvoorbeeld: Kerstvakantie.")
            .Length(RoundClosureForm.ReasonMin, RoundClosureForm.ReasonMax)
            .WithMessage($"De reden moet {RoundClosureForm.ReasonMin} tot {RoundClosureForm.ReasonMax} tekens lang zijn.");
    }
}

public sealed record RoundClosureRow(long Id, long? CentreId, string? CentreName, DateOnly StartsOn, DateOnly EndsOn, string Reason)
{
    public string Period => RoundText.Period(StartsOn, EndsOn);
}

public sealed record RoundClosuresPage(RoundHeader Round, IReadOnlyList<RoundClosureRow> Closures, RoundClosureForm Form,
    IReadOnlyList<SelectListItem> Centres);

public sealed class RoundClosuresQuery(NpgsqlDataSource dataSource)
{
    public async Task<RoundClosuresPage> LoadAsync(RoundHeader round, RoundClosureForm? form = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<RoundClosureRow>("""
            select x.id, x.centre_id, c.name as centre_name, x.starts_on, x.ends_on, x.reason
            from planning_round_closures x left join centres c on c.id = x.centre_id
            where x.round_id = @roundId order by x.starts_on, x.ends_on, x.id
            """, new { roundId = round.Id });
        var centres = round.Centres.Select(c => new SelectListItem(c.Name, c.Id.ToString(CultureInfo.InvariantCulture))).ToList();
        return new RoundClosuresPage(round, rows.ToList(), form ?? new RoundClosureForm(), centres);
    }
}

/// <summary>Adds a closure period inside the season.</summary>
public sealed class AddRoundClosureHandler(NpgsqlDataSource dataSource)
{
    public async Task<CommandResult> HandleAsync(RoundHeader round, RoundClosureForm form)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before saving.");
        if (!round.ClosuresEditable) return CommandResult.Fail("", "De ronde is gepubliceerd. Sluitingen veranderen niet meer.");
        if (form.CentreId is { } centreId && round.Centres.All(c => c.Id != centreId))
        {
            return CommandResult.Fail(nameof(form.CentreId), "Kies een buurtcentrum van deze ronde, of ‘Alle buurtcentra van de ronde’.");
        }
        if (form.StartsOn < round.SeasonStart || form.EndsOn > round.SeasonEnd)
        {
            return CommandResult.Fail(nameof(form.StartsOn), $"De sluiting moet binnen het seizoen vallen: {round.Season}.");
        }
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into planning_round_closures (round_id, centre_id, starts_on, ends_on, reason)
            values (@roundId, @CentreId, @StartsOn, @EndsOn, @Reason)
            """, new { roundId = round.Id, form.CentreId, form.StartsOn, form.EndsOn, form.Reason });
        return CommandResult.Ok();
    }
}

/// <summary>Removes a closure period of the round; false when it is not one of the round's (answer 404).</summary>
public sealed class DeleteRoundClosureHandler(NpgsqlDataSource dataSource)
{
    public async Task<CommandResult?> HandleAsync(RoundHeader round, long closureId)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before deleting.");
        await using var connection = await dataSource.OpenConnectionAsync();
        var exists = await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from planning_round_closures where id = @closureId and round_id = @roundId)", new { closureId, roundId = round.Id });
        if (!exists) return null;
        if (!round.ClosuresEditable) return CommandResult.Fail("", "De ronde is gepubliceerd. Sluitingen veranderen niet meer.");
        await connection.ExecuteAsync("delete from planning_round_closures where id = @closureId and round_id = @roundId", new { closureId, roundId = round.Id });
        return CommandResult.Ok();
    }
}

/// <summary>
/// Copies the centres' sluitingsdagen (closure_days: city-wide ones and those of the round's centres) that fall in the
/// season, cut off at the season's edges. A period that is already there is not copied twice.
/// </summary>
public sealed class CopyRoundClosuresHandler(NpgsqlDataSource dataSource)
{
    public async Task<(CommandResult Result, int Copied)> HandleAsync(RoundHeader round)
    {
        if (!round.CanChange) throw new InvalidOperationException("Access is checked before saving.");
        if (!round.ClosuresEditable) return (CommandResult.Fail("", "De ronde is gepubliceerd. Sluitingen veranderen niet meer."), 0);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("select 1 from planning_rounds where id = @roundId for update", new { roundId = round.Id }, transaction);
        var copied = await connection.ExecuteAsync("""
            insert into planning_round_closures (round_id, centre_id, starts_on, ends_on, reason)
            select distinct @roundId, d.centre_id, greatest(d.starts_on, @seasonStart), least(d.ends_on, @seasonEnd), d.reason
            from closure_days d
            where (d.centre_id is null or d.centre_id in (select centre_id from planning_round_centres where round_id = @roundId))
              and d.starts_on <= @seasonEnd and d.ends_on >= @seasonStart
              and not exists (select 1 from planning_round_closures x
                              where x.round_id = @roundId and x.centre_id is not distinct from d.centre_id
                                and x.starts_on = greatest(d.starts_on, @seasonStart) and x.ends_on = least(d.ends_on, @seasonEnd))
            """, new { roundId = round.Id, seasonStart = round.SeasonStart, seasonEnd = round.SeasonEnd }, transaction);
        await transaction.CommitAsync();
        return (CommandResult.Ok(), copied);
    }
}
