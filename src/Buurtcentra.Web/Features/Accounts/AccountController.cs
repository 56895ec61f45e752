using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Buurtcentra.Web.Features.Accounts;

public sealed class AccountController : Controller
{
    [HttpGet("/inloggen")]
    public IActionResult Login(string? returnUrl) =>
        View(new LoginPage(new SignInForm { ReturnUrl = returnUrl }, new RequestLoginLinkForm()));

    [HttpPost("/inloggen")]
    [EnableRateLimiting(WebSetup.LoginRateLimit)]
    public async Task<IActionResult> Login([FromForm(Name = "SignIn")] SignInForm form, [FromServices] IValidator<SignInForm> validator, [FromServices] SignInHandler handler)
    {
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            validation.AddTo(ModelState, "SignIn");
            return View(new LoginPage(form, new RequestLoginLinkForm()));
        }

        switch (await handler.HandleAsync(form, ClientAddress.Of(HttpContext), Request.PublicBaseUrl()))
        {
            case SignInResult.Success success:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, success.Principal);
                return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/beheer/buurtcentra");
            case SignInResult.Failed failed:
                ModelState.AddModelError("SignIn.Email", failed.Message);
                return View(new LoginPage(form, new RequestLoginLinkForm()));
            default:
                throw new InvalidOperationException();
        }
    }

    [HttpPost("/inloggen/link")]
    [EnableRateLimiting(WebSetup.LoginRateLimit)]
    public async Task<IActionResult> RequestLink([FromForm(Name = "Link")] RequestLoginLinkForm form,
        [FromServices] IValidator<RequestLoginLinkForm> validator, [FromServices] RequestLoginLinkHandler handler)
    {
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            validation.AddTo(ModelState, "Link");
            return View("Login", new LoginPage(new SignInForm(), form));
        }
        var baseUrl = Request.PublicBaseUrl();
        await handler.HandleAsync(form, baseUrl);
        return View("LinkSent", form.Email);
    }

    [HttpGet("/inloggen/link/{token}")]
    public IActionResult ConfirmLink(string token) => View("ConfirmLink", token);

    // Signing in takes a POST: mail scanners that follow links must not use up the link.
    [HttpPost("/inloggen/link/{token}")]
    [EnableRateLimiting(WebSetup.LoginRateLimit)]
    public async Task<IActionResult> UseLink(string token, [FromServices] UseLoginLinkHandler handler)
    {
        var principal = await handler.HandleAsync(token);
        if (principal is null) return View("LinkInvalid");
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        this.Flash($"Welkom, {principal.Identity!.Name}. U bent ingelogd.");
        return LocalRedirect(principal.Role() == Roles.Gebruiker ? "/buurtcentra" : "/beheer/buurtcentra");
    }

    [HttpPost("/uitloggen")]
    public async Task<IActionResult> Logout()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        this.Flash("U bent uitgelogd.");
        return LocalRedirect("/");
    }

    [HttpGet("/geen-toegang")]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }
}

public sealed record LoginPage(SignInForm SignIn, RequestLoginLinkForm Link);
