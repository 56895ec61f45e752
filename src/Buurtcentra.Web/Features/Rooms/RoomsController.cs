using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Rooms;

/// <summary>
/// Adding and changing the rooms of a buurtcentrum. Who may do this is decided per centre by
/// <see cref="CentreAccess.CanManageAsync"/>; everyone else (also Stadsbedrijven, who may only read) gets a 404.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class RoomsController(RoomOptionsQuery options, IValidator<RoomForm> validator) : Controller
{
    [HttpGet("/beheer/buurtcentra/{centreId:long}/ruimtes/nieuw")]
    public async Task<IActionResult> Add(long centreId, [FromServices] AddRoomHandler handler)
    {
        var centre = await handler.FindCentreAsync(centreId);
        if (centre is null) return NotFound();
        return await AddView(new RoomForm
        {
            CentreId = centre.Id, Active = true,
            MinMinutes = RoomForm.StandardMinMinutes, MaxMinutes = RoomForm.StandardMaxMinutes,
            SetupMinutes = RoomForm.StandardSetupMinutes, CleanupMinutes = RoomForm.StandardCleanupMinutes,
        }, centre);
    }

    [HttpPost("/beheer/buurtcentra/{centreId:long}/ruimtes/nieuw")]
    public async Task<IActionResult> Add(long centreId, [FromForm] RoomForm form, [FromServices] AddRoomHandler handler)
    {
        var centre = await handler.FindCentreAsync(centreId);
        if (centre is null) return NotFound();
        form.CentreId = centre.Id;
        form.RoomId = null;
        form.Active = true;
        form.Normalise();

        if (!await ValidateAsync(form)) return await AddView(form, centre);
        var result = await handler.HandleAsync(form);
        if (result.AddErrorTo(ModelState)) return await AddView(form, centre);

        this.Flash($"De ruimte ‘{form.Name}’ is toegevoegd aan {centre.Name}.");
        return Redirect($"/beheer/buurtcentra/{centre.Id}");
    }

    [HttpGet("/beheer/ruimtes/{roomId:long}/bewerken")]
    public async Task<IActionResult> Edit(long roomId, [FromServices] EditRoomHandler handler)
    {
        var room = await handler.FindAsync(roomId);
        if (room is null) return NotFound();
        return await EditView(room.Form, room);
    }

    [HttpPost("/beheer/ruimtes/{roomId:long}/bewerken")]
    public async Task<IActionResult> Edit(long roomId, [FromForm] RoomForm form, [FromServices] EditRoomHandler handler)
    {
        var room = await handler.FindAsync(roomId);
        if (room is null) return NotFound();
        form.CentreId = room.Centre.Id;
        form.RoomId = roomId;
        form.Normalise();

        if (!await ValidateAsync(form)) return await EditView(form, room);
        var result = await handler.HandleAsync(form);
        if (result.AddErrorTo(ModelState)) return await EditView(form, room);

        this.Flash(form.Active
            ? $"De ruimte ‘{form.Name}’ is opgeslagen."
            : $"De ruimte ‘{form.Name}’ is opgeslagen. Deze ruimte is niet in gebruik en staat niet op de website.");
        return Redirect($"/beheer/buurtcentra/{room.Centre.Id}");
    }

    /// <summary>
    /// Validates the form. A field the model binder could not read (letters in a number field) already has its own
    /// Dutch message; the validator's "fill this in" for that field would only repeat it.
    /// </summary>
    private async Task<bool> ValidateAsync(RoomForm form)
    {
        var validation = await validator.ValidateAsync(form);
        var errors = validation.Errors
            .Where(e => !(ModelState.TryGetValue(e.PropertyName, out var entry) && entry.Errors.Count > 0))
            .ToList();
        new ValidationResult(errors).AddTo(ModelState);
        return ModelState.IsValid;
    }

    private Task<IActionResult> AddView(RoomForm form, RoomCentre centre) =>
        FormView(form, centre, isEdit: false, $"Ruimte toevoegen aan {centre.Name}", $"Ruimte toevoegen aan {centre.Name}",
            $"/beheer/buurtcentra/{centre.Id}/ruimtes/nieuw");

    private Task<IActionResult> EditView(RoomForm form, EditRoomHandler.EditableRoom room) =>
        FormView(form, room.Centre, isEdit: true, $"{room.SavedName} bewerken", $"Ruimte ‘{room.SavedName}’ bewerken",
            $"/beheer/ruimtes/{form.RoomId}/bewerken");

    private async Task<IActionResult> FormView(RoomForm form, RoomCentre centre, bool isEdit, string title, string heading, string action)
    {
        var lists = await options.LoadAsync();
        ViewData[nameof(RoomFormPage)] = new RoomFormPage(title, heading, action, centre, isEdit, lists.RoomTypes, lists.Facilities, lists.Accessibility);
        return View("RoomForm", form);
    }
}
