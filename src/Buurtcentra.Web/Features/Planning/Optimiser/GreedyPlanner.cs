namespace Buurtcentra.Web.Features.Planning.Optimiser;

/// <summary>What a careful person does by hand: wishes in order of priority, each gets its best option still free.</summary>
public static class GreedyPlanner
{
    public static PlanResult Plan(PlanInput input) => throw new NotImplementedException("Implemented on feat/optimiser.");
}
