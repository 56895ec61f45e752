using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>A room of the centre to choose from when changing or proposing.</summary>
public sealed record RoomChoice(long Id, string Name, int Capacity);

/// <summary>
/// New times and a room for dates a reservation already has (a move, a changed series, a proposal), checked like a
/// booking by a beheerder: all rules but the lead time. A closure on one of the dates, or a time that does not exist
/// on one of them (the night the clocks go forward), is a refusal here, not a skip, because the date is already part of
/// the reservation.
/// </summary>
public static class ChangePlanner
{
    public static async Task<BookingPlan> PlanAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r,
        long roomId, IReadOnlyList<DateOnly> dates, TimeOnly start, TimeOnly end, DateOnly today)
    {
        var sorted = dates.Order().ToList();
        var schedule = await RoomSchedule.LoadAsync(connection, transaction, roomId, sorted[0], sorted[^1]);
        if (schedule is null || schedule.Room.CentreId != r.CentreId)
        {
            return new BookingPlan([], [], [new RuleViolation("RoomId", $"Kies een ruimte van {r.CentreName}.")]);
        }
        var plan = BookingRules.Plan(schedule.Room, schedule.OpeningHours, schedule.Closures,
            new BookingRequest(sorted, start, end, r.Participants, IsStaff: true), today);
        var closed = plan.Skipped.Select(s => new RuleViolation(s.ClockChange ? "StartTime" : "Date", s.ClockChange
            ? $"Op {BookingRules.LongDate(s.Date)} kan het niet: {s.Reason}. Kies een andere tijd of annuleer die datum eerst."
            : $"Op {BookingRules.LongDate(s.Date)} is {schedule.Room.CentreName} gesloten ({s.Reason}). Annuleer die datum eerst of kies een andere tijd."));
        return plan with { Violations = plan.Violations.Concat(closed).ToList() };
    }

    /// <summary>
    /// Confirmed bookings of others in the way, or an out-of-use period of the room (a melding), as one Dutch sentence;
    /// null when the slots are free.
    /// </summary>
    public static async Task<string?> ConflictMessageAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long reservationId,
        long roomId, IReadOnlyList<PlannedOccurrence> planned)
    {
        var conflicts = await Occurrences.ConflictsAsync(connection, transaction, roomId, planned, reservationId);
        if (conflicts.Count == 0) return await Meldingen.RoomOutOfUse.MessageAsync(connection, transaction, roomId, planned.Slots());
        var listed = string.Join("; ", conflicts.Take(5).Select(ConflictMessages.Describe));
        var more = conflicts.Count > 5 ? $" en nog {conflicts.Count - 5} keer" : "";
        return $"De ruimte is dan al bezet: {listed}{more}. Kies een andere tijd of ruimte.";
    }

    public static async Task<IReadOnlyList<RoomChoice>> RoomsAsync(NpgsqlConnection connection, long centreId) =>
        (await connection.QueryAsync<RoomChoice>(
            "select id, name, capacity from rooms where centre_id = @centreId and active order by name", new { centreId })).ToList();

    /// <summary>"dinsdag 2 maart 2027 19:00–21:00 (Grote zaal)".</summary>
    public static string Describe(OccurrenceRow o) =>
        $"{BookingRules.LongDate(DateOnly.FromDateTime(o.LocalStart))} {o.LocalStart:HH:mm}–{o.LocalEnd:HH:mm} ({o.RoomName})";
}
