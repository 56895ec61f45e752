using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Agenda;

/// <summary>
/// Reservations and occurrences for the overview tests, written straight into the database. Local times are turned
/// into UTC by PostgreSQL ("at time zone 'Europe/Amsterdam'"), independently of the app's own conversion.
/// </summary>
internal sealed class AgendaData(TestData data)
{
    public async Task<long> ReservationAsync(long centreId, long roomId, string activity, string status = "bevestigd",
        long? organisationId = null, string contactName = "Jan de Contact", string? contactPhone = "06 1234 5678",
        bool needsKey = false, int participants = 12) =>
        await data.ScalarAsync<long>("""
            insert into reservations (centre_id, room_id, organisation_id, contact_name, contact_email, contact_phone, activity,
                                      category, participants, needs_key, tariff, status, created_at, updated_at)
            values (@centreId, @roomId, @organisationId, @contactName, 'contact@test.example', @contactPhone, @activity,
                    'bewonersinitiatief', @participants, @needsKey, 'om_niet', @status, now(), now())
            returning id
            """, new { centreId, roomId, organisationId, contactName, contactPhone, activity, participants, needsKey, status });

    /// <summary>One occurrence on a local date and local times; the room is held <paramref name="cleanupMinutes"/> longer.</summary>
    public async Task<long> OccurrenceAsync(long reservationId, long roomId, DateOnly date, TimeOnly start, TimeOnly end,
        string status = "bevestigd", int setupMinutes = 0, int cleanupMinutes = 15) =>
        await data.ScalarAsync<long>("""
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
            select @reservationId, @roomId, @date, s, e, s - make_interval(mins => @setupMinutes), e + make_interval(mins => @cleanupMinutes), @status, now()
            from (select (@date + @start) at time zone 'Europe/Amsterdam' as s,
                         (case when @end <= @start then @date + 1 else @date end + @end) at time zone 'Europe/Amsterdam' as e) t
            returning id
            """, new { reservationId, roomId, date, start, end, status, setupMinutes, cleanupMinutes });

    /// <summary>A reservation with one occurrence of the same status; returns the reservation id.</summary>
    public async Task<long> BookAsync(long centreId, long roomId, string activity, DateOnly date, TimeOnly start, TimeOnly end,
        string status = "bevestigd", long? organisationId = null, string contactName = "Jan de Contact", string? contactPhone = "06 1234 5678",
        bool needsKey = false, int participants = 12)
    {
        var reservationId = await ReservationAsync(centreId, roomId, activity, status, organisationId, contactName, contactPhone, needsKey, participants);
        await OccurrenceAsync(reservationId, roomId, date, start, end, status);
        return reservationId;
    }

    public Task<string> SlugAsync(long centreId) =>
        data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });

    public Task<long> ClosureAsync(long? centreId, DateOnly startsOn, DateOnly endsOn, string reason) =>
        data.ScalarAsync<long>("""
            insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
            values (@centreId, @startsOn, @endsOn, 'overig', @reason, now()) returning id
            """, new { centreId, startsOn, endsOn, reason });

    public static async Task<Browser> StaffAsync(AppFactory app, TestData data, string role, long? organisationId = null, long[]? centreIds = null)
    {
        var browser = new Browser(app);
        await browser.SignInAsync(await data.EmailOfAsync(await data.UserAsync(role, organisationId, centreIds)));
        return browser;
    }

    /// <summary>A gebruiker signs in with a one-time link from the mail folder.</summary>
    public static async Task<Browser> GebruikerAsync(AppFactory app, TestData data)
    {
        var email = await data.EmailOfAsync(await data.UserAsync("gebruiker"));
        var browser = new Browser(app);
        await browser.SignInWithLinkAsync(app, email);
        return browser;
    }
}
