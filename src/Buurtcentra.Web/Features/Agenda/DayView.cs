using Buurtcentra.Web.Infrastructure.Auth;
using Npgsql;

namespace Buurtcentra.Web.Features.Agenda;

/// <summary>One confirmed use of a room on the day, as the gastvrouw at the desk reads it.</summary>
public sealed record DayEntry(long ReservationId, string Time, string Room, string Activity, string? Organisation,
    string? ContactName, string? ContactPhone, int Participants, bool NeedsKey);

public sealed record DayViewPage(AgendaCentre Centre, DateOnly Date, DatePick Pick, IReadOnlyList<string> OpeningHours,
    IReadOnlyList<string> ClosedReasons, IReadOnlyList<DayEntry> Entries, bool ShowContact)
{
    public string BaseUrl => $"/beheer/buurtcentra/{Centre.Id}";

    /// <summary>Repair visits and out-of-use periods of meldingen on the day (no personal data).</summary>
    public IReadOnlyList<DayMaintenance> Maintenance { get; init; } = [];
}

/// <summary>"09:00–11:00, Grote zaal: Onderhoud: Kapot of defect".</summary>
public sealed record DayMaintenance(string Time, string Room, string Title, string? Url);

/// <summary>
/// The day view for the desk: every confirmed occurrence of the day in time order, with room, activity, organisation,
/// participants and whether a key is needed. Contact person and phone number are shown to the centre's beheerders
/// (sociaal beheer, SMO-coördinator, functioneel beheer), not to Stadsbedrijven, who only read along (AVG: no more
/// personal data than the task needs). Null when the person may not view the centre or it does not exist.
/// </summary>
public sealed class DayViewQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<DayViewPage?> GetAsync(long centreId, DatePick pick)
    {
        if (!await access.CanViewAsync(centreId)) return null;
        var showContact = await access.CanManageAsync(centreId);
        var window = AgendaWindow.DayOf(pick.Day);
        await using var connection = await dataSource.OpenConnectionAsync();
        var data = await AgendaLoader.LoadAsync<OccurrenceRow>(connection, centreId, window, AgendaLoader.ByActivityWithDetails, ["bevestigd"]);
        if (data is null) return null;

        var rooms = data.Rooms.ToDictionary(r => r.Id, r => r.Name);
        var entries = data.Occurrences
            .Select(o => (o, time: AgendaDates.TimeOnDay(pick.Day, AgendaLoader.Utc(o.StartsAt), AgendaLoader.Utc(o.EndsAt))))
            .Where(x => x.time is not null)
            .Select(x => new DayEntry(x.o.ReservationId, x.time!, rooms.GetValueOrDefault(x.o.RoomId, "Onbekende ruimte"), x.o.Activity,
                x.o.OrganisationName, showContact ? x.o.ContactName : null, showContact ? x.o.ContactPhone : null, x.o.Participants, x.o.NeedsKey))
            .ToList();
        var hours = data.HoursOn(pick.Day).Select(h => $"{AgendaDates.Time(h.OpensAt)}–{AgendaDates.Time(h.ClosesAt)}").ToList();
        var maintenance = (await Meldingen.RepairVisits.InWindowAsync(connection, [centreId], null, window.FromUtc.UtcDateTime, window.ToUtc.UtcDateTime))
            .Select(x => new DayMaintenance(AgendaDates.TimeOnDay(pick.Day, AgendaLoader.Utc(x.StartsAt), AgendaLoader.Utc(x.EndsAt)) ?? "",
                rooms.GetValueOrDefault(x.RoomId, "Onbekende ruimte"), x.Title, x.Url))
            .ToList();
        return new DayViewPage(data.Centre, pick.Day, pick, hours, data.ClosedOn(pick.Day), entries, showContact) { Maintenance = maintenance };
    }
}
