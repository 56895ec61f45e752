using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Rooms;

// Form and validator: RoomForm / RoomValidator (shared with AddRoom).

/// <summary>
/// Changes a room. A room taken out of use (active = false) stays in the database, with its history, but is no
/// longer shown on the public site.
/// </summary>
public sealed class EditRoomHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    public sealed record EditableRoom(RoomCentre Centre, RoomForm Form, string SavedName);

    private sealed record RoomRow(long Id, long CentreId, string CentreName, string Name, string RoomType, int Capacity,
        int? AreaM2, string? Floor, string? Description, bool Active, int MinMinutes, int MaxMinutes, int SetupMinutes, int CleanupMinutes);

    /// <returns>The room with its current values, or null when it does not exist or the person may not manage its centre (answer 404).</returns>
    public async Task<EditableRoom?> FindAsync(long roomId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var room = await connection.QuerySingleOrDefaultAsync<RoomRow>("""
            select r.id, r.centre_id, c.name as centre_name, r.name, r.room_type, r.capacity, r.area_m2, r.floor, r.description, r.active,
                   r.min_minutes, r.max_minutes, r.setup_minutes, r.cleanup_minutes
            from rooms r join centres c on c.id = r.centre_id
            where r.id = @roomId
            """, new { roomId });
        if (room is null || !await access.CanManageAsync(room.CentreId)) return null;

        var facilities = await connection.QueryAsync<string>(
            "select facility_code from room_facilities where room_id = @roomId order by facility_code", new { roomId });
        var accessibility = await connection.QueryAsync<string>(
            "select feature_code from room_accessibility where room_id = @roomId order by feature_code", new { roomId });
        var form = new RoomForm
        {
            CentreId = room.CentreId,
            RoomId = room.Id,
            Name = room.Name,
            RoomType = room.RoomType,
            Capacity = room.Capacity,
            AreaM2 = room.AreaM2,
            Floor = room.Floor,
            Description = room.Description,
            Active = room.Active,
            MinMinutes = room.MinMinutes,
            MaxMinutes = room.MaxMinutes,
            SetupMinutes = room.SetupMinutes,
            CleanupMinutes = room.CleanupMinutes,
            Facilities = facilities.ToList(),
            Accessibility = accessibility.ToList(),
        };
        return new EditableRoom(new RoomCentre(room.CentreId, room.CentreName), form, room.Name);
    }

    public async Task<CommandResult> HandleAsync(RoomForm form)
    {
        if (form.RoomId is not { } roomId || !await access.CanManageAsync(form.CentreId))
        {
            throw new InvalidOperationException("The room and access are checked before saving.");
        }
        var now = time.GetUtcNow();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var updated = await connection.ExecuteAsync("""
                update rooms
                set name = @Name, room_type = @RoomType, capacity = @Capacity, area_m2 = @AreaM2, floor = @Floor,
                    description = @Description, active = @Active, min_minutes = @MinMinutes, max_minutes = @MaxMinutes,
                    setup_minutes = @SetupMinutes, cleanup_minutes = @CleanupMinutes, updated_at = @now
                where id = @roomId and centre_id = @CentreId
                """, new
            {
                form.Name, form.RoomType, form.Capacity, form.AreaM2, form.Floor, form.Description, form.Active,
                MinMinutes = form.MinMinutes ?? RoomForm.StandardMinMinutes, MaxMinutes = form.MaxMinutes ?? RoomForm.StandardMaxMinutes,
                SetupMinutes = form.SetupMinutes ?? RoomForm.StandardSetupMinutes, CleanupMinutes = form.CleanupMinutes ?? RoomForm.StandardCleanupMinutes,
                now, roomId, form.CentreId,
            }, transaction);
            if (updated == 0)
            {
                return CommandResult.Fail("", "Deze ruimte bestaat niet meer. Uw wijzigingen zijn niet opgeslagen.");
            }
            await RoomLinks.ReplaceAsync(connection, transaction, roomId, form);
            await transaction.CommitAsync();
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (RoomLinks.ToFormError(e, form.Name) is { } error)
        {
            return CommandResult.Fail(error.Field, error.Message);
        }
    }
}
