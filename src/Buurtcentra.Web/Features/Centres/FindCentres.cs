using System.Globalization;
using Buurtcentra.Web.Infrastructure.Time;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Centres;

/// <summary>
/// The centre finder's filters, exactly as typed in the GET form or the API query string. Everything is text so
/// that "abc" or "-3" gets a Dutch message from the validator instead of a binding error.
/// </summary>
public sealed class FindCentresForm
{
    /// <summary>Wijk number (1-10) or name.</summary>
    public string? Wijk { get; set; }
    /// <summary>Minimum number of people: a centre matches when one of its active rooms holds at least this many.</summary>
    public string? Capacity { get; set; }
    /// <summary>Facility code, e.g. "beamer".</summary>
    public string? Facility { get; set; }
    /// <summary>Accessibility feature code, e.g. "rolstoeltoegankelijk".</summary>
    public string? Accessibility { get; set; }
    /// <summary>Part of the centre's name.</summary>
    public string? Q { get; set; }

    public const int MaxCapacity = 2000;
    public const int MaxSearchLength = 100;

    public bool IsEmpty =>
        string.IsNullOrWhiteSpace(Wijk) && string.IsNullOrWhiteSpace(Capacity) && string.IsNullOrWhiteSpace(Facility)
        && string.IsNullOrWhiteSpace(Accessibility) && string.IsNullOrWhiteSpace(Q);

    internal static bool IsWholeNumber(string? value) =>
        value is null || System.Text.RegularExpressions.Regex.IsMatch(value.Trim(), @"^-?[0-9]+$");

    internal static int? ParseCapacity(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }
}

public sealed class FindCentresValidator : AbstractValidator<FindCentresForm>
{
    public FindCentresValidator(CentreLookupsQuery lookups)
    {
        RuleFor(f => f.Wijk)
            .MustAsync(async (value, _) => (await lookups.GetAsync()).FindWijk(value) is not null)
            .When(f => !string.IsNullOrWhiteSpace(f.Wijk))
            .WithMessage("Deze wijk kennen we niet. Kies een wijk uit de lijst.");

        RuleFor(f => f.Capacity)
            .Cascade(CascadeMode.Stop)
            .Must(FindCentresForm.IsWholeNumber)
            .WithMessage("Vul bij aantal personen een heel getal in, bijvoorbeeld 20.")
            .Must(value => FindCentresForm.ParseCapacity(value) is >= 1 and <= FindCentresForm.MaxCapacity)
            .WithMessage($"Vul bij aantal personen een getal van 1 tot en met {FindCentresForm.MaxCapacity} in.")
            .When(f => !string.IsNullOrWhiteSpace(f.Capacity));

        RuleFor(f => f.Facility)
            .MustAsync(async (value, _) => (await lookups.GetAsync()).FindFacility(value) is not null)
            .When(f => !string.IsNullOrWhiteSpace(f.Facility))
            .WithMessage("Deze faciliteit kennen we niet. Kies een faciliteit uit de lijst.");

        RuleFor(f => f.Accessibility)
            .MustAsync(async (value, _) => (await lookups.GetAsync()).FindAccessibility(value) is not null)
            .When(f => !string.IsNullOrWhiteSpace(f.Accessibility))
            .WithMessage("Deze vorm van toegankelijkheid kennen we niet. Kies er een uit de lijst.");

        RuleFor(f => f.Q)
            .Must(q => q!.Trim().Length <= FindCentresForm.MaxSearchLength)
            .When(f => f.Q is not null)
            .WithMessage($"Zoek met hoogstens {FindCentresForm.MaxSearchLength} tekens.");
    }
}

/// <summary>The outcome of a search: the matching centres (by name) and the filter that was used.</summary>
public sealed record FindCentresResult(IReadOnlyList<Centre> Centres, RoomFilter RoomFilter, DateOnly Today);

/// <summary>
/// Finds active centres. Three round trips whatever the number of results: the lookups, the centres, and one
/// batch with the rooms, opening hours and today's closures of those centres. Call only with a validated form.
/// </summary>
public sealed class FindCentresQuery(NpgsqlDataSource dataSource, TimeProvider time, CentreLookupsQuery lookupsQuery)
{
    public async Task<FindCentresResult> RunAsync(FindCentresForm form)
    {
        var lookups = await lookupsQuery.GetAsync();
        var filter = new RoomFilter(
            FindCentresForm.ParseCapacity(form.Capacity),
            lookups.FindFacility(form.Facility)?.Code,
            lookups.FindAccessibility(form.Accessibility)?.Code);
        var q = string.IsNullOrWhiteSpace(form.Q) ? null : form.Q.Trim();
        var today = AmsterdamTime.Today(time);

        await using var connection = await dataSource.OpenConnectionAsync();
        var centres = await CentreLoader.LoadAsync(connection, $"""
            {CentreLoader.CentresFrom}
            where c.active
              and (@wijkId::int is null or c.wijk_id = @wijkId)
              and (@q::text is null or strpos(lower(c.name), lower(@q)) > 0)
              and (not @roomFilter or exists (
                    select 1 from rooms r
                    where r.centre_id = c.id and r.active
                      and (@capacity::int is null or r.capacity >= @capacity)
                      and (@facility::text is null or exists (
                            select 1 from room_facilities rf where rf.room_id = r.id and rf.facility_code = @facility))
                      and (@accessibility::text is null or exists (
                            select 1 from room_accessibility ra where ra.room_id = r.id and ra.feature_code = @accessibility))))
            order by lower(c.name)
            """,
            new
            {
                wijkId = lookups.FindWijk(form.Wijk)?.Id,
                q,
                roomFilter = filter.IsActive,
                capacity = filter.Capacity,
                facility = filter.Facility,
                accessibility = filter.Accessibility,
            },
            filter, today, today);
        return new FindCentresResult(centres, filter, today);
    }
}
