using System.Security.Cryptography;
using System.Text;

namespace Buurtcentra.Web.Infrastructure.Auth;

/// <summary>
/// The personal API token as the user sees it: "bc_" and 32 random bytes in base64url (46 characters).
/// Only its SHA-256 is stored (api_tokens.token_hash); the plain token is shown once, when it is made.
/// </summary>
public static class ApiTokenSecret
{
    public const string Prefix = "bc_";

    /// <summary>Longer input is never a token; it is refused before hashing.</summary>
    public const int MaxLength = 200;

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 of the token's UTF-8 bytes, the value in api_tokens.token_hash.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Only a token with our prefix and a sane length is looked up in the database.</summary>
    public static bool LooksLikeToken(string? value) =>
        value is { Length: > 3 and <= MaxLength } && value.StartsWith(Prefix, StringComparison.Ordinal);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
