using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.MailLog;

/// <summary>
/// What was mailed to whom, what failed and what is waiting. Functioneel beheer sees every mail; a sociaal beheerder
/// or SMO-coördinator sees the mail of the centres they manage (a mail of another centre answers 404).
/// Stadsbedrijven and gebruikers have no mail log.
/// </summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class MailLogController : Controller
{
    private bool IsFunctioneelBeheerder => User.IsInRole(Roles.FunctioneelBeheerder);

    [HttpGet("/beheer/mail")]
    public async Task<IActionResult> Index([FromQuery] MailLogFilter filter, [FromServices] MailLogQuery query) =>
        View(await query.RunAsync(filter, IsFunctioneelBeheerder));

    [HttpGet("/beheer/mail/{id:long}")]
    public async Task<IActionResult> Details(long id, [FromServices] MailDetailsQuery query) =>
        await query.RunAsync(id, IsFunctioneelBeheerder) is { } mail ? View(mail) : NotFound();

    [HttpPost("/beheer/mail/{id:long}/opnieuw")]
    [Authorize(Policy = Policies.FunctioneelBeheer)]
    public async Task<IActionResult> Retry(long id, [FromServices] RetryMailHandler handler)
    {
        switch (await handler.HandleAsync(id))
        {
            case RetryResult.NotFound:
                return NotFound();
            case RetryResult.NotFailed:
                this.Flash("Deze mail is niet mislukt. Er is niets veranderd.");
                break;
            default:
                this.Flash("De mail wordt opnieuw verstuurd.");
                break;
        }
        return Redirect($"/beheer/mail/{id}");
    }
}
