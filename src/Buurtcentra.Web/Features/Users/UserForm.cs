using System.Text.RegularExpressions;
using Buurtcentra.Web.Features.Organisations;
using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.Rendering;
using Npgsql;

namespace Buurtcentra.Web.Features.Users;

/// <summary>The fields of an account, shared by the create and edit forms.</summary>
public abstract class UserForm
{
    public string? DisplayName { get; set; }
    public string? Email { get; set; }
    public string? Role { get; set; }
    public long? OrganisationId { get; set; }
    public List<long> Centres { get; set; } = [];
    public bool Active { get; set; } = true;
    public string? Password { get; set; }
    public string? PasswordRepeat { get; set; }

    public bool IsStaff => Role is not null && Roles.Staff.Contains(Role);

    /// <summary>Centres only mean something for a sociaal beheerder; for other roles they are cleared.</summary>
    public long[] EffectiveCentres => Role == Roles.SociaalBeheerder ? Centres.Distinct().ToArray() : [];
}

public static class UserMessages
{
    public const int MinPasswordLength = 12;
    public const string DuplicateEmail = "Er is al een account met dit e-mailadres.";
    public const string PasswordRequired = "Vul een wachtwoord in. Medewerkers loggen in met een wachtwoord.";
    public const string PasswordTooShort = "Het wachtwoord moet minstens 12 tekens lang zijn.";
    public const string PasswordMismatch = "De twee wachtwoorden zijn niet hetzelfde. Vul twee keer hetzelfde wachtwoord in.";
    public const string NoPasswordForGebruiker = "Een gebruiker logt in met een inloglink en krijgt geen wachtwoord. Laat de wachtwoordvelden leeg.";
}

/// <summary>Rules for both forms; the create form adds that staff need a password.</summary>
public abstract partial class UserFormValidator<T> : AbstractValidator<T> where T : UserForm
{
    protected UserFormValidator()
    {
        RuleFor(f => f.DisplayName).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Vul de naam in.");
        RuleFor(f => f.DisplayName).Must(n => n!.Trim().Length is >= 2 and <= 120).When(f => !string.IsNullOrWhiteSpace(f.DisplayName))
            .WithMessage("De naam moet 2 tot 120 tekens lang zijn.");

        RuleFor(f => f.Email).Must(e => !string.IsNullOrWhiteSpace(e)).WithMessage("Vul het e-mailadres in.");
        RuleFor(f => f.Email).Must(e => EmailPattern().IsMatch(e!.Trim())).When(f => !string.IsNullOrWhiteSpace(f.Email))
            .WithMessage("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.");
        RuleFor(f => f.Email).Must(e => e!.Trim().Length <= 254).When(f => !string.IsNullOrWhiteSpace(f.Email))
            .WithMessage("Het e-mailadres mag hoogstens 254 tekens lang zijn.");

        RuleFor(f => f.Role).Must(r => r is not null && Roles.All.Contains(r)).WithMessage("Kies een rol.");

        RuleFor(f => f.OrganisationId).NotNull().When(f => f.Role is Roles.SmoCoordinator or Roles.Gebruiker)
            .WithMessage("Kies een organisatie. Een SMO-coördinator hoort bij een SMO, een gebruiker bij een gebruikersgroep.");

        RuleFor(f => f.Centres).Must(c => c.Count > 0).When(f => f.Role == Roles.SociaalBeheerder)
            .WithMessage("Kies minstens één buurtcentrum voor een sociaal beheerder.");

        RuleFor(f => f.Password).Must(p => string.IsNullOrEmpty(p)).When(f => f.Role == Roles.Gebruiker)
            .WithMessage(UserMessages.NoPasswordForGebruiker);
        RuleFor(f => f.Password).Must(p => p!.Length >= UserMessages.MinPasswordLength)
            .When(f => f.IsStaff && !string.IsNullOrEmpty(f.Password))
            .WithMessage(UserMessages.PasswordTooShort);
        RuleFor(f => f.Password).Must(p => p!.Length <= 200)
            .When(f => f.IsStaff && !string.IsNullOrEmpty(f.Password))
            .WithMessage("Het wachtwoord mag hoogstens 200 tekens lang zijn.");
        RuleFor(f => f.PasswordRepeat).Must((f, repeat) => (repeat ?? "") == (f.Password ?? ""))
            .When(f => f.IsStaff && (!string.IsNullOrEmpty(f.Password) || !string.IsNullOrEmpty(f.PasswordRepeat)))
            .WithMessage(UserMessages.PasswordMismatch);
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

/// <summary>The choices on the user form: roles, organisations, centres.</summary>
public sealed record UserFormOptions(List<SelectListItem> Roles, List<SelectListItem> Organisations, List<SelectListItem> Centres);

public sealed class UserFormOptionsQuery(NpgsqlDataSource dataSource)
{
    public async Task<UserFormOptions> RunAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var organisations = await connection.QueryAsync<(long Id, string Name, string Kind, bool Active)>(
            "select id, name, kind, active from organisations order by lower(name)");
        var centres = await connection.QueryAsync<(long Id, string Name)>("select id, name from centres order by lower(name)");
        return new UserFormOptions(
            Infrastructure.Auth.Roles.All.Select(r => new SelectListItem(Infrastructure.Auth.Roles.DisplayName(r), r)).ToList(),
            organisations.Select(o => new SelectListItem(
                $"{o.Name} ({OrganisationKinds.KindShortName(o.Kind)}{(o.Active ? "" : ", niet actief")})",
                o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList(),
            centres.Select(c => new SelectListItem(c.Name, c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList());
    }
}

/// <summary>Checks that need the database: the organisation fits the role, the centres exist.</summary>
internal static class UserChecks
{
    public static async Task<(string Field, string Message)?> CheckAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, UserForm form)
    {
        if (form.OrganisationId is { } organisationId)
        {
            var kind = await connection.QuerySingleOrDefaultAsync<string>(
                "select kind from organisations where id = @organisationId", new { organisationId }, transaction);
            if (kind is null) return (nameof(form.OrganisationId), "Kies een organisatie uit de lijst.");
            if (form.Role == Roles.SmoCoordinator && kind != OrganisationKinds.Smo)
                return (nameof(form.OrganisationId), "Een SMO-coördinator hoort bij een SMO. Kies een organisatie van de soort SMO.");
            if (form.Role == Roles.Gebruiker && kind != OrganisationKinds.Gebruikersgroep)
                return (nameof(form.OrganisationId), "Een gebruiker hoort bij een gebruikersgroep of initiatief. Kies zo'n organisatie.");
        }
        var centres = form.EffectiveCentres;
        if (centres.Length > 0)
        {
            var found = await connection.ExecuteScalarAsync<int>(
                "select count(*)::int from centres where id = any(@centres)", new { centres }, transaction);
            if (found != centres.Length) return (nameof(form.Centres), "Kies buurtcentra uit de lijst.");
        }
        return null;
    }
}
