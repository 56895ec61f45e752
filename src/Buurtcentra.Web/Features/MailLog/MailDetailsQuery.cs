using Buurtcentra.Web.Infrastructure.Auth;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.MailLog;

public sealed record MailDetails(long Id, DateTime CreatedAt, string Kind, string ToAddress, string ToName, string Subject,
    string TextBody, string Status, int Attempts, string? LastError, DateTime? SentAt, DateTime NextAttemptAt,
    string? CalendarMethod, string MessageId, string? CentreName)
{
    public bool CanRetry { get; init; }
}

/// <summary>One mail with its text; null (404) when it does not exist or belongs to a centre the person does not manage.</summary>
public sealed class MailDetailsQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<MailDetails?> RunAsync(long id, bool isFunctioneelBeheerder)
    {
        var visible = isFunctioneelBeheerder ? [] : (await access.ManageableCentreIdsAsync()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        var mail = await connection.QuerySingleOrDefaultAsync<MailDetails>("""
            select o.id, o.created_at, o.kind, o.to_address, o.to_name, o.subject, o.text_body, o.status, o.attempts,
                   o.last_error, o.sent_at, o.next_attempt_at, o.calendar_method, o.message_id, c.name as centre_name
            from outbox o
            left join centres c on c.id = o.centre_id
            where o.id = @id and (@all or o.centre_id = any(@visible))
            """, new { id, all = isFunctioneelBeheerder, visible });
        return mail is null ? null : mail with { CanRetry = isFunctioneelBeheerder && mail.Status == "mislukt" };
    }
}
