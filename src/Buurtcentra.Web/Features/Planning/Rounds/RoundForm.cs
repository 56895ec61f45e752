using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

/// <summary>A planningsronde's own data: used to create a round and to change it while it is a concept.</summary>
public sealed class RoundForm
{
    public const int NameMin = 2, NameMax = 120, MaxSeasonDays = 400; // CHECKs in 0007

    /// <summary>Null when creating.</summary>
    [BindNever] public long? RoundId { get; set; }

    public string? Name { get; set; }
    [Display(Name = "eerste dag van het seizoen")] public DateOnly? SeasonStart { get; set; }
    [Display(Name = "laatste dag van het seizoen")] public DateOnly? SeasonEnd { get; set; }
    [Display(Name = "uiterste datum voor wensen")] public DateOnly? WishesDeadline { get; set; }
    public List<long> CentreIds { get; set; } = [];
    /// <summary>Only when creating: the published round whose allocations become continuity wishes.</summary>
    [Display(Name = "vorige ronde")] public long? RollFromRoundId { get; set; }

    public void Normalise()
    {
        Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim();
        CentreIds = (CentreIds ?? []).Distinct().ToList();
    }
}

public sealed class RoundValidator : AbstractValidator<RoundForm>
{
    public RoundValidator()
    {
        RuleFor(f => f.Name).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul de naam van de ronde in, bijvoorbeeld: Seizoen 2027-2028.")
            .Length(RoundForm.NameMin, RoundForm.NameMax).WithMessage($"De naam moet {RoundForm.NameMin} tot {RoundForm.NameMax} tekens lang zijn.");
        RuleFor(f => f.SeasonStart).NotNull().WithMessage("Vul de eerste dag van het seizoen in.");
        RuleFor(f => f.SeasonEnd).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul de laatste dag van het seizoen in.")
            .Must((f, end) => f.SeasonStart is null || end > f.SeasonStart)
            .WithMessage("De laatste dag van het seizoen moet na de eerste dag liggen.")
            .Must((f, end) => f.SeasonStart is null || end!.Value.DayNumber - f.SeasonStart.Value.DayNumber <= RoundForm.MaxSeasonDays)
            .WithMessage("Een seizoen duurt hoogstens ruim een jaar (400 dagen). Kies een eerdere laatste dag.");
        RuleFor(f => f.WishesDeadline)
            .Must((f, deadline) => f.SeasonStart is null || deadline < f.SeasonStart)
            .When(f => f.WishesDeadline is not null)
            .WithMessage("De uiterste datum voor wensen moet vóór de eerste dag van het seizoen liggen.");
        RuleFor(f => f.CentreIds).NotEmpty().WithMessage("Kies minstens één buurtcentrum.");
    }
}

/// <summary>What the round form shows besides its fields.</summary>
public sealed record RoundFormPage(string Title, string Action, bool IsEdit, IReadOnlyList<SelectListItem> Centres,
    IReadOnlyList<SelectListItem> PreviousRounds, string CancelUrl);

/// <summary>The choices on the round form: the centres the person manages, and published rounds they can see (doorrollen).</summary>
public sealed class RoundChoicesQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<IReadOnlyList<SelectListItem>> CentresAsync()
    {
        var ids = (await access.ManageableCentreIdsAsync()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(long Id, string Name)>(
            "select id, name from centres where id = any(@ids) order by name", new { ids });
        return rows.Select(r => new SelectListItem(r.Name, r.Id.ToString(CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Published rounds with at least one centre the person manages, newest season first.</summary>
    public async Task<IReadOnlyList<SelectListItem>> PublishedRoundsAsync(long? exceptRoundId = null)
    {
        var ids = (await access.ManageableCentreIdsAsync()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(long Id, string Name, DateOnly SeasonStart, DateOnly SeasonEnd)>("""
            select r.id, r.name, r.season_start, r.season_end from planning_rounds r
            where r.phase = 'gepubliceerd' and r.id <> coalesce(@exceptRoundId, 0)
              and exists (select 1 from planning_round_centres rc where rc.round_id = r.id and rc.centre_id = any(@ids))
            order by r.season_start desc, r.id desc
            """, new { ids, exceptRoundId });
        return rows.Select(r => new SelectListItem($"{r.Name} ({RoundText.Period(r.SeasonStart, r.SeasonEnd)})",
            r.Id.ToString(CultureInfo.InvariantCulture))).ToList();
    }
}
