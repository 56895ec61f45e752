namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>What the melding page shows: the same page for staff (/beheer/meldingen/{id}), a reporter with an account
/// (/meldingen/{id}) and someone with a private link (/melding/{token}); what they may do differs.</summary>
public sealed record MeldingPage(MeldingDetails Melding, MeldingViewer Viewer, string ActionBase, ClockState Clock,
    IReadOnlyList<string> Next, StatusForm Form, ResponseTarget Target)
{
    public string? BackLink { get; init; }
    public string? BackText { get; init; }
    public bool CanComment => true;

    public static MeldingPage For(MeldingDetails m, MeldingViewer viewer, string actionBase, DateTimeOffset now,
        IReadOnlyList<ResponseTarget> targets, StatusForm? form = null)
    {
        var next = viewer.Actor is { } actor ? StatusMachine.Next(m.Status, actor) : [];
        return new MeldingPage(m, viewer, actionBase, m.Clock(now), next,
            form ?? new StatusForm { To = next.Count == 1 ? next[0] : null, PlannedOn = m.PlannedOn, Assignee = m.Assignee },
            targets.Single(t => t.Urgency == m.Urgency));
    }
}
