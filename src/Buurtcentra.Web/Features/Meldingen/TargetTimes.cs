using System.ComponentModel.DataAnnotations;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>The target time per urgency as Stadsbedrijven set it, standard values filling the gaps.</summary>
public sealed class TargetTimesQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ResponseTarget>> LoadAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await LoadAsync(connection, null);
    }

    public static async Task<IReadOnlyList<ResponseTarget>> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction) =>
        ResponseTargets.Complete(await connection.QueryAsync<ResponseTarget>(
            "select urgency, amount, unit from melding_target_times", transaction: transaction));

    public static async Task<ResponseTarget> ForAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string urgency) =>
        (await LoadAsync(connection, transaction)).Single(t => t.Urgency == urgency);
}

/// <summary>"Streeftijden": four amounts and units, one per urgency.</summary>
public sealed class TargetTimesForm
{
    [Display(Name = "spoed")] public int? SpoedAmount { get; set; }
    public string? SpoedUnit { get; set; }
    [Display(Name = "hoog")] public int? HoogAmount { get; set; }
    public string? HoogUnit { get; set; }
    [Display(Name = "normaal")] public int? NormaalAmount { get; set; }
    public string? NormaalUnit { get; set; }
    [Display(Name = "laag")] public int? LaagAmount { get; set; }
    public string? LaagUnit { get; set; }

    public const int MaxHours = 999, MaxWorkingDays = 60;

    public static TargetTimesForm From(IReadOnlyList<ResponseTarget> targets)
    {
        ResponseTarget T(string u) => targets.Single(t => t.Urgency == u);
        return new TargetTimesForm
        {
            SpoedAmount = T("spoed").Amount, SpoedUnit = T("spoed").Unit,
            HoogAmount = T("hoog").Amount, HoogUnit = T("hoog").Unit,
            NormaalAmount = T("normaal").Amount, NormaalUnit = T("normaal").Unit,
            LaagAmount = T("laag").Amount, LaagUnit = T("laag").Unit,
        };
    }

    public IReadOnlyList<ResponseTarget> ToTargets() =>
    [
        new("spoed", SpoedAmount!.Value, SpoedUnit!),
        new("hoog", HoogAmount!.Value, HoogUnit!),
        new("normaal", NormaalAmount!.Value, NormaalUnit!),
        new("laag", LaagAmount!.Value, LaagUnit!),
    ];
}

public sealed class TargetTimesValidator : AbstractValidator<TargetTimesForm>
{
    public TargetTimesValidator()
    {
        Rule("spoed", f => f.SpoedAmount, f => f.SpoedUnit);
        Rule("hoog", f => f.HoogAmount, f => f.HoogUnit);
        Rule("normaal", f => f.NormaalAmount, f => f.NormaalUnit);
        Rule("laag", f => f.LaagAmount, f => f.LaagUnit);
    }

    private void Rule(string urgency, System.Linq.Expressions.Expression<Func<TargetTimesForm, int?>> amount,
        System.Linq.Expressions.Expression<Func<TargetTimesForm, string?>> unit)
    {
        var getUnit = unit.Compile();
        RuleFor(unit).Must(u => u is ResponseTarget.Hours or ResponseTarget.WorkingDays)
            .WithMessage($"Kies uren of werkdagen voor {urgency}.");
        RuleFor(amount).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage($"Vul de streeftijd voor {urgency} in.")
            .GreaterThanOrEqualTo(1).WithMessage($"De streeftijd voor {urgency} is minstens 1.")
            .Must((f, a) => getUnit(f) != ResponseTarget.WorkingDays || a <= TargetTimesForm.MaxWorkingDays)
            .WithMessage($"De streeftijd voor {urgency} is hoogstens {TargetTimesForm.MaxWorkingDays} werkdagen.")
            .Must((f, a) => getUnit(f) != ResponseTarget.Hours || a <= TargetTimesForm.MaxHours)
            .WithMessage($"De streeftijd voor {urgency} is hoogstens {TargetTimesForm.MaxHours} uur.");
    }
}

/// <summary>Saves the four target times. New deadlines use them; meldingen already reported keep theirs.</summary>
public sealed class SaveTargetTimesHandler(NpgsqlDataSource dataSource, TimeProvider time, IHttpContextAccessor http)
{
    public async Task HandleAsync(TargetTimesForm form)
    {
        var userId = http.HttpContext!.User.UserId();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var t in form.ToTargets())
        {
            await connection.ExecuteAsync("""
                insert into melding_target_times (urgency, amount, unit, updated_at, updated_by_user_id)
                values (@Urgency, @Amount, @Unit, @now, @userId)
                on conflict (urgency) do update set amount = excluded.amount, unit = excluded.unit,
                    updated_at = excluded.updated_at, updated_by_user_id = excluded.updated_by_user_id
                """, new { t.Urgency, t.Amount, t.Unit, now = time.GetUtcNow(), userId }, transaction);
        }
        await transaction.CommitAsync();
    }
}
