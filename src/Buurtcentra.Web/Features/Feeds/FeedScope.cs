using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.Feeds;

public enum FeedKind
{
    /// <summary>Public, per centre: public activities by title, all other use as "Bezet".</summary>
    Centre,
    /// <summary>Public, per wijk: the public activities of its active centres.</summary>
    Wijk,
    /// <summary>Private (token), per room: who uses it; contact details only for the centre's beheerders.</summary>
    Room,
    /// <summary>Private (token), per organisation: its own reservations, pending and cancelled ones included.</summary>
    Organisation,
    /// <summary>Private (token), per staff member: requests and reservations in all their centres.</summary>
    Staff,
}

/// <summary>Which page a "Bekijken" link in an event leads to (private feeds only).</summary>
public enum FeedLinks
{
    None,
    /// <summary>/beheer/reserveringen/{id}, for the centres in <see cref="FeedScope.ContactCentreIds"/>.</summary>
    Beheer,
    /// <summary>/mijn/reserveringen/{id}, for a gebruiker's own organisation.</summary>
    Mijn,
}

/// <summary>
/// What one feed shows, decided once per request (and again on every fetch of a private feed, so lost rights count
/// at once). Everything the text of the feed depends on is in here or in the database rows the version query reads.
/// </summary>
/// <param name="TargetId">Centre, wijk, room, organisation or user id, after <see cref="Kind"/>.</param>
/// <param name="CentreIds">Centres whose rooms are in the feed (for Room: the room's centre); empty for Organisation,
/// whose centres are those where it has reservations.</param>
/// <param name="ContactCentreIds">Centres for which contact person, phone and e-mail may be shown.</param>
/// <param name="HeaderUpdatedAt">Last change of the rows named in the calendar's name and description.</param>
/// <param name="LinkBase">Scheme and host for the links in private feeds ("https://buurtcentra.utrecht.nl").</param>
public sealed record FeedScope(
    FeedKind Kind,
    long TargetId,
    IReadOnlyList<long> CentreIds,
    IReadOnlySet<long> ContactCentreIds,
    string CalendarName,
    string? CalendarDescription,
    DateTime HeaderUpdatedAt,
    FeedLinks Links = FeedLinks.None,
    string? LinkBase = null)
{
    public bool IsPublic => Kind is FeedKind.Centre or FeedKind.Wijk;

    /// <summary>Requests (TENTATIVE) and rejected ones are in the feeds of those who asked or decide.</summary>
    public bool IncludesRequests => Kind is FeedKind.Organisation or FeedKind.Staff;

    /// <summary>A stable text of everything in the scope that shapes the feed, for the ETag.</summary>
    public string Key => string.Join('|', Kind, TargetId, string.Join(',', CentreIds.Order()), string.Join(',', ContactCentreIds.Order()),
        CalendarName, CalendarDescription, HeaderUpdatedAt.Ticks, Links, Links == FeedLinks.None ? "" : LinkBase);
}

/// <summary>
/// The window of a feed: from local midnight 30 days ago to local midnight 12 months ahead. It moves once a day, at
/// Utrecht midnight, so the text of a feed is the same all day for the same data. Cancelled items that changed since
/// <see cref="FromUtc"/> stay in the feed as STATUS:CANCELLED, so calendar apps remove them.
/// </summary>
public sealed record FeedWindow(DateOnly Today, DateTime FromUtc, DateTime ToUtc, DateTime TodayStartUtc)
{
    public const int DaysBack = 30;
    public const int MonthsAhead = 12;

    public static FeedWindow For(DateOnly today) => new(today,
        Midnight(today.AddDays(-DaysBack)), Midnight(today.AddMonths(MonthsAhead)), Midnight(today));

    public static FeedWindow At(TimeProvider time) => For(AmsterdamTime.Today(time));

    /// <summary>Local midnight always exists in Europe/Amsterdam (the clocks change at 02:00 and 03:00).</summary>
    private static DateTime Midnight(DateOnly day) => AmsterdamTime.ToUtc(day, TimeOnly.MinValue)!.Value.UtcDateTime;
}

/// <summary>What the ETag and Last-Modified of a feed are made of; computed without building the feed.</summary>
public sealed record FeedVersion(string ETag, DateTimeOffset LastModified);
