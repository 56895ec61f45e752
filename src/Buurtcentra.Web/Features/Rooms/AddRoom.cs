using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Rooms;

// Form and validator: RoomForm / RoomValidator (shared with EditRoom).

/// <summary>Adds a room to a centre the person manages; the room and its facilities are written in one transaction.</summary>
public sealed class AddRoomHandler(NpgsqlDataSource dataSource, TimeProvider time, CentreAccess access)
{
    /// <returns>The centre, or null when it does not exist or the person may not manage it (answer 404).</returns>
    public async Task<RoomCentre?> FindCentreAsync(long centreId)
    {
        if (!await access.CanManageAsync(centreId)) return null;
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<RoomCentre>(
            "select id, name from centres where id = @centreId", new { centreId });
    }

    public async Task<CommandResult> HandleAsync(RoomForm form)
    {
        if (!await access.CanManageAsync(form.CentreId)) throw new InvalidOperationException("Access is checked before saving.");
        var now = time.GetUtcNow();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var roomId = await connection.ExecuteScalarAsync<long>("""
                insert into rooms (centre_id, name, room_type, capacity, area_m2, floor, description, active,
                                   min_minutes, max_minutes, setup_minutes, cleanup_minutes, created_at, updated_at)
                values (@CentreId, @Name, @RoomType, @Capacity, @AreaM2, @Floor, @Description, true,
                        @MinMinutes, @MaxMinutes, @SetupMinutes, @CleanupMinutes, @now, @now)
                returning id
                """, new
            {
                form.CentreId, form.Name, form.RoomType, form.Capacity, form.AreaM2, form.Floor, form.Description,
                MinMinutes = form.MinMinutes ?? RoomForm.StandardMinMinutes, MaxMinutes = form.MaxMinutes ?? RoomForm.StandardMaxMinutes,
                SetupMinutes = form.SetupMinutes ?? RoomForm.StandardSetupMinutes, CleanupMinutes = form.CleanupMinutes ?? RoomForm.StandardCleanupMinutes,
                now,
            }, transaction);
            await RoomLinks.ReplaceAsync(connection, transaction, roomId, form);
            await transaction.CommitAsync();
            form.RoomId = roomId;
            return CommandResult.Ok();
        }
        catch (PostgresException e) when (RoomLinks.ToFormError(e, form.Name) is { } error)
        {
            return CommandResult.Fail(error.Field, error.Message);
        }
    }
}
