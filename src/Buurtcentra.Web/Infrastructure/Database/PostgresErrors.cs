using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Database;

public static class PostgresErrors
{
    public static bool IsUniqueViolation(this PostgresException e, string? constraint = null) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && (constraint is null || e.ConstraintName == constraint);

    public static bool IsExclusionViolation(this PostgresException e, string? constraint = null) =>
        e.SqlState == PostgresErrorCodes.ExclusionViolation && (constraint is null || e.ConstraintName == constraint);

    public static bool IsForeignKeyViolation(this PostgresException e) =>
        e.SqlState == PostgresErrorCodes.ForeignKeyViolation;
}
