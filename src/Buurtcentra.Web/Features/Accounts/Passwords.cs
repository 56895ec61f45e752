using Microsoft.AspNetCore.Identity;

namespace Buurtcentra.Web.Features.Accounts;

/// <summary>The framework's PBKDF2 password hasher; the user object is not used by it.</summary>
public static class Passwords
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Anyone = new();

    public static string Hash(string password) => Hasher.HashPassword(Anyone, password);

    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(Anyone, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>A hash to verify against when the account does not exist, so both paths take the same time.</summary>
    public static readonly string Dummy = Hash(Guid.NewGuid().ToString());
}
