using Buurtcentra.Web.Features.Agenda;

// In the framework's namespace on purpose: Program.cs calls app.MapAgendaApi() without an extra using line.
namespace Microsoft.AspNetCore.Builder;

public static class AgendaApiRegistration
{
    /// <summary>Maps GET /api/v1/centres/{centre}/occupancy (see <see cref="AgendaApi"/>).</summary>
    public static IEndpointRouteBuilder MapAgendaApi(this IEndpointRouteBuilder app) => AgendaApi.Map(app);
}
