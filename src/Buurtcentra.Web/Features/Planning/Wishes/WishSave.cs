using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Wishes;

// Form and validator: WishForm / WishValidator (WishForm.cs).

/// <summary>Who saves a wish: a gebruiker for their own organisation, or a beheerder on a group's behalf.</summary>
public sealed record WishActor(long UserId, bool IsStaff);

/// <summary>
/// Creates and changes wishes with their options, in one transaction. The round is locked for share, so a phase change
/// and a wish never cross: a group saves only while the round is open and the deadline has not passed, a beheerder
/// until the round is adopted. A group that changes a continuity wish answers "gewijzigd".
/// </summary>
public sealed class SaveWishHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<WishRow?> FindAsync(long wishId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await WishRow.LoadAsync(connection, wishId);
    }

    /// <summary>The stored wish as a form (options padded to three rows).</summary>
    public static WishForm FormFor(WishRow wish, bool byStaff)
    {
        var options = wish.Options.Select(o => new WishOptionForm
        {
            Rank = o.Rank, RoomId = o.RoomId, Weekday = o.Weekday, EarliestStart = o.EarliestStart, LatestStart = o.LatestStart,
        });
        var form = new WishForm
        {
            RoundId = wish.RoundId, WishId = wish.Id, ByStaff = byStaff, CentreId = wish.CentreId, OrganisationId = wish.OrganisationId,
            GroupName = wish.OrganisationId is null ? wish.GroupName : null, ContactName = wish.ContactName,
            ContactEmail = wish.ContactEmail, ContinuityAnswer = wish.ContinuityAnswer,
            Activity = wish.Activity, Category = wish.Category, TargetGroups = [.. wish.TargetGroups], Participants = wish.Participants,
            Facilities = [.. wish.Facilities], Accessibility = [.. wish.Accessibility], Frequency = wish.Frequency,
            DurationMinutes = wish.DurationMinutes, IsPublic = wish.IsPublic, Remarks = wish.Remarks, Options = options.ToList(),
        };
        form.PadOptions();
        return form;
    }

    private sealed record GroupIdentity(long? OrganisationId, string GroupName, string? ContactName, string? ContactEmail);

    public async Task<CommandResult> CreateAsync(WishForm form, WishActor actor)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await PhaseErrorAsync(connection, transaction, form.RoundId, actor) is { } error) return CommandResult.Fail("", error);
        var group = await GroupAsync(connection, transaction, form, actor);
        if (group is null) return CommandResult.Fail("", "Uw account hoort niet bij een organisatie. Vraag de beheerder om uw wens in te voeren.");

        var wishId = await connection.ExecuteScalarAsync<long>("""
            insert into planning_wishes (round_id, centre_id, organisation_id, group_name, contact_name, contact_email, activity, category, target_groups,
                                         participants, facilities, accessibility, frequency, duration_minutes, is_public, remarks, status,
                                         submitted_by_user_id, created_at, updated_at)
            values (@RoundId, @CentreId, @OrganisationId, @GroupName, @ContactName, @ContactEmail, @Activity, @Category, @targetGroups,
                    @Participants, @facilities, @accessibility, @Frequency, @DurationMinutes, @IsPublic, @Remarks, 'ingediend',
                    @userId, @now, @now)
            returning id
            """, new
        {
            form.RoundId, form.CentreId, group.OrganisationId, group.GroupName, group.ContactName, group.ContactEmail, form.Activity, form.Category,
            targetGroups = form.TargetGroups.ToArray(), form.Participants, facilities = form.Facilities.ToArray(),
            accessibility = form.Accessibility.ToArray(), form.Frequency, form.DurationMinutes, form.IsPublic, form.Remarks, userId = actor.UserId, now,
        }, transaction);
        await ReplaceOptionsAsync(connection, transaction, wishId, form);
        await transaction.CommitAsync();
        form.WishId = wishId;
        return CommandResult.Ok();
    }

    /// <summary>The caller has checked that the actor may change this wish (own organisation, or a centre the beheerder manages).</summary>
    public async Task<CommandResult> UpdateAsync(WishRow wish, WishForm form, WishActor actor)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await PhaseErrorAsync(connection, transaction, wish.RoundId, actor) is { } error) return CommandResult.Fail("", error);
        var group = actor.IsStaff
            ? await GroupAsync(connection, transaction, form, actor)
            : new GroupIdentity(wish.OrganisationId, wish.GroupName, wish.ContactName, wish.ContactEmail);
        if (group is null) return CommandResult.Fail("", "Uw account hoort niet bij een organisatie.");

        var updated = await connection.ExecuteAsync("""
            update planning_wishes
            set centre_id = @CentreId, organisation_id = @OrganisationId, group_name = @GroupName, contact_name = @ContactName,
                contact_email = @ContactEmail, activity = @Activity, category = @Category, target_groups = @targetGroups, participants = @Participants,
                facilities = @facilities, accessibility = @accessibility, frequency = @Frequency, duration_minutes = @DurationMinutes,
                is_public = @IsPublic, remarks = @Remarks, updated_at = @now,
                continuity_answer = case when continuity_answer is null then null
                                         when @byGroup then 'gewijzigd'
                                         else coalesce(@answer, continuity_answer) end
            where id = @wishId and status = 'ingediend'
            """, new
        {
            form.CentreId, group.OrganisationId, group.GroupName, group.ContactName, group.ContactEmail, form.Activity, form.Category,
            targetGroups = form.TargetGroups.ToArray(), form.Participants, facilities = form.Facilities.ToArray(),
            accessibility = form.Accessibility.ToArray(), form.Frequency, form.DurationMinutes, form.IsPublic, form.Remarks, now,
            byGroup = !actor.IsStaff, answer = actor.IsStaff ? form.ContinuityAnswer : null, wishId = wish.Id,
        }, transaction);
        if (updated == 0) return CommandResult.Fail("", "Deze wens is ingetrokken en kan niet meer veranderen.");
        await ReplaceOptionsAsync(connection, transaction, wish.Id, form);
        await transaction.CommitAsync();
        return CommandResult.Ok();
    }

    /// <summary>Locks the round for share and says why saving is not possible now, or null when it is.</summary>
    public static async Task<string?> PhaseErrorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long roundId, WishActor actor,
        DateOnly? today = null)
    {
        var round = await connection.QuerySingleOrDefaultAsync<(string Phase, DateOnly? Deadline)?>(
            "select phase, wishes_deadline from planning_rounds where id = @roundId for share", new { roundId }, transaction);
        if (round is null) return "Deze ronde bestaat niet meer.";
        var (phase, deadline) = round.Value;
        if (actor.IsStaff)
        {
            return RoundPhase.Index(phase) < RoundPhase.Index(RoundPhase.Adopted) ? null
                : "De ronde is vastgesteld. Wensen veranderen niet meer.";
        }
        if (!RoundPhase.AcceptsWishes(phase)) return WishMessages.Closed;
        if (deadline is { } d && today is { } t && t > d) return WishMessages.PastDeadline(d);
        return null;
    }

    private async Task<string?> PhaseErrorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long roundId, WishActor actor) =>
        await PhaseErrorAsync(connection, transaction, roundId, actor, AmsterdamTime.Today(time));

    /// <summary>For a gebruiker: their organisation and their own name and address. For a beheerder: what the form says.</summary>
    private static async Task<GroupIdentity?> GroupAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, WishForm form, WishActor actor)
    {
        if (!actor.IsStaff)
        {
            return await connection.QuerySingleOrDefaultAsync<GroupIdentity>("""
                select o.id as organisation_id, o.name as group_name, u.display_name as contact_name, u.email as contact_email
                from users u join organisations o on o.id = u.organisation_id where u.id = @userId
                """, new { userId = actor.UserId }, transaction);
        }
        if (form.OrganisationId is { } organisationId)
        {
            var organisation = await connection.QuerySingleOrDefaultAsync<(string Name, string? Email)?>(
                "select name, contact_email from organisations where id = @organisationId", new { organisationId }, transaction);
            if (organisation is null) return null;
            return new GroupIdentity(organisationId, organisation.Value.Name, form.ContactName, form.ContactEmail ?? organisation.Value.Email);
        }
        return new GroupIdentity(null, form.GroupName!, form.ContactName, form.ContactEmail);
    }

    private static async Task ReplaceOptionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long wishId, WishForm form)
    {
        await connection.ExecuteAsync("delete from planning_wish_options where wish_id = @wishId", new { wishId }, transaction);
        foreach (var option in form.RankedOptions())
        {
            await connection.ExecuteAsync("""
                insert into planning_wish_options (wish_id, rank, room_id, weekday, earliest_start, latest_start)
                values (@wishId, @rank, @RoomId, @weekday, @EarliestStart, @LatestStart)
                """, new { wishId, rank = (short)option.Rank, option.RoomId, weekday = (short)option.Weekday!.Value, option.EarliestStart, option.LatestStart },
                transaction);
        }
    }
}

public static class WishMessages
{
    public const string Closed = "U kunt nu geen wensen indienen of veranderen: de ronde is niet open voor wensen.";

    public static string PastDeadline(DateOnly deadline) =>
        $"De uiterste datum voor wensen was {RoundText.Date(deadline)}. U kunt geen wensen meer indienen of veranderen. Neem contact op met de beheerder.";
}
