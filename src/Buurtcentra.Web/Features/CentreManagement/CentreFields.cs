using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;

namespace Buurtcentra.Web.Features.CentreManagement;

/// <summary>The fields of a buurtcentrum that the create and edit forms share.</summary>
public abstract class CentreFieldsForm
{
    public string? Name { get; set; }
    public string? Slug { get; set; }
    public string? Street { get; set; }
    public string? Postcode { get; set; }
    public string? City { get; set; } = "Utrecht";
    [Display(Name = "wijk")] public int? WijkId { get; set; }
    [Display(Name = "SMO")] public long? SmoId { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Description { get; set; }
}

/// <summary>Rules mirroring the CHECK constraints on the centres table, with Dutch messages.</summary>
public abstract partial class CentreFieldsValidator<T> : AbstractValidator<T> where T : CentreFieldsForm
{
    protected CentreFieldsValidator()
    {
        RuleFor(f => f.Name).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Vul de naam van het buurtcentrum in.")
            .Must(v => v!.Trim().Length is >= 2 and <= 120).WithMessage("De naam moet tussen 2 en 120 tekens lang zijn.")
            .Must((f, _) => !string.IsNullOrWhiteSpace(f.Slug) || CentreText.Slugify(f.Name).Length > 0)
            .WithMessage("De naam moet minstens één letter of cijfer bevatten.");
        RuleFor(f => f.Slug)
            .Must(v => string.IsNullOrWhiteSpace(v) || (v.Trim().Length <= 120 && SlugPattern().IsMatch(v.Trim())))
            .WithMessage("Het webadres mag alleen kleine letters, cijfers en losse streepjes bevatten (maximaal 120 tekens), bijvoorbeeld de-boog.");
        RuleFor(f => f.Street).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Vul de straat en het huisnummer in.")
            .Must(v => v!.Trim().Length is >= 2 and <= 200).WithMessage("Straat en huisnummer moeten tussen 2 en 200 tekens lang zijn.");
        RuleFor(f => f.Postcode).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Vul de postcode in.")
            .Must(v => CentreText.NormalisePostcode(v) is not null).WithMessage("Vul een geldige postcode in: 4 cijfers en 2 letters, bijvoorbeeld 3511 AB.");
        RuleFor(f => f.City).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Vul de plaats in.")
            .Must(v => v!.Trim().Length <= 100).WithMessage("De plaats mag maximaal 100 tekens lang zijn.");
        RuleFor(f => f.WijkId).NotNull().WithMessage("Kies een wijk.");
        RuleFor(f => f.SmoId).NotNull().WithMessage("Kies een SMO.");
        RuleFor(f => f.Email)
            .Must(v => string.IsNullOrWhiteSpace(v) || (v.Trim().Length <= 254 && EmailPattern().IsMatch(v.Trim())))
            .WithMessage("Vul een geldig e-mailadres in, bijvoorbeeld info@buurtcentrum.nl.");
        RuleFor(f => f.Phone).Cascade(CascadeMode.Stop)
            .Must(v => string.IsNullOrWhiteSpace(v) || v.Trim().Length <= 30).WithMessage("Het telefoonnummer mag maximaal 30 tekens lang zijn.")
            .Must(v => string.IsNullOrWhiteSpace(v) || PhonePattern().IsMatch(v.Trim()))
            .WithMessage("Een telefoonnummer bevat alleen cijfers, spaties, +, - en haakjes, bijvoorbeeld 030 123 45 67.");
        RuleFor(f => f.Description)
            .Must(v => v is null || v.Trim().Length <= 2000).WithMessage("De beschrijving mag maximaal 2000 tekens lang zijn.");
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    // Same pattern as the CHECK on centres.email.
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[0-9 +()\-]+$")]
    private static partial Regex PhonePattern();
}

public static partial class CentreText
{
    /// <summary>"3511ab" or "3511 ab" becomes "3511 AB"; null when it is not a Dutch postcode.</summary>
    public static string? NormalisePostcode(string? value)
    {
        if (value is null) return null;
        var compact = string.Concat(value.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        return PostcodePattern().IsMatch(compact) ? $"{compact[..4]} {compact[4..]}" : null;
    }

    /// <summary>"Buurtcentrum Café 't Hoekje" becomes "buurtcentrum-cafe-t-hoekje".</summary>
    public static string Slugify(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var decomposed = name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            builder.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }
        var slug = Dashes().Replace(builder.ToString(), "-").Trim('-');
        return slug.Length <= 120 ? slug : slug[..120].TrimEnd('-');
    }

    /// <summary>Trimmed text, or null when nothing was filled in.</summary>
    public static string? OrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[1-9][0-9]{3}[A-Z]{2}$")]
    private static partial Regex PostcodePattern();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Dashes();
}

/// <summary>ISO weekdays as the opening_hours table stores them: 1 = maandag ... 7 = zondag.</summary>
public static class Weekdays
{
    private static readonly string[] Names = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

    public static string Name(int isoWeekday) => Names[isoWeekday - 1];

    public static string Capitalised(int isoWeekday) => char.ToUpperInvariant(Name(isoWeekday)[0]) + Name(isoWeekday)[1..];
}
