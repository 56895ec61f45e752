using System.Globalization;
using Buurtcentra.Web.Infrastructure.Mail;
using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>What one run of the digest did: centres handled by this run and mails put into the outbox.</summary>
public sealed record DigestOutcome(int Centres, int Mails);

/// <summary>
/// The daily digest of open meldingen per centre to its SMO (docs/meldingen.md): from the configured time (standard
/// 07:00 Europe/Amsterdam) on, each centre with open meldingen gets one mail per day to its SMO's contact address and
/// the SMO-coördinatoren of that SMO. "Once a day" is a row in melding_digests (centre, local date) written in the same
/// transaction as the mails: a second app instance waits for the first one's row and then skips the centre, and a
/// restart later in the day finds the row. A run before the time, or a second run on the same day, does nothing.
/// Without personal data: no reporters, no descriptions; the werkbak has the rest.
/// Called by <see cref="MeldingDigestService"/>; tests call <see cref="RunAsync"/> with a fake clock.
/// </summary>
public sealed class MeldingDigestHandler(NpgsqlDataSource dataSource, TimeProvider time, Outbox outbox, IConfiguration configuration)
{
    public static readonly TimeOnly StandardSendAt = new(7, 0);

    /// <summary>At most this many meldingen are listed in one mail; the rest is a count and a link.</summary>
    public const int MaxListed = 40;

    private static readonly CultureInfo Dutch = new("nl-NL");

    /// <summary>Meldingen:DigestAt ("07:00"), Utrecht time.</summary>
    public TimeOnly SendAt => TimeOnly.TryParseExact(configuration["Meldingen:DigestAt"], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
        ? at : StandardSendAt;

    private sealed record OpenMelding(long Id, string? RoomName, string Category, string Urgency, string Status, DateOnly? PlannedOn, DateTime DueAt);

    private sealed record Recipient(string Email, string Name);

    public async Task<DigestOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var local = AmsterdamTime.ToLocal(now);
        if (TimeOnly.FromDateTime(local) < SendAt) return new DigestOutcome(0, 0);
        var today = DateOnly.FromDateTime(local);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var centres = (await connection.QueryAsync<long>(new CommandDefinition("""
            select c.id from centres c
            where exists (select 1 from meldingen m where m.centre_id = c.id and m.status = any(@open))
              and not exists (select 1 from melding_digests d where d.centre_id = c.id and d.local_date = @today)
            order by c.id
            """, new { open = MeldingStatus.Open.ToArray(), today }, cancellationToken: cancellationToken))).ToList();
        var (done, mails) = (0, 0);
        foreach (var centreId in centres)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await CentreAsync(connection, centreId, today, now) is { } sent)
            {
                done++;
                mails += sent;
            }
        }
        return new DigestOutcome(done, mails);
    }

    /// <summary>One centre's digest in one transaction; null when another run already has (or is writing) today's.</summary>
    private async Task<int?> CentreAsync(NpgsqlConnection connection, long centreId, DateOnly today, DateTimeOffset now)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var claimed = await connection.ExecuteScalarAsync<bool?>("""
            insert into melding_digests (centre_id, local_date, open_count, recipients, created_at)
            values (@centreId, @today, 0, 0, @now)
            on conflict (centre_id, local_date) do nothing
            returning true
            """, new { centreId, today, now }, transaction);
        if (claimed is null) return null;

        var centre = await connection.QuerySingleAsync<(string Name, long SmoId, string SmoName, string? SmoEmail)>("""
            select c.name, c.smo_id, o.name, o.contact_email from centres c join organisations o on o.id = c.smo_id where c.id = @centreId
            """, new { centreId }, transaction);
        var open = (await connection.QueryAsync<OpenMelding>("""
            select m.id, r.name as room_name, m.category, m.urgency, m.status, m.planned_on, m.due_at
            from meldingen m left join rooms r on r.id = m.room_id
            where m.centre_id = @centreId and m.status = any(@open)
            order by m.due_at, m.id
            """, new { centreId, open = MeldingStatus.Open.ToArray() }, transaction)).ToList();
        var recipients = new List<Recipient>();
        if (centre.SmoEmail is { Length: > 0 } smoEmail) recipients.Add(new Recipient(smoEmail, centre.SmoName));
        recipients.AddRange(await connection.QueryAsync<Recipient>("""
            select email, display_name as name from users where role = 'smo_coordinator' and organisation_id = @smoId and active order by id
            """, new { smoId = centre.SmoId }, transaction));
        recipients = recipients.DistinctBy(r => r.Email.ToLowerInvariant()).ToList();

        if (open.Count > 0)
        {
            var late = open.Count(m => MeldingDetails.Utc(m.DueAt) < now);
            var subject = $"Dagoverzicht meldingen {centre.Name}: {open.Count} open{(late > 0 ? $", {late} te laat" : "")}";
            var paragraphs = new List<string>
            {
                $"Dit zijn de open meldingen in {centre.Name} op {today.ToString("dddd d MMMM yyyy", Dutch)}.",
                string.Join("\n", open.Take(MaxListed).Select(m => Line(m, now))),
            };
            if (open.Count > MaxListed) paragraphs.Add($"En nog {open.Count - MaxListed} andere meldingen. U ziet ze allemaal in de werkbak.");
            paragraphs.Add("U krijgt dit overzicht elke ochtend zolang er open meldingen zijn. Stadsbedrijven lost de meldingen op; de beheerders van het buurtcentrum volgen ze.");
            var baseUrl = configuration["App:PublicBaseUrl"];
            (string, string)? action = baseUrl is { Length: > 0 }
                ? ("Open meldingen in de werkbak", $"{baseUrl.TrimEnd('/')}/beheer/meldingen?centrum={centreId}&status=open")
                : null;
            if (action is null) paragraphs.Add("U vindt de meldingen in Buurtcentra onder Meldingen.");
            foreach (var r in recipients)
            {
                var (text, html) = MailTemplate.Compose(r.Name, paragraphs,
                    [("Buurtcentrum", centre.Name), ("Open meldingen", open.Count.ToString(CultureInfo.InvariantCulture)),
                     ("Te laat", late.ToString(CultureInfo.InvariantCulture))], action);
                await outbox.EnqueueAsync(connection, transaction, new OutboxMail("melding_dagoverzicht", r.Email, r.Name, subject, text, html) { CentreId = centreId });
            }
        }
        await connection.ExecuteAsync("""
            update melding_digests set open_count = @openCount, recipients = @recipients where centre_id = @centreId and local_date = @today
            """, new { centreId, today, openCount = open.Count, recipients = open.Count == 0 ? 0 : recipients.Count }, transaction);
        await transaction.CommitAsync();
        return open.Count == 0 ? 0 : recipients.Count;
    }

    /// <summary>"Melding 12: Kapot of defect, Grote zaal. Spoed, in behandeling (gepland op 1 december 2026), nog 3 uur."</summary>
    private static string Line(OpenMelding m, DateTimeOffset now)
    {
        var where = m.RoomName is null ? "" : $", {m.RoomName}";
        var planned = m.Status == MeldingStatus.InProgress && m.PlannedOn is { } on ? $" (gepland op {on.ToString("d MMMM yyyy", Dutch)})" : "";
        var clock = ResponseClock.State(MeldingDetails.Utc(m.DueAt), now, null).Text;
        return $"Melding {m.Id}: {MeldingCodes.CategoryName(m.Category)}{where}. {MeldingCodes.UrgencyName(m.Urgency)}, "
            + $"{MeldingStatus.Name(m.Status).ToLowerInvariant()}{planned}, {clock}.";
    }
}

/// <summary>
/// Runs <see cref="MeldingDigestHandler"/> every few minutes (the handler decides whether it is time and whether a
/// centre still needs today's digest), so a restart or a late start still sends the day's digest, once. "Now" and the
/// waiting come from <see cref="TimeProvider"/>. Meldingen:DigestEnabled=false switches it off (appsettings.Testing.json
/// does: tests drive the handler themselves).
/// </summary>
public sealed partial class MeldingDigestService(IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration,
    ILogger<MeldingDigestService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromMinutes(1);

    public bool Enabled => configuration.GetValue("Meldingen:DigestEnabled", true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            LogDisabled();
            return;
        }
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = Interval;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<MeldingDigestHandler>().RunAsync(stoppingToken);
                if (outcome.Centres > 0) LogSent(outcome.Centres, outcome.Mails);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogRoundFailed(e);
                pause = PauseAfterError;
            }
            try
            {
                await Task.Delay(pause, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Daily meldingen digest is disabled (Meldingen:DigestEnabled=false).")]
    private partial void LogDisabled();

    [LoggerMessage(LogLevel.Information, "Daily meldingen digest: {Centres} centres, {Mails} mails put into the outbox.")]
    private partial void LogSent(int centres, int mails);

    [LoggerMessage(LogLevel.Warning, "Daily meldingen digest round failed; trying again shortly.")]
    private partial void LogRoundFailed(Exception exception);
}
