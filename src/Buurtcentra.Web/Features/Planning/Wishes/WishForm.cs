using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Buurtcentra.Web.Features.Planning.Rounds;
using Dapper;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Wishes;

/// <summary>
/// A group's wish for the season: what, for whom, how often, how long, and up to three ranked options (a room of the
/// centre or any fitting room, a weekday and a window in which the start may shift). Filled in by the group itself or
/// by the beheerder on its behalf.
/// </summary>
public sealed class WishForm
{
    public const int ActivityMin = 2, ActivityMax = 120, GroupNameMin = 2, GroupNameMax = 200, ContactNameMax = 120, RemarksMax = 2000,
        ParticipantsMin = 1, ParticipantsMax = 2000, DurationStep = 15, DurationMin = 15, DurationMax = 720, MaxOptions = 3;
    /// <summary>Plausible start times for a weekly activity in a buurtcentrum.</summary>
    public static readonly TimeOnly EarliestPossible = new(7, 0), LatestPossible = new(23, 0);

    [BindNever] public long RoundId { get; set; }
    [BindNever] public long? WishId { get; set; }
    /// <summary>The beheerder fills in the form: the group is chosen on the form.</summary>
    [BindNever] public bool ByStaff { get; set; }

    [Display(Name = "buurtcentrum")] public long? CentreId { get; set; }

    // The group, only on the beheerder's form: an organisation, or a name and contact for a group without organisation.
    [Display(Name = "organisatie")] public long? OrganisationId { get; set; }
    public string? GroupName { get; set; }
    public string? ContactName { get; set; }
    public string? ContactEmail { get; set; }
    /// <summary>Only on the beheerder's form, for a continuity wish: what the group answered (open, bevestigd, gewijzigd).</summary>
    public string? ContinuityAnswer { get; set; }

    public string? Activity { get; set; }
    public string? Category { get; set; }
    public List<string> TargetGroups { get; set; } = [];
    [Display(Name = "aantal deelnemers")] public int? Participants { get; set; }
    public List<string> Facilities { get; set; } = [];
    public List<string> Accessibility { get; set; } = [];
    public string? Frequency { get; set; }
    [Display(Name = "duur")] public int? DurationMinutes { get; set; }
    public bool IsPublic { get; set; }
    public string? Remarks { get; set; }
    public List<WishOptionForm> Options { get; set; } = [];

    /// <summary>Trims text, drops empty or repeated codes, fills a missing latest start with the earliest and pads the options to three rows.</summary>
    public void Normalise()
    {
        GroupName = Clean(GroupName);
        ContactName = Clean(ContactName);
        ContactEmail = Clean(ContactEmail);
        ContinuityAnswer = Clean(ContinuityAnswer);
        Activity = Clean(Activity);
        Category = Clean(Category);
        Frequency = Clean(Frequency);
        Remarks = Clean(Remarks)?.ReplaceLineEndings("\n");
        TargetGroups = Codes(TargetGroups);
        Facilities = Codes(Facilities);
        Accessibility = Codes(Accessibility);
        Options ??= [];
        for (var i = 0; i < Options.Count; i++)
        {
            var option = Options[i] ??= new WishOptionForm();
            if (option.Rank == 0) option.Rank = i + 1;
            if (option.LatestStart is null && option.EarliestStart is not null) option.LatestStart = option.EarliestStart;
        }
        PadOptions();
    }

    public void PadOptions()
    {
        while (Options.Count < MaxOptions) Options.Add(new WishOptionForm { Rank = Options.Count + 1 });
    }

    /// <summary>The filled-in options in order of their rank, numbered 1, 2, 3 without gaps. Call after validation.</summary>
    public IReadOnlyList<WishOptionForm> RankedOptions() =>
        Options.Where(o => !o.IsEmpty).OrderBy(o => o.Rank).Select((o, i) => new WishOptionForm
        {
            Rank = i + 1, RoomId = o.RoomId, Weekday = o.Weekday, EarliestStart = o.EarliestStart, LatestStart = o.LatestStart ?? o.EarliestStart,
        }).ToList();

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> Codes(List<string>? codes) =>
        (codes ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
}

public sealed class WishOptionForm
{
    /// <summary>1, 2 or 3: the order of preference. Posted as a hidden field per row.</summary>
    public int Rank { get; set; }
    /// <summary>Null: any fitting room of the centre.</summary>
    [Display(Name = "ruimte")] public long? RoomId { get; set; }
    [Display(Name = "dag")] public int? Weekday { get; set; }
    [Display(Name = "vroegste begintijd")] public TimeOnly? EarliestStart { get; set; }
    [Display(Name = "laatste begintijd")] public TimeOnly? LatestStart { get; set; }

    public bool IsEmpty => RoomId is null && Weekday is null && EarliestStart is null && LatestStart is null;
}

public sealed class WishValidator : AbstractValidator<WishForm>
{
    private static readonly string[] Answers = ["open", "bevestigd", "gewijzigd"];

    public WishValidator(NpgsqlDataSource dataSource)
    {
        RuleFor(f => f.CentreId).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Kies het buurtcentrum.")
            .MustAsync(async (f, centreId, ct) => await InRoundAsync(dataSource, f.RoundId, centreId!.Value))
            .WithMessage("Kies een buurtcentrum uit de lijst.");

        When(f => f.ByStaff, () =>
        {
            RuleFor(f => f.OrganisationId)
                .MustAsync(async (id, ct) => await IsUserGroupAsync(dataSource, id!.Value))
                .When(f => f.OrganisationId is not null)
                .WithMessage("Kies een organisatie uit de lijst.");
            RuleFor(f => f.GroupName).Cascade(CascadeMode.Stop)
                .NotEmpty().When(f => f.OrganisationId is null)
                .WithMessage("Kies een organisatie, of vul de naam van de groep in.")
                .Length(WishForm.GroupNameMin, WishForm.GroupNameMax)
                .WithMessage($"De naam van de groep moet {WishForm.GroupNameMin} tot {WishForm.GroupNameMax} tekens lang zijn.");
            RuleFor(f => f.ContactEmail).Cascade(CascadeMode.Stop)
                .NotEmpty().When(f => f.OrganisationId is null)
                .WithMessage("Vul het e-mailadres van de contactpersoon in. Een groep zonder organisatie hebben we zo te bereiken.")
                .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
                .MaximumLength(254).WithMessage("Het e-mailadres is te lang.");
            RuleFor(f => f.ContinuityAnswer)
                .Must(a => a is null || Answers.Contains(a)).WithMessage("Kies een antwoord uit de lijst.");
        });
        RuleFor(f => f.ContactName).MaximumLength(WishForm.ContactNameMax)
            .WithMessage($"De naam van de contactpersoon mag hoogstens {WishForm.ContactNameMax} tekens lang zijn.");

        RuleFor(f => f.Activity).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul de naam van de activiteit in.")
            .Length(WishForm.ActivityMin, WishForm.ActivityMax)
            .WithMessage($"De naam van de activiteit moet {WishForm.ActivityMin} tot {WishForm.ActivityMax} tekens lang zijn.");
        RuleFor(f => f.Category).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Kies het soort activiteit.")
            .Must(RoundText.IsCategory).WithMessage("Kies een soort activiteit uit de lijst.");
        RuleFor(f => f.Participants).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul in hoeveel mensen er ongeveer komen.")
            .InclusiveBetween(WishForm.ParticipantsMin, WishForm.ParticipantsMax)
            .WithMessage($"Het aantal deelnemers moet tussen {WishForm.ParticipantsMin} en {WishForm.ParticipantsMax} liggen.");
        RuleFor(f => f.Frequency).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Kies hoe vaak de activiteit is.")
            .Must(code => RoundText.Frequencies.Any(x => x.Code == code)).WithMessage("Kies hoe vaak de activiteit is uit de lijst.");
        RuleFor(f => f.DurationMinutes).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Kies hoe lang de activiteit duurt.")
            .InclusiveBetween(WishForm.DurationMin, WishForm.DurationMax)
            .WithMessage($"Een activiteit duurt {WishForm.DurationMin} minuten tot {WishForm.DurationMax / 60} uur.")
            .Must(m => m % WishForm.DurationStep == 0)
            .WithMessage("De duur gaat in stappen van een kwartier: bijvoorbeeld 60, 75 of 90 minuten.");
        RuleFor(f => f.Remarks).MaximumLength(WishForm.RemarksMax)
            .WithMessage(f => $"De opmerkingen mogen hoogstens {WishForm.RemarksMax} tekens lang zijn. Nu zijn het er {f.Remarks?.Length}.");

        RuleFor(f => f.TargetGroups)
            .MustAsync(async (codes, ct) => codes.Count == 0 || await CountKnownAsync(dataSource, "target_groups", codes) == codes.Count)
            .WithMessage("Kies alleen doelgroepen uit de lijst.");
        RuleFor(f => f.Facilities)
            .MustAsync(async (codes, ct) => codes.Count == 0 || await CountKnownAsync(dataSource, "facilities", codes) == codes.Count)
            .WithMessage("Kies alleen voorzieningen uit de lijst.");
        RuleFor(f => f.Accessibility)
            .MustAsync(async (codes, ct) => codes.Count == 0 || await CountKnownAsync(dataSource, "accessibility_features", codes) == codes.Count)
            .WithMessage("Kies alleen toegankelijkheidskenmerken uit de lijst.");

        RuleFor(f => f).CustomAsync(async (form, context, ct) =>
        {
            foreach (var failure in await OptionErrorsAsync(dataSource, form)) context.AddFailure(failure);
        });
    }

    private sealed record RoomRow(long Id, long CentreId, string Name, int Capacity, string CentreName);

    /// <summary>The rules for the ranked options; each message names the option ("keuze 2") and points at its field.</summary>
    private static async Task<IReadOnlyList<ValidationFailure>> OptionErrorsAsync(NpgsqlDataSource dataSource, WishForm form)
    {
        var errors = new List<ValidationFailure>();
        void Add(int index, string field, string message) => errors.Add(new ValidationFailure($"Options[{index}].{field}", message));

        var options = form.Options.Select((o, i) => (Option: o, Index: i)).Where(x => !x.Option.IsEmpty).ToList();
        if (options.Count == 0)
        {
            Add(0, nameof(WishOptionForm.Weekday), "Vul minstens één keuze in: een dag en een begintijd.");
            return errors;
        }
        if (options.Count > WishForm.MaxOptions)
        {
            Add(options[WishForm.MaxOptions].Index, nameof(WishOptionForm.Weekday), "U kunt hoogstens drie keuzes opgeven.");
            return errors;
        }

        var seenRanks = new HashSet<int>();
        foreach (var (option, index) in options)
        {
            if (option.Rank is < 1 or > WishForm.MaxOptions)
            {
                Add(index, nameof(WishOptionForm.Weekday), "Een keuze is de eerste, tweede of derde keuze. Vul het formulier opnieuw in.");
            }
            else if (!seenRanks.Add(option.Rank))
            {
                Add(index, nameof(WishOptionForm.Weekday), $"Keuze {option.Rank} staat er twee keer in. Elke keuze heeft een eigen nummer: 1, 2 of 3.");
            }
        }

        var roomIds = options.Where(x => x.Option.RoomId is not null).Select(x => x.Option.RoomId!.Value).Distinct().ToArray();
        var rooms = new Dictionary<long, RoomRow>();
        string? centreName = null;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            if (roomIds.Length > 0)
            {
                rooms = (await connection.QueryAsync<RoomRow>("""
                    select r.id, r.centre_id, r.name, r.capacity, c.name as centre_name
                    from rooms r join centres c on c.id = r.centre_id where r.id = any(@roomIds) and r.active
                    """, new { roomIds })).ToDictionary(r => r.Id);
            }
            if (form.CentreId is { } centreId)
            {
                centreName = await connection.ExecuteScalarAsync<string?>("select name from centres where id = @centreId", new { centreId });
            }
        }

        var earlier = new List<(WishOptionForm Option, int Rank)>();
        foreach (var (option, index) in options)
        {
            var label = $"keuze {(option.Rank is >= 1 and <= WishForm.MaxOptions ? option.Rank : index + 1)}";
            var before = errors.Count;
            if (option.Weekday is null) Add(index, nameof(option.Weekday), $"Kies de dag bij {label}.");
            else if (option.Weekday is < 1 or > 7) Add(index, nameof(option.Weekday), $"Kies bij {label} een dag uit de lijst.");

            if (option.EarliestStart is not { } earliest)
            {
                Add(index, nameof(option.EarliestStart), $"Vul bij {label} de vroegste begintijd in.");
            }
            else
            {
                var latest = option.LatestStart ?? earliest;
                if (earliest.Minute % 15 != 0 || latest.Minute % 15 != 0)
                {
                    Add(index, earliest.Minute % 15 != 0 ? nameof(option.EarliestStart) : nameof(option.LatestStart),
                        $"Kies bij {label} tijden op een heel kwartier, bijvoorbeeld 19:00 of 19:15.");
                }
                else if (earliest < WishForm.EarliestPossible || latest > WishForm.LatestPossible)
                {
                    Add(index, earliest < WishForm.EarliestPossible ? nameof(option.EarliestStart) : nameof(option.LatestStart),
                        $"Bij {label} moet de begintijd tussen {RoundText.Time(WishForm.EarliestPossible)} en {RoundText.Time(WishForm.LatestPossible)} liggen.");
                }
                else if (latest < earliest)
                {
                    Add(index, nameof(option.LatestStart), $"Bij {label} mag de laatste begintijd niet vóór de vroegste begintijd liggen.");
                }
                else if (form.DurationMinutes is { } duration and >= WishForm.DurationMin and <= WishForm.DurationMax
                         && latest.Hour * 60 + latest.Minute + duration > 24 * 60)
                {
                    Add(index, nameof(option.LatestStart), $"Bij {label} duurt de activiteit tot na middernacht. Kies een eerdere begintijd of een kortere duur.");
                }
            }

            if (option.RoomId is { } roomId)
            {
                if (!rooms.TryGetValue(roomId, out var room) || (form.CentreId is { } centreId && room.CentreId != centreId))
                {
                    Add(index, nameof(option.RoomId), centreName is null
                        ? $"Kies bij {label} een ruimte uit de lijst, of ‘Elke passende ruimte’."
                        : $"Bij {label} hoort de ruimte niet bij {centreName}. Kies een ruimte van {centreName}, of ‘Elke passende ruimte’.");
                }
                else if (form.Participants is { } participants and >= WishForm.ParticipantsMin && participants > room.Capacity)
                {
                    Add(index, nameof(option.RoomId),
                        $"Bij {label} is {room.Name} te klein: er passen {room.Capacity} mensen en u verwacht er {participants}. Kies een grotere ruimte, of ‘Elke passende ruimte’.");
                }
            }

            if (errors.Count == before)
            {
                var same = earlier.FirstOrDefault(e => e.Option.RoomId == option.RoomId && e.Option.Weekday == option.Weekday
                    && e.Option.EarliestStart == option.EarliestStart && (e.Option.LatestStart ?? e.Option.EarliestStart) == (option.LatestStart ?? option.EarliestStart));
                if (same.Option is not null)
                {
                    Add(index, nameof(option.Weekday), $"{RoundText.Capitalise(label)} is hetzelfde als keuze {same.Rank}. Kies iets anders, of laat {label} leeg.");
                }
                earlier.Add((option, option.Rank));
            }
        }
        return errors;
    }

    private static async Task<bool> InRoundAsync(NpgsqlDataSource dataSource, long roundId, long centreId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from planning_round_centres where round_id = @roundId and centre_id = @centreId)", new { roundId, centreId });
    }

    private static async Task<bool> IsUserGroupAsync(NpgsqlDataSource dataSource, long organisationId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from organisations where id = @organisationId and kind = 'gebruikersgroep' and active)", new { organisationId });
    }

    /// <summary>How many of the (distinct) codes exist in a lookup table; the table name is one of three constants.</summary>
    private static async Task<int> CountKnownAsync(NpgsqlDataSource dataSource, string table, IReadOnlyCollection<string> codes)
    {
        var sql = table switch
        {
            "target_groups" => "select count(*)::int from target_groups where code = any(@codes)",
            "facilities" => "select count(*)::int from facilities where code = any(@codes)",
            "accessibility_features" => "select count(*)::int from accessibility_features where code = any(@codes)",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(sql, new { codes = codes.ToArray() });
    }
}

/// <summary>What the wish form shows besides its fields.</summary>
public sealed record WishFormPage(
    string Title,
    string Action,
    string CancelUrl,
    RoundHeader Round,
    bool IsStaff,
    bool IsEdit,
    bool IsContinuity,
    string? GroupName,
    IReadOnlyList<SelectListItem> Centres,
    IReadOnlyList<SelectListItem> Rooms,
    IReadOnlyList<SelectListItem> TargetGroups,
    IReadOnlyList<SelectListItem> Facilities,
    IReadOnlyList<SelectListItem> Accessibility,
    IReadOnlyList<SelectListItem> Organisations)
{
    public static readonly IReadOnlyList<SelectListItem> Durations = Enumerable
        .Range(1, WishForm.DurationMax / WishForm.DurationStep)
        .Select(i => i * WishForm.DurationStep)
        .Select(m => new SelectListItem(RoundText.Duration(m), m.ToString(CultureInfo.InvariantCulture)))
        .ToList();

    public static readonly IReadOnlyList<SelectListItem> Weekdays = Enumerable.Range(1, 7)
        .Select(d => new SelectListItem(RoundText.WeekdayCapitalised(d), d.ToString(CultureInfo.InvariantCulture))).ToList();

    public static readonly IReadOnlyList<SelectListItem> Categories = RoundText.Categories.Select(c => new SelectListItem(c.Name, c.Code)).ToList();

    public static readonly IReadOnlyList<SelectListItem> Frequencies = RoundText.Frequencies.Select(c => new SelectListItem(c.Name, c.Code)).ToList();

    public static readonly IReadOnlyList<SelectListItem> Answers =
        [new("Nog geen antwoord", "open"), new("Bevestigd: alles blijft zoals het was", "bevestigd"), new("Gewijzigd", "gewijzigd")];
}

/// <summary>The lists on the wish form: the centres (and their active rooms), target groups, facilities, accessibility, user groups.</summary>
public sealed class WishChoicesQuery(NpgsqlDataSource dataSource)
{
    public async Task<WishFormPage> PageAsync(string title, string action, string cancelUrl, RoundHeader round, IReadOnlyList<RoundCentre> centres,
        bool isStaff, bool isEdit, bool isContinuity, string? groupName)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        using var grid = await connection.QueryMultipleAsync("""
            select r.id, r.name, r.capacity, c.name as centre_name from rooms r join centres c on c.id = r.centre_id
            where r.centre_id = any(@centreIds) and r.active order by c.name, r.name;
            select code, name from target_groups order by sort_order;
            select code, name from facilities order by sort_order;
            select code, name from accessibility_features order by sort_order;
            select id::text as code, name from organisations where kind = 'gebruikersgroep' and active and @isStaff order by name;
            """, new { centreIds = centres.Select(c => c.Id).ToArray(), isStaff });
        var several = centres.Count > 1;
        var rooms = (await grid.ReadAsync<(long Id, string Name, int Capacity, string CentreName)>())
            .Select(r => new SelectListItem(several ? $"{r.CentreName}: {r.Name} ({r.Capacity} personen)" : $"{r.Name} ({r.Capacity} personen)",
                r.Id.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        static List<SelectListItem> Items(IEnumerable<(string Code, string Name)> rows) => rows.Select(x => new SelectListItem(x.Name, x.Code)).ToList();
        var targetGroups = Items(await grid.ReadAsync<(string Code, string Name)>());
        var facilities = Items(await grid.ReadAsync<(string Code, string Name)>());
        var accessibility = Items(await grid.ReadAsync<(string Code, string Name)>());
        var organisations = Items(await grid.ReadAsync<(string Code, string Name)>());
        var centreItems = centres.Select(c => new SelectListItem(c.Name, c.Id.ToString(CultureInfo.InvariantCulture))).ToList();
        return new WishFormPage(title, action, cancelUrl, round, isStaff, isEdit, isContinuity, groupName, centreItems, rooms, targetGroups,
            facilities, accessibility, organisations);
    }
}
