namespace Buurtcentra.Web.Features.Planning.Optimiser;

/// <summary>
/// Assigns wishes to rooms and weekly times with CP-SAT: no overlap per room and lane, capacity, facilities,
/// accessibility, opening hours, protected blocks and the beheerder's locks; maximises the policy's objective.
/// Deterministic for the same input. Explains every decision.
/// </summary>
public sealed class PlanOptimiser
{
    public PlanResult Solve(PlanInput input, SolveOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("Implemented on feat/optimiser.");
}
