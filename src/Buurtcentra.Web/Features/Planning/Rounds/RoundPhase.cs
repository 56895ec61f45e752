using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Rounds;

/// <summary>
/// The phases of a planningsronde, in order. A round moves one step forward at a time, or one step back
/// (for instance from the shared draft back to "in behandeling" after the groups' reactions); a published
/// round is final. Every change is logged with who and when.
/// </summary>
public static class RoundPhase
{
    public const string Concept = "concept";
    public const string Open = "open";
    public const string InProgress = "in_behandeling";
    public const string DraftShared = "concept_gedeeld";
    public const string Adopted = "vastgesteld";
    public const string Published = "gepubliceerd";

    public static readonly IReadOnlyList<string> All = [Concept, Open, InProgress, DraftShared, Adopted, Published];

    public static string Name(string phase) => phase switch
    {
        Concept => "Concept",
        Open => "Open voor wensen",
        InProgress => "In behandeling",
        DraftShared => "Concept-rooster gedeeld",
        Adopted => "Vastgesteld",
        Published => "Gepubliceerd",
        _ => phase,
    };

    /// <summary>Groups may hand in, change or withdraw wishes.</summary>
    public static bool AcceptsWishes(string phase) => phase == Open;

    /// <summary>The beheerder may run the optimiser, lock and move allocations.</summary>
    public static bool BoardEditable(string phase) => phase is InProgress or DraftShared;

    /// <summary>Groups see the draft roster and their own result, and may react.</summary>
    public static bool GroupsSeeDraft(string phase) => phase is DraftShared or Adopted or Published;

    public static int Index(string phase) => All.ToList().IndexOf(phase);

    /// <summary>
    /// Forward one step or back one step; publishing happens only through the publish action (it creates the
    /// series), so "gepubliceerd" is never reached by a plain phase change, and a published round stays published.
    /// </summary>
    public static bool CanMove(string from, string to)
    {
        var (a, b) = (Index(from), Index(to));
        if (a < 0 || b < 0 || from == Published || to == Published) return false;
        return b == a + 1 || b == a - 1;
    }

    public static Task LogAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long roundId, string? from, string to,
        long? actorUserId, string actorName, DateTimeOffset now, string? note = null) =>
        connection.ExecuteAsync("""
            insert into planning_phase_log (round_id, from_phase, to_phase, actor_user_id, actor_name, occurred_at, note)
            values (@roundId, @from, @to, @actorUserId, @actorName, @now, @note)
            """, new { roundId, from, to, actorUserId, actorName, now, note }, transaction);
}
