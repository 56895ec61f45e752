namespace Buurtcentra.Web.Features.Programme;

/// <summary>The week navigation of a programme page.</summary>
public sealed record WeekNav(ProgrammeSchedule Schedule, string BaseUrl);

/// <summary>The subscribe block: whose programme, the link text and the feed addresses.</summary>
public sealed record SubscribeModel(string Name, string LinkText, FeedUrls Urls);
