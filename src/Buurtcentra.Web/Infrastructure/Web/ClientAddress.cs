using System.Net;
using System.Net.Sockets;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>
/// Who a limit counts against when nobody is signed in: the client's address, after the forwarded headers of a
/// configured proxy have been applied (<see cref="ProxySetup"/>). An IPv6 client counts by its /64 network, because
/// one household or phone gets a whole /64 and could otherwise take a fresh address for every attempt.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "onbekend";

    public static string Of(HttpContext context) => KeyFor(context.Connection.RemoteIpAddress);

    public static string KeyFor(IPAddress? address)
    {
        if (address is null) return Unknown;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
