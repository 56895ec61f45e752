namespace Buurtcentra.Web.Infrastructure.Auth;

public static class Roles
{
    public const string FunctioneelBeheerder = "functioneel_beheerder";
    public const string SociaalBeheerder = "sociaal_beheerder";
    public const string SmoCoordinator = "smo_coordinator";
    public const string Stadsbedrijven = "stadsbedrijven";
    public const string Gebruiker = "gebruiker";

    public static readonly IReadOnlyList<string> All =
        [FunctioneelBeheerder, SociaalBeheerder, SmoCoordinator, Stadsbedrijven, Gebruiker];

    /// <summary>Roles that sign in with a password; gebruikers get a one-time link.</summary>
    public static readonly IReadOnlyList<string> Staff =
        [FunctioneelBeheerder, SociaalBeheerder, SmoCoordinator, Stadsbedrijven];

    public static string DisplayName(string role) => role switch
    {
        FunctioneelBeheerder => "Functioneel beheerder",
        SociaalBeheerder => "Sociaal beheerder",
        SmoCoordinator => "SMO-coördinator",
        Stadsbedrijven => "Stadsbedrijven",
        Gebruiker => "Gebruiker",
        _ => role,
    };
}

public static class Policies
{
    /// <summary>Functioneel beheer: master data for the whole city (SMOs, users, new centres).</summary>
    public const string FunctioneelBeheer = "functioneel-beheer";

    /// <summary>Staff who see the management screens (per-centre checks come on top, see <see cref="CentreAccess"/>).</summary>
    public const string Staff = "staff";

    /// <summary>Staff who register user groups and initiatives.</summary>
    public const string ManageUserGroups = "manage-user-groups";
}
