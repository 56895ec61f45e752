using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Npgsql;

namespace Buurtcentra.Web.Features.Tariffs;

/// <summary>
/// The contribution policy of one centre (vergoeding): per kind of booker om niet, sociaal or commercieel, and per
/// room the social and the commercial rate per hour, typed in euros ("12,50").
/// </summary>
public sealed class ContributionPolicyForm
{
    /// <summary>Booker category (Tariff.BookerCategories) → tariff code (Tariff.Codes). Posted as Form.Policy[category].</summary>
    public Dictionary<string, string?> Policy { get; set; } = new(StringComparer.Ordinal);

    public List<RoomRateForm> Rooms { get; set; } = [];
}

public sealed class RoomRateForm
{
    public long RoomId { get; set; }
    /// <summary>Set from the database, never from the posted form.</summary>
    [BindNever] public string RoomName { get; set; } = "";
    public string? Social { get; set; }
    public string? Commercial { get; set; }
}

public sealed class ContributionPolicyValidator : AbstractValidator<ContributionPolicyForm>
{
    public ContributionPolicyValidator()
    {
        RuleFor(f => f.Policy).Custom((policy, context) =>
        {
            foreach (var category in Tariff.BookerCategories)
            {
                if (!policy.TryGetValue(category, out var code) || code is null || !Tariff.Codes.Contains(code))
                {
                    context.AddFailure($"Policy[{category}]", $"Kies wat {Tariff.BookerCategoryName(category).ToLowerInvariant()} betaalt: om niet, sociaal tarief of commercieel tarief.");
                }
            }
        });
        RuleForEach(f => f.Rooms).SetValidator(new RoomRateValidator());
    }
}

public sealed class RoomRateValidator : AbstractValidator<RoomRateForm>
{
    public RoomRateValidator()
    {
        RuleFor(r => r.Social).Custom((value, context) => Check(value, "sociaal", context.InstanceToValidate.RoomName, context));
        RuleFor(r => r.Commercial).Custom((value, context) => Check(value, "commercieel", context.InstanceToValidate.RoomName, context));
    }

    private static void Check<T>(string? value, string kind, string room, ValidationContext<T> context)
    {
        var message = EuroAmount.Parse(value).Problem switch
        {
            EuroAmount.Problem.Empty => $"Vul het {kind} tarief van {room} in. Is de ruimte gratis? Vul dan 0 in.",
            EuroAmount.Problem.NotAnAmount => $"Vul bij het {kind} tarief van {room} een bedrag in euro in, bijvoorbeeld 12,50.",
            EuroAmount.Problem.Negative => $"Het {kind} tarief van {room} kan niet lager zijn dan 0 euro.",
            EuroAmount.Problem.TooManyDecimals => $"Gebruik bij het {kind} tarief van {room} hoogstens 2 cijfers achter de komma, bijvoorbeeld 12,50.",
            EuroAmount.Problem.TooHigh => $"Het {kind} tarief van {room} mag hoogstens 1000 euro per uur zijn.",
            _ => null,
        };
        if (message is not null) context.AddFailure(message);
    }
}

public sealed record PolicyCentre(long Id, string Name);

public sealed record PolicyRoom(long Id, string Name, bool Active, int SocialRateCents, int CommercialRateCents);

/// <param name="Saved">The categories the centre has set itself; the others follow Tariff.DefaultFor.</param>
public sealed record ContributionPolicyPage(PolicyCentre Centre, IReadOnlyList<PolicyRoom> Rooms,
    IReadOnlyDictionary<string, string> Saved, ContributionPolicyForm Form);

/// <summary>Shows and saves a centre's contribution policy; only for people who may manage the centre (else null: 404).</summary>
public sealed class ContributionPolicyHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    public async Task<ContributionPolicyPage?> LoadAsync(long centreId)
    {
        if (!await access.CanManageAsync(centreId)) return null;
        await using var connection = await dataSource.OpenConnectionAsync();
        var centre = await connection.QuerySingleOrDefaultAsync<PolicyCentre>("select id, name from centres where id = @centreId", new { centreId });
        if (centre is null) return null;
        var saved = (await connection.QueryAsync<(string Category, string Tariff)>(
            "select category, tariff from centre_tariffs where centre_id = @centreId", new { centreId }))
            .ToDictionary(r => r.Category, r => r.Tariff, StringComparer.Ordinal);
        var rooms = (await connection.QueryAsync<PolicyRoom>("""
            select id, name, active, social_rate_cents, commercial_rate_cents
            from rooms where centre_id = @centreId
            order by active desc, name
            """, new { centreId })).ToList();

        var form = new ContributionPolicyForm
        {
            Policy = Tariff.BookerCategories.ToDictionary(c => c, c => (string?)(saved.GetValueOrDefault(c) ?? Tariff.DefaultFor(c)), StringComparer.Ordinal),
            Rooms = rooms.Select(r => new RoomRateForm
            {
                RoomId = r.Id, RoomName = r.Name,
                Social = EuroAmount.Format(r.SocialRateCents), Commercial = EuroAmount.Format(r.CommercialRateCents),
            }).ToList(),
        };
        return new ContributionPolicyPage(centre, rooms, saved, form);
    }

    /// <summary>
    /// Lines the posted rates up with the centre's rooms as they are now: a room missing from the post gets empty
    /// fields (and so a message), a posted id of a room elsewhere is dropped.
    /// </summary>
    public static void AlignRooms(ContributionPolicyForm form, IReadOnlyList<PolicyRoom> rooms)
    {
        var posted = form.Rooms.GroupBy(r => r.RoomId).ToDictionary(g => g.Key, g => g.First());
        form.Rooms = rooms.Select(room => new RoomRateForm
        {
            RoomId = room.Id,
            RoomName = room.Name,
            Social = posted.GetValueOrDefault(room.Id)?.Social,
            Commercial = posted.GetValueOrDefault(room.Id)?.Commercial,
        }).ToList();
    }

    /// <summary>Saves policy and rates in one transaction: all of it, or (on any problem) nothing.</summary>
    public async Task<CommandResult?> HandleAsync(long centreId, ContributionPolicyForm form)
    {
        if (!await access.CanManageAsync(centreId)) return null;
        var categories = Tariff.BookerCategories.ToArray();
        var tariffs = categories.Select(c => form.Policy[c]!).ToArray();
        var roomIds = form.Rooms.Select(r => r.RoomId).ToArray();
        var social = form.Rooms.Select(r => EuroAmount.Parse(r.Social).Cents).ToArray();
        var commercial = form.Rooms.Select(r => EuroAmount.Parse(r.Commercial).Cents).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Locking the centre row makes two people saving at once take turns.
        if (await connection.QuerySingleOrDefaultAsync<long?>("select id from centres where id = @centreId for update", new { centreId }, transaction) is null)
        {
            return null;
        }
        var roomCount = await connection.ExecuteScalarAsync<int>("select count(*)::int from rooms where centre_id = @centreId", new { centreId }, transaction);
        if (roomCount != roomIds.Length)
        {
            return CommandResult.Fail("", "De ruimtes van dit buurtcentrum zijn net gewijzigd. Er is niets opgeslagen. Controleer de tarieven en sla opnieuw op.");
        }
        try
        {
            await connection.ExecuteAsync("""
                insert into centre_tariffs (centre_id, category, tariff)
                select @centreId, c.category, c.tariff from unnest(@categories::text[], @tariffs::text[]) as c(category, tariff)
                on conflict (centre_id, category) do update set tariff = excluded.tariff
                """, new { centreId, categories, tariffs }, transaction);
            await connection.ExecuteAsync("""
                update rooms r
                set social_rate_cents = v.social, commercial_rate_cents = v.commercial, updated_at = @now
                from unnest(@roomIds::bigint[], @social::int[], @commercial::int[]) as v(id, social, commercial)
                where r.id = v.id and r.centre_id = @centreId
                  and (r.social_rate_cents, r.commercial_rate_cents) is distinct from (v.social, v.commercial)
                """, new { centreId, roomIds, social, commercial, now = time.GetUtcNow() }, transaction);
            var known = await connection.ExecuteScalarAsync<int>(
                "select count(*)::int from rooms where centre_id = @centreId and id = any(@roomIds)", new { centreId, roomIds }, transaction);
            if (known != roomIds.Length)
            {
                return CommandResult.Fail("", "De ruimtes van dit buurtcentrum zijn net gewijzigd. Er is niets opgeslagen. Controleer de tarieven en sla opnieuw op.");
            }
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            return CommandResult.Fail("", "Een tarief klopt niet: een tarief is 0 tot 1000 euro per uur. Er is niets opgeslagen.");
        }
    }
}
