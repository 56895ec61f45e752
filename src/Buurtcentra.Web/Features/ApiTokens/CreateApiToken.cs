using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.ApiTokens;

public sealed class CreateApiTokenForm
{
    public const int NameMin = 2, NameMax = 80;

    /// <summary>What the token is for, so the person knows which one to revoke later ("Planning-script").</summary>
    public string? Name { get; set; }
}

public sealed class CreateApiTokenValidator : AbstractValidator<CreateApiTokenForm>
{
    public CreateApiTokenValidator()
    {
        RuleFor(f => f.Name).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Vul een naam in voor de API-sleutel, bijvoorbeeld ‘Planning-script’.")
            .Must(v => v!.Trim().Length is >= CreateApiTokenForm.NameMin and <= CreateApiTokenForm.NameMax)
            .WithMessage($"De naam moet {CreateApiTokenForm.NameMin} tot {CreateApiTokenForm.NameMax} tekens lang zijn.");
    }
}

/// <summary>The new token: shown once on the result page, never again.</summary>
public sealed record CreatedApiToken(long Id, string Name, string Token);

/// <summary>Makes a personal API token for the signed-in person; only its SHA-256 goes into the database.</summary>
public sealed class CreateApiTokenHandler(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>A person keeps at most this many active tokens; a script per purpose is plenty.</summary>
    public const int MaxActive = 20;

    public async Task<(CommandResult Result, CreatedApiToken? Created)> HandleAsync(long userId, CreateApiTokenForm form)
    {
        var name = form.Name!.Trim();
        var token = ApiTokenSecret.Generate();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Lock the person's row so two parallel requests cannot both pass the limit.
        await connection.ExecuteAsync("select 1 from users where id = @userId for update", new { userId }, transaction);
        var active = await connection.ExecuteScalarAsync<int>(
            "select count(*)::int from api_tokens where user_id = @userId and revoked_at is null", new { userId }, transaction);
        if (active >= MaxActive)
        {
            return (CommandResult.Fail(nameof(form.Name),
                $"U heeft al {MaxActive} actieve API-sleutels. Trek eerst een sleutel in die u niet meer gebruikt."), null);
        }
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into api_tokens (user_id, name, token_hash, created_at)
            values (@userId, @name, @hash, @now)
            returning id
            """, new { userId, name, hash = ApiTokenSecret.Hash(token), now = time.GetUtcNow() }, transaction);
        await transaction.CommitAsync();
        return (CommandResult.Ok(), new CreatedApiToken(id, name, token));
    }
}
