namespace Buurtcentra.Web.Features.Feeds;

/// <summary>The links of one feed on the page; <see cref="Id"/> makes the field ids unique.</summary>
public sealed record FeedLinkModel(string Id, string Name, string Https, string Webcal)
{
    public static FeedLinkModel For(string id, string name, string baseUrl, string path)
    {
        var (https, webcal) = FeedText.Links(baseUrl, path);
        return new FeedLinkModel(id, name, https, webcal);
    }
}
