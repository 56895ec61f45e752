using System.ComponentModel.DataAnnotations;
using Buurtcentra.Web.Infrastructure.Database;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.Rooms;

/// <summary>The fields of a room, used by both "add" and "edit". Facilities and accessibility are posted as codes.</summary>
public sealed class RoomForm
{
    public const int NameMin = 2, NameMax = 100, CapacityMin = 1, CapacityMax = 2000, AreaMin = 1, AreaMax = 5000,
        FloorMax = 40, DescriptionMax = 2000;

    /// <summary>Set by the controller from the route or the database, never from the posted form.</summary>
    [BindNever] public long CentreId { get; set; }
    /// <summary>Null when adding a room.</summary>
    [BindNever] public long? RoomId { get; set; }

    public string? Name { get; set; }
    public string? RoomType { get; set; }
    [Display(Name = "aantal personen")] public int? Capacity { get; set; }
    [Display(Name = "oppervlakte")] public int? AreaM2 { get; set; }
    public string? Floor { get; set; }
    public string? Description { get; set; }
    public List<string> Facilities { get; set; } = [];
    public List<string> Accessibility { get; set; } = [];
    /// <summary>Only on the edit form; a new room is always in use.</summary>
    public bool Active { get; set; }

    // Booking rules (rooms.min_minutes ... cleanup_minutes). Left empty, a field gets the standard value.
    public const int DurationMin = 15, DurationMax = 1440, BufferMin = 0, BufferMax = 240;
    public const int StandardMinMinutes = 30, StandardMaxMinutes = 480, StandardSetupMinutes = 0, StandardCleanupMinutes = 15;
    [Display(Name = "minimale duur")] public int? MinMinutes { get; set; }
    [Display(Name = "maximale duur")] public int? MaxMinutes { get; set; }
    [Display(Name = "opbouwtijd")] public int? SetupMinutes { get; set; }
    [Display(Name = "opruimtijd")] public int? CleanupMinutes { get; set; }

    /// <summary>Trims text, turns empty optional text into null and drops empty or repeated codes.</summary>
    public void Normalise()
    {
        Name = Name?.Trim();
        RoomType = RoomType?.Trim();
        Floor = string.IsNullOrWhiteSpace(Floor) ? null : Floor.Trim();
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        Facilities = Clean(Facilities);
        Accessibility = Clean(Accessibility);
        MinMinutes ??= StandardMinMinutes;
        MaxMinutes ??= StandardMaxMinutes;
        SetupMinutes ??= StandardSetupMinutes;
        CleanupMinutes ??= StandardCleanupMinutes;
    }

    private static List<string> Clean(List<string>? codes) =>
        (codes ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
}

public sealed class RoomValidator : AbstractValidator<RoomForm>
{
    public RoomValidator(NpgsqlDataSource dataSource)
    {
        RuleFor(f => f.Name).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul de naam van de ruimte in.")
            .Length(RoomForm.NameMin, RoomForm.NameMax).WithMessage($"De naam moet {RoomForm.NameMin} tot {RoomForm.NameMax} tekens lang zijn.")
            .MustAsync(async (form, name, ct) => !await NameTakenAsync(dataSource, form.CentreId, form.RoomId, name!))
            .WithMessage(f => RoomMessages.NameTaken(f.Name));

        RuleFor(f => f.RoomType).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Kies het soort ruimte.")
            .MustAsync(async (code, ct) => await CountKnownAsync(dataSource, "room_types", [code!]) == 1)
            .WithMessage("Kies een soort ruimte uit de lijst.");

        RuleFor(f => f.Capacity).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul het aantal personen in.")
            .InclusiveBetween(RoomForm.CapacityMin, RoomForm.CapacityMax)
            .WithMessage($"Het aantal personen moet tussen {RoomForm.CapacityMin} en {RoomForm.CapacityMax} liggen.");

        RuleFor(f => f.AreaM2)
            .InclusiveBetween(RoomForm.AreaMin, RoomForm.AreaMax)
            .When(f => f.AreaM2 is not null)
            .WithMessage($"De oppervlakte moet tussen {RoomForm.AreaMin} en {RoomForm.AreaMax} m² liggen.");

        RuleFor(f => f.Floor).MaximumLength(RoomForm.FloorMax)
            .WithMessage($"De verdieping mag niet langer zijn dan {RoomForm.FloorMax} tekens.");

        RuleFor(f => f.Description).MaximumLength(RoomForm.DescriptionMax)
            .WithMessage(f => $"De beschrijving mag niet langer zijn dan {RoomForm.DescriptionMax} tekens. Nu zijn het er {f.Description?.Length}.");

        RuleFor(f => f.MinMinutes).Cascade(CascadeMode.Stop)
            .InclusiveBetween(RoomForm.DurationMin, RoomForm.DurationMax)
            .WithMessage($"De minimale duur moet tussen {RoomForm.DurationMin} en {RoomForm.DurationMax} minuten (24 uur) liggen.")
            .Must((f, min) => f.MaxMinutes is not { } max || max < RoomForm.DurationMin || max > RoomForm.DurationMax || min <= max)
            .WithMessage("De minimale duur mag niet langer zijn dan de maximale duur.");

        RuleFor(f => f.MaxMinutes)
            .InclusiveBetween(RoomForm.DurationMin, RoomForm.DurationMax)
            .WithMessage($"De maximale duur moet tussen {RoomForm.DurationMin} en {RoomForm.DurationMax} minuten (24 uur) liggen.");

        RuleFor(f => f.SetupMinutes)
            .InclusiveBetween(RoomForm.BufferMin, RoomForm.BufferMax)
            .WithMessage($"De opbouwtijd moet tussen {RoomForm.BufferMin} en {RoomForm.BufferMax} minuten liggen.");

        RuleFor(f => f.CleanupMinutes)
            .InclusiveBetween(RoomForm.BufferMin, RoomForm.BufferMax)
            .WithMessage($"De opruimtijd moet tussen {RoomForm.BufferMin} en {RoomForm.BufferMax} minuten liggen.");

        RuleFor(f => f.Facilities)
            .MustAsync(async (codes, ct) => codes.Count == 0 || await CountKnownAsync(dataSource, "facilities", codes) == codes.Count)
            .WithMessage("Kies alleen faciliteiten uit de lijst.");

        RuleFor(f => f.Accessibility)
            .MustAsync(async (codes, ct) => codes.Count == 0 || await CountKnownAsync(dataSource, "accessibility_features", codes) == codes.Count)
            .WithMessage("Kies alleen toegankelijkheidskenmerken uit de lijst.");
    }

    private static async Task<bool> NameTakenAsync(NpgsqlDataSource dataSource, long centreId, long? roomId, string name)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("""
            select exists (select 1 from rooms where centre_id = @centreId and lower(name) = lower(@name) and id <> coalesce(@roomId, 0))
            """, new { centreId, name, roomId });
    }

    /// <summary>How many of the (distinct) codes exist in a lookup table; the table name is one of three constants.</summary>
    private static async Task<int> CountKnownAsync(NpgsqlDataSource dataSource, string table, IReadOnlyCollection<string> codes)
    {
        var sql = table switch
        {
            "room_types" => "select count(*)::int from room_types where code = any(@codes)",
            "facilities" => "select count(*)::int from facilities where code = any(@codes)",
            "accessibility_features" => "select count(*)::int from accessibility_features where code = any(@codes)",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(sql, new { codes = codes.ToArray() });
    }
}

public static class RoomMessages
{
    public static string NameTaken(string? name) =>
        $"Dit buurtcentrum heeft al een ruimte met de naam ‘{name}’. Kies een andere naam.";
}

/// <summary>The centre a room belongs to, as shown in headings and links.</summary>
public sealed record RoomCentre(long Id, string Name);

/// <summary>What the form page shows besides the fields themselves.</summary>
public sealed record RoomFormPage(
    string Title,
    string Heading,
    string Action,
    RoomCentre Centre,
    bool IsEdit,
    IReadOnlyList<SelectListItem> RoomTypes,
    IReadOnlyList<SelectListItem> Facilities,
    IReadOnlyList<SelectListItem> Accessibility);

/// <summary>The lookup lists for the room form, in their sort order.</summary>
public sealed class RoomOptionsQuery(NpgsqlDataSource dataSource)
{
    public sealed record Options(IReadOnlyList<SelectListItem> RoomTypes, IReadOnlyList<SelectListItem> Facilities, IReadOnlyList<SelectListItem> Accessibility);

    public async Task<Options> LoadAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        using var grid = await connection.QueryMultipleAsync("""
            select code, name from room_types order by sort_order, name;
            select code, name from facilities order by sort_order, name;
            select code, name from accessibility_features order by sort_order, name;
            """);
        var types = (await grid.ReadAsync<(string Code, string Name)>()).Select(Item).ToList();
        var facilities = (await grid.ReadAsync<(string Code, string Name)>()).Select(Item).ToList();
        var accessibility = (await grid.ReadAsync<(string Code, string Name)>()).Select(Item).ToList();
        return new Options(types, facilities, accessibility);
    }

    private static SelectListItem Item((string Code, string Name) row) => new(row.Name, row.Code);
}

/// <summary>Writing a room's facilities and accessibility: always inside the caller's transaction, replacing what was there.</summary>
internal static class RoomLinks
{
    public static async Task ReplaceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long roomId, RoomForm form)
    {
        await connection.ExecuteAsync("delete from room_facilities where room_id = @roomId", new { roomId }, transaction);
        await connection.ExecuteAsync("delete from room_accessibility where room_id = @roomId", new { roomId }, transaction);
        await connection.ExecuteAsync(
            "insert into room_facilities (room_id, facility_code) select @roomId, code from unnest(@codes::text[]) as code",
            new { roomId, codes = form.Facilities.ToArray() }, transaction);
        await connection.ExecuteAsync(
            "insert into room_accessibility (room_id, feature_code) select @roomId, code from unnest(@codes::text[]) as code",
            new { roomId, codes = form.Accessibility.ToArray() }, transaction);
    }

    /// <summary>Database refusals that a person can fix on the form; anything else is a real error.</summary>
    public static FormError? ToFormError(PostgresException e, string? name)
    {
        if (e.IsUniqueViolation("rooms_centre_name_key")) return new("Name", RoomMessages.NameTaken(name));
        if (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            return e.ConstraintName switch
            {
                "rooms_duration_range" => new("MinMinutes", "De minimale duur mag niet langer zijn dan de maximale duur."),
                "rooms_min_minutes_check" => new("MinMinutes", $"De minimale duur moet tussen {RoomForm.DurationMin} en {RoomForm.DurationMax} minuten liggen."),
                "rooms_max_minutes_check" => new("MaxMinutes", $"De maximale duur moet tussen {RoomForm.DurationMin} en {RoomForm.DurationMax} minuten liggen."),
                "rooms_setup_minutes_check" => new("SetupMinutes", $"De opbouwtijd moet tussen {RoomForm.BufferMin} en {RoomForm.BufferMax} minuten liggen."),
                "rooms_cleanup_minutes_check" => new("CleanupMinutes", $"De opruimtijd moet tussen {RoomForm.BufferMin} en {RoomForm.BufferMax} minuten liggen."),
                _ => null,
            };
        }
        if (!e.IsForeignKeyViolation()) return null;
        return e.ConstraintName switch
        {
            "room_facilities_facility_code_fkey" => new("Facilities", "Kies alleen faciliteiten uit de lijst."),
            "room_accessibility_feature_code_fkey" => new("Accessibility", "Kies alleen toegankelijkheidskenmerken uit de lijst."),
            "rooms_room_type_fkey" => new("RoomType", "Kies een soort ruimte uit de lijst."),
            _ => null,
        };
    }

    public sealed record FormError(string Field, string Message);
}
