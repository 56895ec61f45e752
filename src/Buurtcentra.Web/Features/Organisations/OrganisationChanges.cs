using System.Security.Claims;
using System.Text.Json;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Organisations;

/// <summary>One field of an organisation before and after a change, as the history shows it.</summary>
public sealed record FieldChange(string Field, string? From, string? To);

/// <summary>One line of an organisation's history: who, when, and what changed.</summary>
public sealed record OrganisationChange(DateTime ChangedAt, string ChangedByName, bool Created, string Changes)
{
    public IReadOnlyList<FieldChange> Fields => JsonSerializer.Deserialize<List<FieldChange>>(Changes, Json) ?? [];
    public DateTime LocalTime => AmsterdamTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(ChangedAt, DateTimeKind.Utc)));

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// The audit trail of organisations, and who may edit a gebruikersgroep: functioneel beheer always; sociaal beheerders
/// and SMO-coördinatoren a group that uses one of their centres (a reservation or a planning wish there) or none yet
/// (just registered). Others see it read-only, with its history.
/// </summary>
public static class OrganisationChanges
{
    public static async Task<bool> MayEditAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, ClaimsPrincipal user,
        CentreAccess access)
    {
        if (user.IsInRole(Roles.FunctioneelBeheerder)) return true;
        var mine = (await access.ManageableCentreIdsAsync()).ToArray();
        return await connection.ExecuteScalarAsync<bool>("""
            select exists (select 1 from reservations where organisation_id = @id and centre_id = any(@mine))
                or exists (select 1 from planning_wishes where organisation_id = @id and centre_id = any(@mine))
                or not (exists (select 1 from reservations where organisation_id = @id)
                        or exists (select 1 from planning_wishes where organisation_id = @id))
            """, new { id, mine }, transaction);
    }

    /// <summary>The fields that differ between the stored organisation and the form as it will be stored.</summary>
    public static IReadOnlyList<FieldChange> Diff(OrganisationForm before, OrganisationForm after)
    {
        var changes = new List<FieldChange>();
        void Compare(string field, string? from, string? to)
        {
            if (!string.Equals(from, to, StringComparison.Ordinal)) changes.Add(new FieldChange(field, from, to));
        }
        Compare("Naam", before.Name, after.Name);
        Compare("Soort", OrganisationKinds.KindName(before.Kind ?? ""), OrganisationKinds.KindName(after.Kind ?? ""));
        Compare("Categorie", Category(before.Category), Category(after.Category));
        Compare("E-mailadres", before.ContactEmail, after.ContactEmail);
        Compare("Telefoon", before.Phone, after.Phone);
        Compare("Website", before.Website, after.Website);
        Compare("Omschrijving", before.Description, after.Description);
        Compare("Actief", before.Active ? "ja" : "nee", after.Active ? "ja" : "nee");
        return changes;
    }

    private static string? Category(string? code) => code is null ? null : OrganisationKinds.CategoryName(code);

    public static Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, ClaimsPrincipal user,
        DateTimeOffset now, IReadOnlyList<FieldChange> changes, bool created = false) =>
        connection.ExecuteAsync("""
            insert into organisation_changes (organisation_id, changed_at, changed_by_user_id, changed_by_name, changes, created)
            values (@id, @now, @userId, @name, @changes::jsonb, @created)
            """, new
        {
            id, now, userId = user.UserId(), name = Truncate(user.Identity?.Name ?? "onbekend"),
            changes = JsonSerializer.Serialize(changes, OrganisationChange.Json), created,
        }, transaction);

    private static string Truncate(string name) => name.Length <= 200 ? name : name[..200];

    public static async Task<IReadOnlyList<OrganisationChange>> HistoryAsync(NpgsqlConnection connection, long id) =>
        (await connection.QueryAsync<OrganisationChange>("""
            select changed_at, changed_by_name, created, changes::text as changes
            from organisation_changes where organisation_id = @id order by changed_at desc, id desc limit 50
            """, new { id })).ToList();
}
