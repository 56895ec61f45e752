using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Feeds;

/// <summary>
/// "Mijn agenda-abonnementen": every signed-in person makes, renews and revokes the links of their private feeds, and
/// finds the links of the public ones. A private link is shown once, right after it is made or renewed; only its hash
/// is stored. Only with the login cookie: an API token cannot make feed links.
/// </summary>
[Authorize(AuthenticationSchemes = AuthSchemes.Cookie)]
public sealed class SubscriptionsController(SubscriptionListQuery list) : Controller
{
    public const string Path = "/account/agenda-abonnementen";

    [HttpGet(Path)]
    public async Task<IActionResult> Index([FromQuery(Name = "openbaar")] string? publicFeed) =>
        View("Index", await list.LoadAsync(User.UserId(), publicFeed));

    [HttpPost(Path)]
    public async Task<IActionResult> Create(SubscriptionForm form, [FromServices] IValidator<SubscriptionForm> validator,
        [FromServices] CreateSubscriptionHandler handler)
    {
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            return View("Index", await list.LoadAsync(User.UserId(), error: validation.Errors[0].ErrorMessage));
        }
        var (result, created) = await handler.HandleAsync(User.UserId(), form);
        return result.Succeeded ? ShowOnce(created!) : View("Index", await list.LoadAsync(User.UserId(), error: result.Error));
    }

    [HttpPost(Path + "/{feedId:long}/vernieuwen")]
    public async Task<IActionResult> Renew(long feedId, [FromServices] RenewSubscriptionHandler handler)
    {
        if (await handler.HandleAsync(User.UserId(), feedId) is not { } outcome) return NotFound();
        var (result, created) = outcome;
        return result.Succeeded ? ShowOnce(created!) : View("Index", await list.LoadAsync(User.UserId(), error: result.Error));
    }

    [HttpPost(Path + "/{feedId:long}/intrekken")]
    public async Task<IActionResult> Revoke(long feedId, [FromServices] RevokeSubscriptionHandler handler)
    {
        if (!await handler.HandleAsync(User.UserId(), feedId)) return NotFound();
        this.Flash("De agenda-link is ingetrokken. Agenda-apps met deze link krijgen geen nieuwe gegevens meer. U kunt de agenda in uw app nu verwijderen.");
        return Redirect(Path);
    }

    /// <summary>The only time the link exists in plain text: not cached, not passed through a cookie or a redirect.</summary>
    private ViewResult ShowOnce(CreatedSubscription created)
    {
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
        return View("Created", created);
    }
}
