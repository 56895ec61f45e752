using Buurtcentra.Web.Features.Tariffs;
using Buurtcentra.Web.Infrastructure.Mail;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// The mails a reservation causes, written into the outbox inside the transaction of the change.
/// Dutch at B1 level: short sentences, the facts in a list, one clear next step.
/// </summary>
public sealed class ReservationMails(Outbox outbox, TimeProvider time)
{
    public async Task RequestReceivedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link)
    {
        if (r.ContactEmail is null) return;
        await SendAsync(connection, transaction, r, "aanvraag_ontvangen", r.ContactEmail, r.ContactName,
            $"We hebben uw aanvraag ontvangen: {r.Activity}",
            [
                $"Bedankt voor uw aanvraag voor {r.Activity} in {r.CentreName}.",
                "De sociaal beheerder bekijkt uw aanvraag. U krijgt binnen een paar werkdagen een mail of het kan.",
                "Let op: uw aanvraag is pas zeker als u die mail heeft.",
            ], ("Uw aanvraag bekijken", link), calendar: null);
    }

    public async Task NewRequestToBeheerdersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link)
    {
        foreach (var (email, name) in await BeheerdersAsync(connection, transaction, r.CentreId))
        {
            await SendAsync(connection, transaction, r, "nieuwe_aanvraag", email, name,
                $"Nieuwe aanvraag: {r.Activity} in {r.RoomName}",
                [$"{r.ContactName}{(r.OrganisationName is null ? "" : $" ({r.OrganisationName})")} vraagt {r.RoomName} in {r.CentreName} aan."],
                ("Aanvraag beoordelen", link), calendar: null);
        }
    }

    public async Task ConfirmEmailAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link)
    {
        await SendAsync(connection, transaction, r, "e_mail_bevestigen", r.ContactEmail!, r.ContactName,
            "Bevestig uw e-mailadres voor uw aanvraag",
            [
                $"U vroeg een ruimte aan in {r.CentreName} voor {r.Activity}.",
                "Klik op de knop hieronder om uw e-mailadres te bevestigen. Pas dan sturen we uw aanvraag naar de beheerder.",
                "Met dezelfde link kunt u later zien hoe het met uw aanvraag staat. Bewaar deze mail dus.",
                "Heeft u niets aangevraagd? Dan kunt u deze mail negeren.",
            ], ("E-mailadres bevestigen", link), calendar: null);
    }

    public async Task ConfirmedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link, string? note)
    {
        if (r.ContactEmail is null) return;
        var paragraphs = new List<string> { $"Goed nieuws: uw reservering voor {r.Activity} in {r.CentreName} is bevestigd." };
        if (note is not null) paragraphs.Add($"De beheerder schrijft: {note}");
        if (r.NeedsKey) paragraphs.Add("U heeft een sleutel nodig. Maak met de beheerder een afspraak om de sleutel op te halen.");
        paragraphs.Add("In de bijlage vindt u een uitnodiging voor uw agenda.");
        await SendAsync(connection, transaction, r, "bevestigd", r.ContactEmail, r.ContactName,
            $"Bevestigd: {r.Activity} in {r.CentreName}", paragraphs, ("Uw reservering bekijken", link),
            ReservationInvitation.Request(r, time.GetUtcNow()));
    }

    public async Task RejectedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link, string reason)
    {
        if (r.ContactEmail is null) return;
        await SendAsync(connection, transaction, r, "afgewezen", r.ContactEmail, r.ContactName,
            $"Uw aanvraag kan niet doorgaan: {r.Activity}",
            [
                $"Helaas kan uw aanvraag voor {r.Activity} in {r.CentreName} niet doorgaan.",
                $"De reden: {reason}",
                "Zoek een andere ruimte of tijd op de website, of neem contact op met de beheerder.",
            ], ("Uw aanvraag bekijken", link), calendar: null);
    }

    public async Task ProposedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link, string? note)
    {
        if (r.ContactEmail is null) return;
        var paragraphs = new List<string>
        {
            $"De beheerder van {r.CentreName} stelt voor om {r.Activity} te houden in {r.RoomName}: {r.When}.",
        };
        if (note is not null) paragraphs.Add($"De beheerder schrijft: {note}");
        paragraphs.Add("Past dit voorstel? Neem het aan via de knop hieronder. Past het niet? Dan kunt u het daar ook afwijzen.");
        await SendAsync(connection, transaction, r, "voorstel", r.ContactEmail, r.ContactName,
            $"Voorstel voor uw aanvraag: {r.Activity}", paragraphs, ("Voorstel bekijken", link), calendar: null);
    }

    public async Task ChangedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link, string what,
        string? note)
    {
        if (r.ContactEmail is null || r.Status != ReservationStatus.Confirmed) return;
        var paragraphs = new List<string> { $"Uw reservering voor {r.Activity} in {r.CentreName} is gewijzigd.", what };
        if (note is not null) paragraphs.Add($"De beheerder schrijft: {note}");
        paragraphs.Add("De uitnodiging in de bijlage werkt uw agenda bij.");
        await SendAsync(connection, transaction, r, "gewijzigd", r.ContactEmail, r.ContactName,
            $"Gewijzigd: {r.Activity} in {r.CentreName}", paragraphs, ("Uw reservering bekijken", link), ReservationInvitation.Request(r, time.GetUtcNow()));
    }

    /// <summary>The requester answered a proposal: the beheerders hear it (an accepted one also confirms the reservation).</summary>
    public async Task ProposalAnsweredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link,
        bool accepted, string? reason)
    {
        foreach (var (email, name) in await BeheerdersAsync(connection, transaction, r.CentreId))
        {
            var paragraphs = accepted
                ? new List<string> { $"{r.ContactName} heeft uw voorstel aangenomen. De reservering voor {r.Activity} is nu bevestigd." }
                : [$"{r.ContactName} heeft uw voorstel voor {r.Activity} niet aangenomen. De aanvraag staat weer bij de nieuwe aanvragen.",
                   reason is null ? "Er is geen reden gegeven. Neem contact op of doe een ander voorstel." : $"De reden: {reason}"];
            await SendAsync(connection, transaction, r, accepted ? "voorstel_aanvaard" : "voorstel_afgewezen", email, name,
                $"Voorstel {(accepted ? "aangenomen" : "niet aangenomen")}: {r.Activity}", paragraphs, ("Reservering bekijken", link), calendar: null);
        }
    }

    public async Task CancelledAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string link, string what,
        bool wasConfirmed, bool cancelledByRequester)
    {
        if (r.ContactEmail is not null)
        {
            var calendar = !wasConfirmed ? null
                : r.Status == ReservationStatus.Cancelled ? ReservationInvitation.Cancel(r, time.GetUtcNow()) : ReservationInvitation.Request(r, time.GetUtcNow());
            await SendAsync(connection, transaction, r, "geannuleerd", r.ContactEmail, r.ContactName,
                $"Geannuleerd: {r.Activity} in {r.CentreName}",
                calendar is null ? [what] : [what, "De bijlage haalt de afspraak uit uw agenda."],
                ("Uw reservering bekijken", link), calendar);
        }
        if (cancelledByRequester)
        {
            foreach (var (email, name) in await BeheerdersAsync(connection, transaction, r.CentreId))
            {
                await SendAsync(connection, transaction, r, "geannuleerd_door_aanvrager", email, name,
                    $"Geannuleerd door {r.ContactName}: {r.Activity}", [what], null, calendar: null);
            }
        }
    }

    private static async Task<IEnumerable<(string Email, string DisplayName)>> BeheerdersAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, long centreId) =>
        await connection.QueryAsync<(string Email, string DisplayName)>("""
            select u.email, u.display_name from users u join user_centres uc on uc.user_id = u.id
            where uc.centre_id = @centreId and u.active and u.role = 'sociaal_beheerder'
            order by u.id
            """, new { centreId }, transaction);

    private async Task SendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReservationDetails r, string kind,
        string to, string toName, string subject, IReadOnlyList<string> paragraphs, (string Text, string Url)? action, CalendarAttachment? calendar)
    {
        var (text, html) = MailTemplate.Compose(toName, paragraphs, Facts(r), action);
        await outbox.EnqueueAsync(connection, transaction, new OutboxMail(kind, to, toName, subject, text, html)
        {
            CentreId = r.CentreId,
            ReservationId = r.Id,
            Calendar = calendar,
        });
    }

    public static IReadOnlyList<(string Label, string Value)> Facts(ReservationDetails r)
    {
        var facts = new List<(string, string)>
        {
            ("Activiteit", r.Activity),
            ("Buurtcentrum", $"{r.CentreName}, {r.CentreAddress}"),
            ("Ruimte", r.RoomName),
            ("Wanneer", r.When),
            ("Aantal deelnemers", r.Participants.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Vergoeding", PriceText(r)),
        };
        if (r.Skipped.Count > 0)
        {
            facts.Add(("Niet op", string.Join("; ", r.Skipped.Select(s => $"{BookingRules.LongDate(s.Date)} ({s.Reason})"))));
        }
        facts.Add(("Nummer", r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return facts;
    }

    public static string PriceText(ReservationDetails r) => r.Tariff == Tariff.OmNiet
        ? r.Wederdienst is null ? "Om niet" : $"Om niet, in ruil voor: {r.Wederdienst}"
        : $"{r.TariffInfo.Describe()}, samen {Tariff.Euros(r.TotalCents)}";
}
