using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Programme;

/// <summary>
/// Reservations and occurrences for the programme tests, written straight into the database with full personal data
/// (contact name, e-mail, phone, organisation) so the tests can check none of it reaches the public pages. Local
/// times are turned into UTC by PostgreSQL ("at time zone 'Europe/Amsterdam'"), independently of the app.
/// </summary>
internal sealed class ProgrammeData(TestData data)
{
    public const string ContactName = "Karel Privé-Jansen";
    public const string ContactEmail = "karel.prive@voorbeeld.nl";
    public const string ContactPhone = "06 9876 5432";

    /// <summary>A reservation with one occurrence on a local date and times; returns the occurrence id.</summary>
    public async Task<long> ActivityAsync(long centreId, long roomId, string activity, DateOnly date, TimeOnly start, TimeOnly end,
        bool isPublic = true, string status = "bevestigd", string? occurrenceStatus = null, long? organisationId = null,
        string[]? targetGroups = null)
    {
        var reservationId = await data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, organisation_id, contact_name, contact_email, contact_phone, activity,
                                      category, participants, target_groups, is_public, tariff, status, created_at, updated_at)
            values (@centreId, @roomId, @organisationId, @ContactName, @ContactEmail, @ContactPhone, @activity,
                    'bewonersinitiatief', 12, @targetGroups, @isPublic, 'om_niet', @status, now(), now())
            returning id
            """, new { centreId, roomId, organisationId, ContactName, ContactEmail, ContactPhone, activity, isPublic, status,
                targetGroups = targetGroups ?? [] });
        return await data.ScalarAsync<long>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            select @reservationId, @roomId, @date, s, e, s, e + interval '15 minutes', @occurrenceStatus, now()
            from (select (@date + @start) at time zone 'Europe/Amsterdam' as s,
                         (case when @end <= @start then @date + 1 else @date end + @end) at time zone 'Europe/Amsterdam' as e) t
            returning id
            """, new { reservationId, roomId, date, start, end, occurrenceStatus = occurrenceStatus ?? status });
    }

    public Task<string> SlugAsync(long centreId) =>
        data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
}
