namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>Who acts on a melding: its reporter, a beheerder of its centre (or functioneel beheer), or Stadsbedrijven.</summary>
public enum MeldingActor
{
    Reporter,
    Beheerder,
    Stadsbedrijven,
}

/// <summary>What a status change needs besides the new status.</summary>
public sealed record StatusChange(string To, DateOnly? PlannedOn = null, string? Assignee = null, string? Reason = null);

/// <summary>
/// The status machine of a melding, pure and complete: every (from, to, actor) that is not listed is illegal.
///   nieuw, heropend, in behandeling, wacht op anderen → in behandeling (with planned date and who), wacht op anderen,
///     opgelost, afgewezen (with a reason): Stadsbedrijven and beheerders. "In behandeling" again = change the planning.
///   opgelost → gesloten: the reporter or a beheerder confirms. opgelost → heropend (with a reason): reporter, beheerder
///     or Stadsbedrijven.
///   afgewezen → heropend (with a reason): beheerder or Stadsbedrijven.
///   gesloten is final.
/// </summary>
public static class StatusMachine
{
    private static readonly string[] WorkFrom = [MeldingStatus.New, MeldingStatus.Reopened, MeldingStatus.InProgress, MeldingStatus.WaitingForOthers];
    private static readonly string[] WorkTo = [MeldingStatus.InProgress, MeldingStatus.WaitingForOthers, MeldingStatus.Solved, MeldingStatus.Rejected];
    private static readonly MeldingActor[] Workers = [MeldingActor.Beheerder, MeldingActor.Stadsbedrijven];

    public static bool IsAllowed(string from, string to, MeldingActor actor)
    {
        if (WorkFrom.Contains(from) && WorkTo.Contains(to))
        {
            // Waiting again while waiting is no change; re-planning while in progress is.
            return Workers.Contains(actor) && !(from == to && from != MeldingStatus.InProgress);
        }
        return (from, to) switch
        {
            (MeldingStatus.Solved, MeldingStatus.Closed) => actor is MeldingActor.Reporter or MeldingActor.Beheerder,
            (MeldingStatus.Solved, MeldingStatus.Reopened) => true,
            (MeldingStatus.Rejected, MeldingStatus.Reopened) => actor is MeldingActor.Beheerder or MeldingActor.Stadsbedrijven,
            _ => false,
        };
    }

    /// <summary>The statuses this actor may move the melding to, in the order of <see cref="MeldingStatus.All"/>.</summary>
    public static IReadOnlyList<string> Next(string from, MeldingActor actor) =>
        MeldingStatus.All.Where(to => IsAllowed(from, to, actor)).ToList();

    /// <summary>Checks a change; returns the field and Dutch message of the first problem, or null when it may be done.</summary>
    public static (string Field, string Message)? Check(string from, StatusChange change, MeldingActor actor)
    {
        if (!MeldingStatus.IsKnown(change.To)) return ("To", "Kies een nieuwe status uit de lijst.");
        if (!IsAllowed(from, change.To, actor))
        {
            return ("To", $"Deze melding kan niet van ‘{MeldingStatus.Name(from)}’ naar ‘{MeldingStatus.Name(change.To)}’. Kies een andere status.");
        }
        if (change.To == MeldingStatus.InProgress)
        {
            if (change.PlannedOn is null) return ("PlannedOn", "Vul in wanneer het werk gepland is.");
            if (string.IsNullOrWhiteSpace(change.Assignee)) return ("Assignee", "Vul in wie het werk doet.");
        }
        if (change.To is MeldingStatus.Rejected or MeldingStatus.Reopened && string.IsNullOrWhiteSpace(change.Reason))
        {
            return ("Reason", change.To == MeldingStatus.Rejected
                ? "Vul de reden in waarom u de melding afwijst."
                : "Vul in waarom het probleem niet is opgelost.");
        }
        return null;
    }
}
