using System.Text.RegularExpressions;
using FluentValidation;

namespace Buurtcentra.Web.Features.Organisations;

/// <summary>The fields of an organisation, used for both creating and editing.</summary>
public sealed class OrganisationForm
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Category { get; set; }
    public string? ContactEmail { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? Description { get; set; }
    public bool Active { get; set; } = true;

    /// <summary>The website as stored: https:// added when the person typed only www.voorbeeld.nl.</summary>
    public static string? NormaliseWebsite(string? website)
    {
        if (string.IsNullOrWhiteSpace(website)) return null;
        var trimmed = website.Trim();
        return trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : $"https://{trimmed}";
    }

    public static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public sealed partial class OrganisationValidator : AbstractValidator<OrganisationForm>
{
    public OrganisationValidator()
    {
        RuleFor(f => f.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Vul de naam van de organisatie in.");
        RuleFor(f => f.Name).Must(n => n!.Trim().Length is >= 2 and <= 200).When(f => !string.IsNullOrWhiteSpace(f.Name))
            .WithMessage("De naam moet 2 tot 200 tekens lang zijn.");

        RuleFor(f => f.Kind).Must(k => k is not null && OrganisationKinds.All.Contains(k))
            .WithMessage("Kies de soort organisatie.");

        RuleFor(f => f.Category)
            .Must(c => c is null || OrganisationKinds.Categories.Contains(c))
            .WithMessage("Kies een categorie uit de lijst.");
        RuleFor(f => f.Category)
            .NotEmpty().When(f => f.Kind == OrganisationKinds.Gebruikersgroep)
            .WithMessage("Kies een categorie. Een gebruikersgroep of initiatief heeft altijd een categorie.");
        RuleFor(f => f.Category)
            .Empty().When(f => f.Kind is not null && f.Kind != OrganisationKinds.Gebruikersgroep)
            .WithMessage("Alleen een gebruikersgroep of initiatief heeft een categorie. Kies bij categorie 'Geen categorie'.");

        RuleFor(f => f.ContactEmail)
            .Must(e => EmailPattern().IsMatch(e!.Trim())).When(f => !string.IsNullOrWhiteSpace(f.ContactEmail))
            .WithMessage("Vul een geldig e-mailadres in, bijvoorbeeld info@voorbeeld.nl.");
        RuleFor(f => f.ContactEmail)
            .Must(e => e!.Trim().Length <= 254).When(f => !string.IsNullOrWhiteSpace(f.ContactEmail))
            .WithMessage("Het e-mailadres mag hoogstens 254 tekens lang zijn.");
        RuleFor(f => f.Phone)
            .Must(p => p!.Trim().Length <= 30).When(f => !string.IsNullOrWhiteSpace(f.Phone))
            .WithMessage("Het telefoonnummer mag hoogstens 30 tekens lang zijn.");
        RuleFor(f => f.Website)
            .Must(BeAWebsite).When(f => !string.IsNullOrWhiteSpace(f.Website))
            .WithMessage("Vul een geldig webadres in, bijvoorbeeld https://www.voorbeeld.nl.");
        RuleFor(f => f.Website)
            .Must(w => OrganisationForm.NormaliseWebsite(w)!.Length <= 300).When(f => !string.IsNullOrWhiteSpace(f.Website))
            .WithMessage("Het webadres mag hoogstens 300 tekens lang zijn.");
        RuleFor(f => f.Description)
            .Must(d => d!.Trim().Length <= 2000).When(f => !string.IsNullOrWhiteSpace(f.Description))
            .WithMessage("De omschrijving mag hoogstens 2000 tekens lang zijn.");
    }

    private static bool BeAWebsite(string? website) =>
        Uri.TryCreate(OrganisationForm.NormaliseWebsite(website), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Contains('.', StringComparison.Ordinal)
        && !website!.Any(char.IsWhiteSpace);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
