using Buurtcentra.Web.Infrastructure.Time;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>A new melding. The centre comes from the route or the chosen centre, never from the posted fields alone.</summary>
public sealed class MeldingForm
{
    public const int DescriptionMin = 10, DescriptionMax = 4000, NameMax = 120, EmailMax = 254;

    [BindNever] public long CentreId { get; set; }
    /// <summary>True for someone without an account: name and e-mail address are then required.</summary>
    [BindNever] public bool NeedsContact { get; set; }

    public long? RoomId { get; set; }
    public string? Category { get; set; }
    public string? Kind { get; set; }
    public string? Description { get; set; }
    public string? Urgency { get; set; }
    public string? ReporterName { get; set; }
    public string? ReporterEmail { get; set; }
    /// <summary>Set once the person saw the open meldingen for the same room and category and still wants to send.</summary>
    public bool DuplicatesSeen { get; set; }
    /// <summary>Up to three photos; checked and cleaned by <see cref="Photos"/> before they are stored.</summary>
    public List<IFormFile> Photos { get; set; } = [];

    public void Normalise()
    {
        Category = Category?.Trim();
        Kind = Kind?.Trim();
        Urgency = Urgency?.Trim();
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        ReporterName = string.IsNullOrWhiteSpace(ReporterName) ? null : ReporterName.Trim();
        ReporterEmail = string.IsNullOrWhiteSpace(ReporterEmail) ? null : ReporterEmail.Trim();
        if (RoomId is <= 0) RoomId = null;
    }
}

public sealed class MeldingFormValidator : AbstractValidator<MeldingForm>
{
    public MeldingFormValidator(NpgsqlDataSource dataSource)
    {
        RuleFor(f => f.RoomId)
            .MustAsync(async (f, roomId, ct) => roomId is null || await RoomOfCentreAsync(dataSource, roomId.Value, f.CentreId))
            .WithMessage("Kies een ruimte uit de lijst.");
        RuleFor(f => f.Category).Must(MeldingCodes.IsCategory).WithMessage("Kies wat voor probleem het is.");
        RuleFor(f => f.Kind).Must(MeldingCodes.IsKind).WithMessage("Kies of het technisch of facilitair is.");
        RuleFor(f => f.Urgency).Must(MeldingCodes.IsUrgency).WithMessage("Kies hoe dringend het is.");
        RuleFor(f => f.Description).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Beschrijf het probleem.")
            .MinimumLength(MeldingForm.DescriptionMin).WithMessage($"Beschrijf het probleem in minstens {MeldingForm.DescriptionMin} tekens.")
            .MaximumLength(MeldingForm.DescriptionMax)
            .WithMessage(f => $"De beschrijving mag niet langer zijn dan {MeldingForm.DescriptionMax} tekens. Nu zijn het er {f.Description?.Length}.");
        RuleFor(f => f.Photos).Must(p => p.Count(f => f.Length > 0) <= Meldingen.Photos.MaxCount)
            .WithMessage($"U kunt hoogstens {Meldingen.Photos.MaxCount} foto's meesturen.");
        When(f => f.NeedsContact, () =>
        {
            RuleFor(f => f.ReporterName).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Vul uw naam in.")
                .Length(2, MeldingForm.NameMax).WithMessage($"Uw naam moet 2 tot {MeldingForm.NameMax} tekens lang zijn.");
            RuleFor(f => f.ReporterEmail).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Vul uw e-mailadres in. Daar sturen we de link naar uw melding heen.")
                .MaximumLength(MeldingForm.EmailMax).WithMessage("Dit e-mailadres is te lang.")
                .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.");
        });
    }

    private static async Task<bool> RoomOfCentreAsync(NpgsqlDataSource dataSource, long roomId, long centreId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from rooms where id = @roomId and centre_id = @centreId and active)", new { roomId, centreId });
    }
}

/// <summary>"Ik heb dit ook" without an account: the name and e-mail address from the melding form.</summary>
public sealed class AlsoAffectedForm
{
    public string? ReporterName { get; set; }
    public string? ReporterEmail { get; set; }
    public string? Comment { get; set; }
    /// <summary>The report form's signed offer of the meldingen it showed (<see cref="AlsoAffectedHandler.Offer"/>).</summary>
    public string? Offer { get; set; }

    public void Normalise()
    {
        ReporterName = string.IsNullOrWhiteSpace(ReporterName) ? null : ReporterName.Trim();
        ReporterEmail = string.IsNullOrWhiteSpace(ReporterEmail) ? null : ReporterEmail.Trim();
    }
}

public sealed class AlsoAffectedFormValidator : AbstractValidator<AlsoAffectedForm>
{
    public AlsoAffectedFormValidator()
    {
        RuleFor(f => f.ReporterName).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul uw naam in.")
            .Length(2, MeldingForm.NameMax).WithMessage($"Uw naam moet 2 tot {MeldingForm.NameMax} tekens lang zijn.");
        RuleFor(f => f.ReporterEmail).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul uw e-mailadres in. Daar sturen we de link naar de melding heen.")
            .MaximumLength(MeldingForm.EmailMax).WithMessage("Dit e-mailadres is te lang.")
            .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.");
        RuleFor(f => f.Comment).MaximumLength(AddCommentHandler.Max).WithMessage($"Uw aanvulling mag niet langer zijn dan {AddCommentHandler.Max} tekens.");
    }
}

/// <summary>An open melding like the one being reported, shown before sending so people can add to it instead.</summary>
public sealed record SimilarMelding(long Id, string Description, string Status, DateTime CreatedAt, int AlsoAffected, string? RoomName)
{
    public string Summary => Description.Length <= 200 ? Description : Description[..200] + "…";
    public DateTime LocalCreated => AmsterdamTime.ToLocal(new DateTimeOffset(CreatedAt, TimeSpan.Zero));
}

/// <summary>Who reports: an account (name and e-mail from it) or a visitor with name and e-mail.</summary>
public sealed record Reporter(long? UserId, string Name, string? Email, string Role)
{
    /// <summary>As the actor of an event: staff keep their role next to their name.</summary>
    public MeldingViewer ToViewer() => new(Role switch
    {
        "beheerder" => MeldingActor.Beheerder,
        "stadsbedrijven" => MeldingActor.Stadsbedrijven,
        _ => MeldingActor.Reporter,
    }, false, Name, UserId);
}

public sealed record ReportOutcome(long MeldingId, string? Token);

/// <summary>
/// Stores a new melding with its deadline (target time of the urgency), its first event and, for a visitor, a private
/// link; writes the mails (confirmation, beheerders, spoed to Stadsbedrijven) in the same transaction.
/// </summary>
public sealed class ReportMeldingHandler(NpgsqlDataSource dataSource, TimeProvider time, MeldingMails mails)
{
    /// <summary>Open meldingen for the same room (or the centre without room) and category.</summary>
    public async Task<IReadOnlyList<SimilarMelding>> SimilarAsync(long centreId, long? roomId, string? category)
    {
        if (!MeldingCodes.IsCategory(category)) return [];
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<SimilarMelding>("""
            select m.id, m.description, m.status, m.created_at,
                   (select count(*)::int from melding_followers f where f.melding_id = m.id) as also_affected,
                   r.name as room_name
            from meldingen m left join rooms r on r.id = m.room_id
            where m.centre_id = @centreId and m.category = @category and m.room_id is not distinct from @roomId
              and m.status = any(@open)
            order by m.created_at desc
            limit 10
            """, new { centreId, roomId, category, open = MeldingStatus.Open.ToArray() });
        return rows.ToList();
    }

    public async Task<ReportOutcome> HandleAsync(MeldingForm form, Reporter reporter, string baseUrl, IReadOnlyList<ProcessedPhoto>? photos = null)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var target = await TargetTimesQuery.ForAsync(connection, transaction, form.Urgency!);
        var due = ResponseClock.Deadline(now, target);
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into meldingen (centre_id, room_id, category, kind, description, urgency, status, reporter_user_id, reporter_name,
                                   reporter_email, clock_started_at, due_at, created_at, updated_at)
            values (@CentreId, @RoomId, @Category, @Kind, @Description, @Urgency, 'nieuw', @userId, @name, @email, @now, @due, @now, @now)
            returning id
            """, new
        {
            form.CentreId, form.RoomId, form.Category, form.Kind, form.Description, form.Urgency,
            userId = reporter.UserId, name = reporter.Name, email = reporter.Email, now, due,
        }, transaction);
        await MeldingEvents.AddAsync(connection, transaction, id, now, reporter.ToViewer(), "gemeld");
        var position = 0;
        foreach (var photo in (photos ?? []).Take(Photos.MaxCount))
        {
            await connection.ExecuteAsync("""
                insert into melding_photos (melding_id, position, content, width, height, created_at)
                values (@id, @position, @content, @width, @height, @now)
                """, new { id, position = (short)++position, content = photo.Jpeg, width = photo.Width, height = photo.Height, now }, transaction);
        }

        var links = new MeldingLinks(baseUrl);
        string? token = null;
        if (reporter.UserId is null) token = await MeldingAccessQuery.NewLinkAsync(connection, transaction, id, null, now);
        var details = (await MeldingDetails.LoadAsync(connection, transaction, id))!;
        await mails.ReceivedAsync(connection, transaction, details, reporter.Email, reporter.Name,
            token is null ? links.Own(id) : links.Private(token));
        await mails.NewAsync(connection, transaction, details, links);
        await transaction.CommitAsync();
        return new ReportOutcome(id, token);
    }
}
