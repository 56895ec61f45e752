using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Feeds;

/// <summary>"Maak een link": which private feed the person wants.</summary>
public sealed class SubscriptionForm
{
    /// <summary>ruimte, organisatie or medewerker.</summary>
    public string? Kind { get; set; }

    /// <summary>The room or organisation; for medewerker the person's own id (the server fills it in).</summary>
    public long? TargetId { get; set; }
}

public sealed class SubscriptionFormValidator : AbstractValidator<SubscriptionForm>
{
    public SubscriptionFormValidator()
    {
        RuleFor(f => f.Kind).Must(FeedKinds.IsKnown).WithMessage("Kies welke agenda u wilt volgen.");
        RuleFor(f => f.TargetId).NotNull().When(f => f.Kind != FeedKinds.Medewerker).WithMessage(f => f.Kind == FeedKinds.Ruimte
            ? "Kies een ruimte." : "Kies welke agenda u wilt volgen.");
    }
}

/// <summary>A new private link, shown once on the result page.</summary>
public sealed record CreatedSubscription(long Id, string Label, string Token, bool Renewed);

/// <summary>
/// Makes the link of a private feed, or renews it when the person already has one for that feed (the old link stops
/// at once). The person must be allowed to have the feed now. Only the SHA-256 of the token is stored.
/// </summary>
public sealed class CreateSubscriptionHandler(NpgsqlDataSource dataSource, TimeProvider time, FeedAccessQuery access)
{
    /// <summary>Active links per person: a room per link adds up, but not to this.</summary>
    public const int MaxActive = 50;

    public async Task<(CommandResult Result, CreatedSubscription? Created)> HandleAsync(long userId, SubscriptionForm form)
    {
        var subscriber = await access.SubscriberAsync(userId);
        var kind = form.Kind!;
        var targetId = kind == FeedKinds.Medewerker ? userId : form.TargetId!.Value;
        var scope = subscriber is null ? null : await access.ScopeAsync(subscriber, kind, targetId);
        if (scope is null)
        {
            return (CommandResult.Fail(kind == FeedKinds.Ruimte ? nameof(form.TargetId) : "",
                "Deze agenda kunt u niet volgen. U kunt alleen de agenda's kiezen die op deze pagina staan."), null);
        }

        var token = FeedToken.Generate();
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Lock the person's row: two clicks at once make one link, and the limit holds.
        await connection.ExecuteAsync("select 1 from users where id = @userId for update", new { userId }, transaction);
        var renewed = await connection.ExecuteScalarAsync<long?>("""
            update calendar_feeds set token_hash = @hash, created_at = @now, last_fetched_at = null
            where user_id = @userId and kind = @kind and target_id = @targetId and revoked_at is null
            returning id
            """, new { userId, kind, targetId, hash = FeedToken.Hash(token), now }, transaction);
        if (renewed is { } renewedId)
        {
            await transaction.CommitAsync();
            return (CommandResult.Ok(), new CreatedSubscription(renewedId, scope.CalendarName, token, Renewed: true));
        }
        var active = await connection.ExecuteScalarAsync<int>(
            "select count(*)::int from calendar_feeds where user_id = @userId and revoked_at is null", new { userId }, transaction);
        if (active >= MaxActive)
        {
            return (CommandResult.Fail("", $"U heeft al {MaxActive} agenda-links. Trek eerst een link in die u niet meer gebruikt."), null);
        }
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into calendar_feeds (user_id, kind, target_id, token_hash, created_at)
            values (@userId, @kind, @targetId, @hash, @now)
            returning id
            """, new { userId, kind, targetId, hash = FeedToken.Hash(token), now }, transaction);
        await transaction.CommitAsync();
        return (CommandResult.Ok(), new CreatedSubscription(id, scope.CalendarName, token, Renewed: false));
    }
}
