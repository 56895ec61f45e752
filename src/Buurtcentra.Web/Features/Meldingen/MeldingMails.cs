using Buurtcentra.Web.Infrastructure.Mail;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>
/// The mails a melding causes, written into the outbox inside the transaction of the change (docs/meldingen.md):
/// a confirmation with a link to the reporter; a new melding to the centre's beheerders; spoed at once to every active
/// Stadsbedrijven account (and Meldingen:SpoedAddress when set); each status change to the reporter, the people who
/// also have the problem, and the centre's beheerders. Dutch at B1 level.
/// </summary>
public sealed class MeldingMails(Outbox outbox, IConfiguration configuration, TimeProvider time)
{
    public async Task ReceivedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MeldingDetails m, string? email, string name,
        string link)
    {
        if (email is null) return;
        await SendAsync(connection, transaction, m, "melding_ontvangen", email, name,
            $"We hebben uw melding ontvangen: {m.Title}",
            [
                "Bedankt voor uw melding. Wij geven het door aan wie het oplost.",
                m.Urgency == "spoed" ? "U koos spoed. Stadsbedrijven heeft uw melding meteen gekregen." : "U krijgt een mail als er iets verandert.",
                "Met de knop hieronder ziet u hoe het met uw melding staat. Bewaar deze mail dus.",
            ], ("Uw melding bekijken", link));
    }

    public async Task FollowingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MeldingDetails m, string email, string name, string link)
    {
        await SendAsync(connection, transaction, m, "melding_ook_last", email, name,
            $"U volgt de melding: {m.Title}",
            [
                "U gaf aan dat u dit probleem ook heeft. Dank u wel, zo weten wij hoe belangrijk het is.",
                "U krijgt een mail als er iets verandert.",
            ], ("De melding bekijken", link));
    }

    /// <summary>A new melding: the centre's beheerders hear of it; spoed also goes to Stadsbedrijven at once.</summary>
    public async Task NewAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MeldingDetails m, MeldingLinks links)
    {
        foreach (var (email, name) in await BeheerdersAsync(connection, transaction, m.CentreId))
        {
            await SendAsync(connection, transaction, m, "melding_nieuw", email, name,
                $"{(m.Urgency == "spoed" ? "SPOED – " : "")}Nieuwe melding: {m.Title}",
                [$"Er is een nieuwe melding voor {m.CentreName}."], ("Melding bekijken", links.Werkbak(m.Id)));
        }
        if (m.Urgency != "spoed") return;
        var recipients = (await connection.QueryAsync<(string Email, string DisplayName)>(
            "select email, display_name from users where role = 'stadsbedrijven' and active order by id", transaction: transaction)).ToList();
        if (configuration["Meldingen:SpoedAddress"] is { Length: > 0 } extra && recipients.All(r => !string.Equals(r.Email, extra, StringComparison.OrdinalIgnoreCase)))
        {
            recipients.Add((extra, "Stadsbedrijven"));
        }
        foreach (var (email, name) in recipients)
        {
            await SendAsync(connection, transaction, m, "melding_spoed", email, name,
                $"SPOED: {m.Title}",
                [
                    $"Er is een spoedmelding voor {m.Where}.",
                    $"Streeftijd: opgelost vóór {ResponseClock.LocalText(MeldingDetails.Utc(m.DueAt))}.",
                ], ("Melding in de werkbak", links.Werkbak(m.Id)));
        }
    }

    /// <summary>A status change: the reporter, followers and beheerders (not the person who made the change).</summary>
    public async Task StatusChangedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MeldingDetails m, MeldingLinks links,
        string? reporterLink, string? note, long? changedByUserId)
    {
        var status = MeldingStatus.Name(m.Status);
        var paragraphs = new List<string> { $"De status van de melding is nu: {status}." };
        switch (m.Status)
        {
            case MeldingStatus.InProgress:
                paragraphs.Add($"Het werk is gepland op {PlannedText(m)}.");
                break;
            case MeldingStatus.Solved:
                paragraphs.Add("Is het probleem echt opgelost? Sluit de melding dan via de knop hieronder. Is het niet opgelost? Dan kunt u de melding daar opnieuw openen.");
                break;
            case MeldingStatus.Rejected:
            case MeldingStatus.Reopened:
                paragraphs.Add($"De reden: {m.StatusReason}");
                break;
        }
        if (!string.IsNullOrWhiteSpace(note)) paragraphs.Add($"Toelichting: {note}");
        var subject = $"{status}: {m.Title}";

        var sent = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var changerEmail = changedByUserId is null ? null
            : await connection.ExecuteScalarAsync<string?>("select email from users where id = @changedByUserId", new { changedByUserId }, transaction);
        if (changerEmail is not null) sent.Add(changerEmail);

        if (m.ReporterEmail is not null && reporterLink is not null && sent.Add(m.ReporterEmail))
        {
            await SendAsync(connection, transaction, m, "melding_status", m.ReporterEmail, m.ReporterName, subject, paragraphs, ("Uw melding bekijken", reporterLink));
        }
        var followers = await connection.QueryAsync<(long Id, string Email, string Name, long? UserId)>(
            "select id, email, name, user_id from melding_followers where melding_id = @id order by id", new { id = m.Id }, transaction);
        foreach (var f in followers)
        {
            if (!sent.Add(f.Email)) continue;
            var link = f.UserId is not null ? links.Own(m.Id)
                : links.Private(await MeldingAccessQuery.NewLinkAsync(connection, transaction, m.Id, f.Id, time.GetUtcNow()));
            // Followers only see the status: closing is for the reporter.
            var forFollower = m.Status == MeldingStatus.Solved ? paragraphs.Where(p => !p.StartsWith("Is het probleem", StringComparison.Ordinal)).ToList() : paragraphs;
            await SendAsync(connection, transaction, m, "melding_status", f.Email, f.Name, subject, forFollower, ("De melding bekijken", link));
        }
        foreach (var (email, name) in await BeheerdersAsync(connection, transaction, m.CentreId))
        {
            if (!sent.Add(email)) continue;
            await SendAsync(connection, transaction, m, "melding_status", email, name, subject, paragraphs, ("Melding bekijken", links.Werkbak(m.Id)));
        }
    }

    public static string PlannedText(MeldingDetails m) =>
        m.PlannedOn is null ? "nog niet gepland"
            : $"{m.PlannedOn.Value.ToString("dddd d MMMM yyyy", new System.Globalization.CultureInfo("nl-NL"))} ({m.Assignee})";

    /// <summary>The sociaal beheerders of the centre (the SMO's staff who look after it).</summary>
    public static async Task<IEnumerable<(string Email, string DisplayName)>> BeheerdersAsync(NpgsqlConnection connection,
        NpgsqlTransaction? transaction, long centreId) =>
        await connection.QueryAsync<(string Email, string DisplayName)>("""
            select u.email, u.display_name from users u join user_centres uc on uc.user_id = u.id
            where uc.centre_id = @centreId and u.active and u.role = 'sociaal_beheerder'
            order by u.id
            """, new { centreId }, transaction);

    private async Task SendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MeldingDetails m, string kind,
        string to, string toName, string subject, IReadOnlyList<string> paragraphs, (string Text, string Url)? action)
    {
        var (text, html) = MailTemplate.Compose(toName, paragraphs, Facts(m), action);
        await outbox.EnqueueAsync(connection, transaction, new OutboxMail(kind, to, toName, subject, text, html) { CentreId = m.CentreId });
    }

    public static IReadOnlyList<(string Label, string Value)> Facts(MeldingDetails m) =>
    [
        ("Wat", $"{MeldingCodes.CategoryName(m.Category)} ({MeldingCodes.KindName(m.Kind).ToLowerInvariant()})"),
        ("Waar", m.Where),
        ("Urgentie", MeldingCodes.UrgencyName(m.Urgency)),
        ("Omschrijving", m.Description),
        ("Status", MeldingStatus.Name(m.Status)),
        ("Nummer", m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
