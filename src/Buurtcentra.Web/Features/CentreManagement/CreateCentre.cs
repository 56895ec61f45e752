using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.CentreManagement;

public sealed class CreateCentreForm : CentreFieldsForm;

public sealed class CreateCentreValidator : CentreFieldsValidator<CreateCentreForm>;

public sealed record CreateCentrePage(CreateCentreForm Form, CentreChoices Choices);

/// <summary>Functioneel beheer adds a buurtcentrum (the controller's policy allows nobody else).</summary>
public sealed class CreateCentreHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<(CommandResult Result, long? CentreId)> HandleAsync(CreateCentreForm form)
    {
        var now = time.GetUtcNow();
        var slug = CentreText.OrNull(form.Slug) ?? CentreText.Slugify(form.Name);
        await using var connection = await dataSource.OpenConnectionAsync();
        if (await CentreLookupsQuery.CheckReferencesAsync(connection, form.WijkId!.Value, form.SmoId!.Value, null) is { } problem)
        {
            return (CommandResult.Fail(problem.Field, problem.Error), null);
        }
        try
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                insert into centres (name, slug, street, postcode, city, wijk_id, smo_id, email, phone, description, active, created_at, updated_at)
                values (@name, @slug, @street, @postcode, @city, @wijkId, @smoId, @email, @phone, @description, true, @now, @now)
                returning id
                """, new
            {
                name = form.Name!.Trim(),
                slug,
                street = form.Street!.Trim(),
                postcode = CentreText.NormalisePostcode(form.Postcode),
                city = form.City!.Trim(),
                wijkId = form.WijkId,
                smoId = form.SmoId,
                email = CentreText.OrNull(form.Email),
                phone = CentreText.OrNull(form.Phone),
                description = CentreText.OrNull(form.Description),
                now,
            });
            return (CommandResult.Ok(), id);
        }
        catch (PostgresException e) when (e.IsUniqueViolation())
        {
            return (UniqueError(e, slug, string.IsNullOrWhiteSpace(form.Slug)), null);
        }
    }

    internal static CommandResult UniqueError(PostgresException e, string slug, bool slugDerived) =>
        e.ConstraintName == "centres_name_key"
            ? CommandResult.Fail(nameof(CentreFieldsForm.Name), "Er is al een buurtcentrum met deze naam. Kies een andere naam.")
            : CommandResult.Fail(nameof(CentreFieldsForm.Slug), slugDerived
                ? $"Het webadres '{slug}' dat bij deze naam hoort, is al in gebruik. Vul zelf een ander webadres in."
                : "Dit webadres is al in gebruik. Kies een ander webadres.");
}
