using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.ApiTokens;

/// <summary>
/// "API-sleutels": every signed-in person (staff and gebruikers) makes and revokes their own personal API tokens.
/// Only with the login cookie: an API token cannot be used to make more tokens.
/// </summary>
[Authorize(AuthenticationSchemes = AuthSchemes.Cookie)]
public sealed class ApiTokensController(ApiTokenListQuery list) : Controller
{
    public const string Path = "/account/api-sleutels";

    /// <summary>The form's fields are named Form.Name: the page model holds the form in Form.</summary>
    private const string Prefix = "Form";

    [HttpGet(Path)]
    public async Task<IActionResult> Index() =>
        View(new ApiTokenListPage(await list.GetAsync(User.UserId()), new CreateApiTokenForm()));

    [HttpPost(Path)]
    public async Task<IActionResult> Create([FromForm(Name = Prefix)] CreateApiTokenForm form, [FromServices] IValidator<CreateApiTokenForm> validator,
        [FromServices] CreateApiTokenHandler handler)
    {
        var validation = await validator.ValidateAsync(form);
        if (validation.IsValid)
        {
            var (result, created) = await handler.HandleAsync(User.UserId(), form);
            if (!result.Succeeded)
            {
                ModelState.AddModelError($"{Prefix}.{result.Field}", result.Error ?? "Er ging iets mis.");
            }
            else
            {
                // The only time the token exists in plain text: not cached, not redirected through a cookie.
                Response.Headers.CacheControl = "no-store";
                Response.Headers.Pragma = "no-cache";
                return View("Created", created);
            }
        }
        else
        {
            validation.AddTo(ModelState, Prefix);
        }
        return View("Index", new ApiTokenListPage(await list.GetAsync(User.UserId()), form));
    }

    [HttpPost(Path + "/{tokenId:long}/intrekken")]
    public async Task<IActionResult> Revoke(long tokenId, [FromServices] RevokeApiTokenHandler handler)
    {
        var name = await handler.HandleAsync(User.UserId(), tokenId);
        if (name is null) return NotFound();
        this.Flash($"De API-sleutel ‘{name}’ is ingetrokken. Programma's die deze sleutel gebruiken, krijgen geen toegang meer.");
        return Redirect(Path);
    }
}
