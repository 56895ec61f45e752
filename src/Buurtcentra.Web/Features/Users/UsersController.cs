using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Users;

/// <summary>Accounts of staff and gebruikers: functioneel beheer only.</summary>
[Authorize(Policy = Policies.FunctioneelBeheer)]
public sealed class UsersController(UserFormOptionsQuery options) : Controller
{
    [HttpGet("/beheer/gebruikers")]
    public async Task<IActionResult> Index([FromQuery] UserFilter filter, [FromServices] ListUsersQuery query) =>
        View(new UserListPage(filter, await query.RunAsync(filter)));

    [HttpGet("/beheer/gebruikers/nieuw")]
    public async Task<IActionResult> Create() =>
        View(new CreateUserPage(new CreateUserForm(), await options.RunAsync()));

    [HttpPost("/beheer/gebruikers/nieuw")]
    public async Task<IActionResult> Create(CreateUserForm form, [FromServices] IValidator<CreateUserForm> validator,
        [FromServices] CreateUserHandler handler)
    {
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid || !ModelState.IsValid)
        {
            validation.AddTo(ModelState);
            return View(new CreateUserPage(form, await options.RunAsync()));
        }
        if ((await handler.HandleAsync(form)).AddErrorTo(ModelState))
        {
            return View(new CreateUserPage(form, await options.RunAsync()));
        }
        this.Flash($"Account van {form.DisplayName!.Trim()} is opgeslagen.");
        return Redirect("/beheer/gebruikers");
    }

    [HttpGet("/beheer/gebruikers/{id:long}/bewerken")]
    public async Task<IActionResult> Edit(long id, [FromServices] EditUserQuery query)
    {
        if (await query.RunAsync(id) is not { } user) return NotFound();
        return View(new EditUserPage(id, user.Form, user.HasPassword, await options.RunAsync()));
    }

    [HttpPost("/beheer/gebruikers/{id:long}/bewerken")]
    public async Task<IActionResult> Edit(long id, EditUserForm form, [FromServices] IValidator<EditUserForm> validator,
        [FromServices] EditUserHandler handler, [FromServices] EditUserQuery query)
    {
        if (await query.RunAsync(id) is not { } existing) return NotFound();
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid || !ModelState.IsValid)
        {
            validation.AddTo(ModelState);
            return View(new EditUserPage(id, form, existing.HasPassword, await options.RunAsync()));
        }
        var result = await handler.HandleAsync(id, form, User.UserId());
        if (result is null) return NotFound();
        if (result.Value.AddErrorTo(ModelState))
        {
            return View(new EditUserPage(id, form, existing.HasPassword, await options.RunAsync()));
        }
        if (id == User.UserId() && await query.PrincipalAsync(id) is { } principal)
        {
            // Keep the administrator who changed their own password or name signed in, with the new security stamp.
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        }
        this.Flash($"Account van {form.DisplayName!.Trim()} is opgeslagen.");
        return Redirect("/beheer/gebruikers");
    }
}

public sealed record CreateUserPage(CreateUserForm Form, UserFormOptions Options);
