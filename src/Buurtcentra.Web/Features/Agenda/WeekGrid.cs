using Buurtcentra.Web.Infrastructure.Auth;
using Npgsql;

namespace Buurtcentra.Web.Features.Agenda;

/// <summary>One reservation as a line in a cell of the week grid, or maintenance (a melding's repair visit or out-of-use period).</summary>
public sealed record WeekBlock(long ReservationId, string Time, string Activity, string? Organisation, bool Pending)
{
    /// <summary>"Onderhoud: …" or "Buiten gebruik: …" from Meldingen; no reservation behind it.</summary>
    public bool Maintenance { get; init; }

    /// <summary>For maintenance: the melding's staff page (null when the period has no melding).</summary>
    public string? MeldingUrl { get; init; }

    /// <summary>Pending requests open the request screen; confirmed use opens the reservation; maintenance the melding.</summary>
    public string? Url => Maintenance ? MeldingUrl : $"/beheer/reserveringen/{ReservationId}";
}

public sealed record WeekRoomRow(AgendaRoom Room, IReadOnlyList<IReadOnlyList<WeekBlock>> Days);

public sealed record WeekDay(DateOnly Date, IReadOnlyList<string> ClosedReasons);

public sealed record WeekGridPage(AgendaCentre Centre, AgendaWindow Week, DatePick Pick, IReadOnlyList<WeekDay> Days,
    IReadOnlyList<WeekRoomRow> Rooms, int ConfirmedCount, int PendingCount)
{
    public int WeekNumber => AgendaDates.WeekNumber(Week.FirstDay);
    public string BaseUrl => $"/beheer/buurtcentra/{Centre.Id}";

    /// <summary>"Deze week: 3 reserveringen en 1 aanvraag die nog beoordeeld moet worden."</summary>
    public string Summary =>
        $"Deze week: {ConfirmedCount} {(ConfirmedCount == 1 ? "reservering" : "reserveringen")} en {PendingCount} "
        + $"{(PendingCount == 1 ? "aanvraag die nog beoordeeld moet" : "aanvragen die nog beoordeeld moeten")} worden.";
}

/// <summary>What the date field asked for: the day to show, what to put back in the field, and an error for bad input.</summary>
public sealed record DatePick(DateOnly Day, string Input, string? Error)
{
    public static DatePick From(string? datum, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(datum)) return Today(time);
        return AgendaDates.TryParseDate(datum, out var day)
            ? new DatePick(day, AgendaDates.IsoDate(day), null)
            : Today(time) with { Input = datum.Length > 20 ? datum[..20] : datum, Error = AgendaDates.DateError };
    }

    private static DatePick Today(TimeProvider time)
    {
        var today = Infrastructure.Time.AmsterdamTime.Today(time);
        return new DatePick(today, AgendaDates.IsoDate(today), null);
    }
}

/// <summary>
/// The week grid of one centre for staff: rooms × maandag–zondag, confirmed use and pending requests (cancelled and
/// rejected ones are not shown). Null when the person may not view the centre or it does not exist.
/// Two round trips: the access check and one batch.
/// </summary>
public sealed class WeekGridQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<WeekGridPage?> GetAsync(long centreId, DatePick pick)
    {
        if (!await access.CanViewAsync(centreId)) return null;
        var week = AgendaWindow.WeekOf(pick.Day);
        await using var connection = await dataSource.OpenConnectionAsync();
        var data = await AgendaLoader.LoadAsync<OccurrenceRow>(connection, centreId, week, AgendaLoader.ByActivityWithDetails,
            ["bevestigd", "aangevraagd"]);
        if (data is null) return null;

        // Repair visits and out-of-use periods of a melding ("Onderhoud: …"), without personal data.
        var maintenance = (await Meldingen.RepairVisits.InWindowAsync(connection, [centreId], null, week.FromUtc.UtcDateTime, week.ToUtc.UtcDateTime))
            .ToLookup(x => x.RoomId);
        var byRoom = data.Occurrences.ToLookup(o => o.RoomId);
        var rows = data.Rooms
            .Where(r => r.Active || byRoom[r.Id].Any())
            .Select(room => new WeekRoomRow(room, week.Days
                .Select(day => (IReadOnlyList<WeekBlock>)byRoom[room.Id]
                    .Select(o => (start: o.StartsAt, time: AgendaDates.TimeOnDay(day, AgendaLoader.Utc(o.StartsAt), AgendaLoader.Utc(o.EndsAt)),
                        block: new WeekBlock(o.ReservationId, "", o.Activity, o.OrganisationName, o.Status == "aangevraagd")))
                    .Concat(maintenance[room.Id].Select(x => (start: x.StartsAt,
                        time: AgendaDates.TimeOnDay(day, AgendaLoader.Utc(x.StartsAt), AgendaLoader.Utc(x.EndsAt)),
                        block: new WeekBlock(0, "", x.Title, null, false) { Maintenance = true, MeldingUrl = x.Url })))
                    .Where(x => x.time is not null)
                    .OrderBy(x => x.start)
                    .Select(x => x.block with { Time = x.time! })
                    .ToList())
                .ToList()))
            .ToList();
        var days = week.Days.Select(d => new WeekDay(d, data.ClosedOn(d))).ToList();
        return new WeekGridPage(data.Centre, week, pick, days, rows,
            data.Occurrences.Count(o => o.Status == "bevestigd"), data.Occurrences.Count(o => o.Status == "aangevraagd"));
    }
}

/// <summary>The date field of an overview: where it goes, its label and button text.</summary>
public sealed record DatePickerModel(string Action, string Label, string Button, DatePick Pick);
