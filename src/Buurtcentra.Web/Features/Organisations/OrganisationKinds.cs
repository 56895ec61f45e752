using System.Security.Claims;
using Buurtcentra.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Buurtcentra.Web.Features.Organisations;

/// <summary>The kinds and categories of organisations (mirrors the CHECKs on the organisations table).</summary>
public static class OrganisationKinds
{
    public const string Smo = "smo";
    public const string Stadsbedrijven = "stadsbedrijven";
    public const string Gemeente = "gemeente";
    public const string Gebruikersgroep = "gebruikersgroep";

    public static readonly IReadOnlyList<string> All = [Smo, Stadsbedrijven, Gemeente, Gebruikersgroep];

    public static readonly IReadOnlyList<string> Categories =
        ["bewonersinitiatief", "maatschappelijke_organisatie", "sp_do_aanbieder", "commercieel"];

    public static string KindName(string? kind) => kind switch
    {
        Smo => "SMO (Sociaal Makelorganisatie)",
        Stadsbedrijven => "Stadsbedrijven",
        Gemeente => "Gemeente",
        Gebruikersgroep => "Gebruikersgroep of initiatief",
        null => "",
        _ => kind,
    };

    /// <summary>A short name for use inside brackets, e.g. in a list of organisations to choose from.</summary>
    public static string KindShortName(string? kind) => kind switch
    {
        Smo => "SMO",
        Gebruikersgroep => "gebruikersgroep",
        _ => KindName(kind),
    };

    public static string CategoryName(string? category) => category switch
    {
        "bewonersinitiatief" => "Bewonersinitiatief",
        "maatschappelijke_organisatie" => "Maatschappelijke organisatie",
        "sp_do_aanbieder" => "SP/DO-aanbieder",
        "commercieel" => "Commercieel",
        null => "",
        _ => category,
    };

    /// <summary>Only functioneel beheer manages SMOs, Stadsbedrijven and the gemeente; other staff only user groups.</summary>
    public static bool MayManage(ClaimsPrincipal user, string? kind) =>
        user.IsInRole(Roles.FunctioneelBeheerder)
        || (kind == Gebruikersgroep && (user.IsInRole(Roles.SociaalBeheerder) || user.IsInRole(Roles.SmoCoordinator)));

    public static IReadOnlyList<string> KindsFor(ClaimsPrincipal user) =>
        user.IsInRole(Roles.FunctioneelBeheerder) ? All : [Gebruikersgroep];

    public static List<SelectListItem> KindItems(IEnumerable<string> kinds) =>
        kinds.Select(k => new SelectListItem(KindName(k), k)).ToList();

    public static List<SelectListItem> CategoryItems() =>
        Categories.Select(c => new SelectListItem(CategoryName(c), c)).ToList();
}
