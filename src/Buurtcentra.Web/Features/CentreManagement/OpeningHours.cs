using System.ComponentModel.DataAnnotations;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.CentreManagement;

/// <summary>One weekday: up to two periods; an empty period means closed.</summary>
public sealed class DayHoursForm
{
    [Display(Name = "open vanaf")] public TimeOnly? Opens1 { get; set; }
    [Display(Name = "dicht om")] public TimeOnly? Closes1 { get; set; }
    [Display(Name = "tweede periode: open vanaf")] public TimeOnly? Opens2 { get; set; }
    [Display(Name = "tweede periode: dicht om")] public TimeOnly? Closes2 { get; set; }

    internal IEnumerable<(TimeOnly Opens, TimeOnly Closes)> Periods()
    {
        if (Opens1 is { } o1 && Closes1 is { } c1) yield return (o1, c1);
        if (Opens2 is { } o2 && Closes2 is { } c2) yield return (o2, c2);
    }
}

/// <summary>The whole week: Days[0] is maandag ... Days[6] is zondag.</summary>
public sealed class OpeningHoursForm
{
    public List<DayHoursForm> Days { get; set; } = [];

    public static OpeningHoursForm From(IReadOnlyList<OpeningPeriod> periods)
    {
        var form = new OpeningHoursForm { Days = Enumerable.Range(1, 7).Select(_ => new DayHoursForm()).ToList() };
        foreach (var group in periods.GroupBy(p => p.Weekday))
        {
            var day = form.Days[group.Key - 1];
            var ordered = group.OrderBy(p => p.OpensAt).ToList();
            (day.Opens1, day.Closes1) = (ordered[0].OpensAt, ordered[0].ClosesAt);
            if (ordered.Count > 1) (day.Opens2, day.Closes2) = (ordered[1].OpensAt, ordered[1].ClosesAt);
        }
        return form;
    }
}

public sealed class OpeningHoursValidator : AbstractValidator<OpeningHoursForm>
{
    public OpeningHoursValidator()
    {
        RuleFor(f => f.Days).Custom((days, context) =>
        {
            if (days is null || days.Count != 7)
            {
                context.AddFailure("Days", "Het formulier is niet compleet. Laad de pagina opnieuw en probeer het nog eens.");
                return;
            }
            for (var i = 0; i < 7; i++)
            {
                var day = days[i];
                var name = Weekdays.Name(i + 1);
                var ok1 = CheckPeriod(context, i, 1, name, day.Opens1, day.Closes1);
                var ok2 = CheckPeriod(context, i, 2, name, day.Opens2, day.Closes2);
                if (ok1 && ok2 && day.Opens1 is { } o1 && day.Closes1 is { } c1 && day.Opens2 is { } o2 && day.Closes2 is { } c2
                    && o1 < c2 && o2 < c1)
                {
                    context.AddFailure($"Days[{i}].Opens2", $"Op {name} overlappen de twee periodes. Laat de tweede periode beginnen als de eerste voorbij is.");
                }
            }
        });
    }

    private static bool CheckPeriod(ValidationContext<OpeningHoursForm> context, int index, int period, string dayName, TimeOnly? opens, TimeOnly? closes)
    {
        var which = period == 1 ? "eerste" : "tweede";
        if (opens is null && closes is null) return true;
        if (opens is null)
        {
            context.AddFailure($"Days[{index}].Opens{period}", $"Vul op {dayName} bij de {which} periode ook in hoe laat het buurtcentrum opengaat.");
            return false;
        }
        if (closes is null)
        {
            context.AddFailure($"Days[{index}].Closes{period}", $"Vul op {dayName} bij de {which} periode ook in hoe laat het buurtcentrum dichtgaat.");
            return false;
        }
        if (closes <= opens)
        {
            context.AddFailure($"Days[{index}].Closes{period}", $"Op {dayName} moet de sluitingstijd van de {which} periode later zijn dan de openingstijd.");
            return false;
        }
        return true;
    }
}

public sealed record OpeningHoursPage(CentreDetails Centre, OpeningHoursForm Form);

/// <summary>Replaces a centre's whole week in one transaction. Returns null when the person may not manage the centre.</summary>
public sealed class OpeningHoursHandler(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<OpeningHoursPage?> LoadAsync(long centreId)
    {
        if (!await access.CanManageAsync(centreId)) return null;
        await using var connection = await dataSource.OpenConnectionAsync();
        var centre = await CentreDetailsQuery.LoadAsync(connection, centreId);
        if (centre is null) return null;
        return new OpeningHoursPage(centre, OpeningHoursForm.From(await CentreOverviewQuery.LoadOpeningHoursAsync(connection, centreId)));
    }

    public async Task<CommandResult?> HandleAsync(long centreId, OpeningHoursForm form)
    {
        if (!await access.CanManageAsync(centreId)) return null;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Locking the centre row makes two people saving at once take turns instead of colliding.
        var locked = await connection.QuerySingleOrDefaultAsync<long?>(
            "select id from centres where id = @centreId for update", new { centreId }, transaction);
        if (locked is null) return null;
        try
        {
            await connection.ExecuteAsync("delete from opening_hours where centre_id = @centreId", new { centreId }, transaction);
            for (var i = 0; i < form.Days.Count; i++)
            {
                foreach (var (opens, closes) in form.Days[i].Periods())
                {
                    await connection.ExecuteAsync(
                        "insert into opening_hours (centre_id, weekday, opens_at, closes_at) values (@centreId, @weekday, @opens, @closes)",
                        new { centreId, weekday = (short)(i + 1), opens, closes }, transaction);
                }
            }
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (e.IsExclusionViolation() || e.IsUniqueViolation() || e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            // The validator should have caught this; the transaction rolls back, so the old week stays.
            return CommandResult.Fail("", "De openingstijden overlappen of kloppen niet. Er is niets gewijzigd.");
        }
    }
}
