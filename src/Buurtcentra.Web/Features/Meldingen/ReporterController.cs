using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

public sealed record MyMeldingRow(long Id, string Category, string Status, string CentreName, string? RoomName, DateTime CreatedAt, bool Own)
{
    public DateTime LocalCreated => AmsterdamTime.ToLocal(new DateTimeOffset(CreatedAt, TimeSpan.Zero));
}

/// <summary>
/// The reporter's side: "Mijn meldingen" and one melding (signed in), or one melding through a private link (no account).
/// The reporter closes a solved melding, or opens it again; everyone who may see it can react.
/// </summary>
public sealed class ReporterController(NpgsqlDataSource dataSource, MeldingAccessQuery access, TimeProvider time, TargetTimesQuery targets,
    IValidator<StatusForm> validator) : Controller
{
    [Authorize]
    [HttpGet("/meldingen")]
    public async Task<IActionResult> Mine()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<MyMeldingRow>("""
            select m.id, m.category, m.status, c.name as centre_name, r.name as room_name, m.created_at, m.reporter_user_id = @userId as own
            from meldingen m join centres c on c.id = m.centre_id left join rooms r on r.id = m.room_id
            where m.reporter_user_id = @userId
               or exists (select 1 from melding_followers f where f.melding_id = m.id and f.user_id = @userId)
            order by m.created_at desc
            limit 200
            """, new { userId = User.UserId() });
        return View("Mine", rows.ToList());
    }

    [Authorize]
    [HttpGet("/meldingen/{id:long}")]
    public async Task<IActionResult> Own(long id)
    {
        var loaded = await LoadOwnAsync(id);
        if (loaded is null) return NotFound();
        if (loaded.Value.Viewer.IsStaff) return Redirect($"/beheer/meldingen/{id}");
        return await PageView(loaded.Value.Melding, loaded.Value.Viewer, $"/meldingen/{id}", null);
    }

    [Authorize]
    [HttpPost("/meldingen/{id:long}/status")]
    public async Task<IActionResult> OwnStatus(long id, [FromForm(Name = "Form")] StatusForm form, [FromServices] ChangeStatusHandler handler)
    {
        var loaded = await LoadOwnAsync(id);
        if (loaded is null || loaded.Value.Viewer.IsStaff) return NotFound();
        return await ChangeStatusAsync(loaded.Value.Melding, loaded.Value.Viewer, form, handler, $"/meldingen/{id}");
    }

    [Authorize]
    [HttpPost("/meldingen/{id:long}/reactie")]
    public async Task<IActionResult> OwnComment(long id, [FromForm] string? comment, [FromServices] AddCommentHandler handler)
    {
        var loaded = await LoadOwnAsync(id);
        if (loaded is null || loaded.Value.Viewer.IsStaff) return NotFound();
        return await CommentAsync(loaded.Value.Melding, loaded.Value.Viewer, comment, handler, $"/meldingen/{id}");
    }

    /// <summary>A photo of a melding, for everyone who may see the melding (staff included); others get a 404.</summary>
    [Authorize]
    [HttpGet("/meldingen/{id:long}/fotos/{photoId:long}")]
    public async Task<IActionResult> Photo(long id, long photoId)
    {
        var loaded = await LoadOwnAsync(id);
        return loaded is null || loaded.Value.Melding.PhotoIds.Count == 0 ? NotFound() : await PhotoAsync(id, photoId);
    }

    [HttpGet("/melding/{token}/fotos/{photoId:long}")]
    public async Task<IActionResult> PrivatePhoto(string token, long photoId)
    {
        var loaded = await LoadByTokenAsync(token);
        return loaded is null || loaded.Value.Melding.PhotoIds.Count == 0 ? NotFound() : await PhotoAsync(loaded.Value.Melding.Id, photoId);
    }

    private async Task<IActionResult> PhotoAsync(long meldingId, long photoId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var content = await connection.ExecuteScalarAsync<byte[]?>(
            "select content from melding_photos where id = @photoId and melding_id = @meldingId", new { photoId, meldingId });
        if (content is null) return NotFound();
        Response.Headers.CacheControl = "private, max-age=3600";
        Response.Headers["X-Content-Type-Options"] = "nosniff";
        return File(content, "image/jpeg");
    }

    [HttpGet("/melding/{token}")]
    public async Task<IActionResult> Private(string token)
    {
        var loaded = await LoadByTokenAsync(token);
        if (loaded is null) return NotFound();
        return await PageView(loaded.Value.Melding, loaded.Value.Viewer, $"/melding/{token}", null);
    }

    [HttpPost("/melding/{token}/status")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(WebSetup.PublicFormsRateLimit)]
    public async Task<IActionResult> PrivateStatus(string token, [FromForm(Name = "Form")] StatusForm form, [FromServices] ChangeStatusHandler handler)
    {
        var loaded = await LoadByTokenAsync(token);
        if (loaded is null) return NotFound();
        return await ChangeStatusAsync(loaded.Value.Melding, loaded.Value.Viewer, form, handler, $"/melding/{token}");
    }

    [HttpPost("/melding/{token}/reactie")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(WebSetup.PublicFormsRateLimit)]
    public async Task<IActionResult> PrivateComment(string token, [FromForm] string? comment, [FromServices] AddCommentHandler handler)
    {
        var loaded = await LoadByTokenAsync(token);
        if (loaded is null) return NotFound();
        return await CommentAsync(loaded.Value.Melding, loaded.Value.Viewer, comment, handler, $"/melding/{token}");
    }

    private async Task<IActionResult> ChangeStatusAsync(MeldingDetails m, MeldingViewer viewer, StatusForm form, ChangeStatusHandler handler, string page)
    {
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState, "Form");
        if (ModelState.IsValid)
        {
            var (result, released) = await handler.HandleAsync(m.Id, form, viewer, Request.PublicBaseUrl());
            if (result.Succeeded)
            {
                this.Flash($"De melding staat nu op ‘{MeldingStatus.Name(form.To!)}’." + (released is null ? "" : $" {released}"));
                return Redirect(page);
            }
            ModelState.AddModelError(string.IsNullOrEmpty(result.Field) ? "" : $"Form.{result.Field}", result.Error!);
        }
        return await PageView(m, viewer, page, form);
    }

    private async Task<IActionResult> CommentAsync(MeldingDetails m, MeldingViewer viewer, string? comment, AddCommentHandler handler, string page)
    {
        var result = await handler.HandleAsync(m.Id, comment, viewer);
        if (result.AddErrorTo(ModelState)) return await PageView(m, viewer, page, null);
        this.Flash("Uw reactie is geplaatst.");
        return Redirect(page);
    }

    private async Task<IActionResult> PageView(MeldingDetails m, MeldingViewer viewer, string actionBase, StatusForm? form)
    {
        var page = MeldingPage.For(m, viewer, actionBase, time.GetUtcNow(), await targets.LoadAsync(), form) with
        {
            BackLink = User.Identity?.IsAuthenticated == true ? "/meldingen" : null,
            BackText = "Naar mijn meldingen",
        };
        return View("Melding", page);
    }

    private async Task<(MeldingDetails Melding, MeldingViewer Viewer)?> LoadOwnAsync(long id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var m = await MeldingDetails.LoadAsync(connection, null, id);
        if (m is null) return null;
        var viewer = await access.ViewerAsync(connection, id, m.CentreId, m.ReporterUserId);
        return viewer is null ? null : (m.SeenBy(viewer), viewer);
    }

    private async Task<(MeldingDetails Melding, MeldingViewer Viewer)?> LoadByTokenAsync(string token)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var found = await MeldingAccessQuery.ByTokenAsync(connection, token);
        if (found is null) return null;
        var m = await MeldingDetails.LoadAsync(connection, null, found.Value.MeldingId);
        return m is null ? null : (m.SeenBy(found.Value.Viewer), found.Value.Viewer);
    }
}
