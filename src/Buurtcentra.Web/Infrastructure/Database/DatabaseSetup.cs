using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Infrastructure.Database;

public static class DatabaseSetup
{
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Default");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:Default is not set. Start the app with 'make run' (local PostgreSQL) or set ConnectionStrings__Default.");
        }

        // Without this Dapper silently leaves snake_case columns unmapped.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new TimeOnlyHandler());

        services.AddNpgsqlDataSource(connectionString, builder =>
        {
            // Prepare the statements the app runs often (see docs/decisions/0006): PostgreSQL then skips parsing and
            // planning them on every request. A connection string that sets Max Auto Prepare itself wins.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
                builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }
        });
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<DemoData>();
        return services;
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, DateOnly value) => parameter.Value = value;
        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            _ => throw new InvalidCastException($"Cannot convert {value.GetType()} to DateOnly"),
        };
    }

    private sealed class TimeOnlyHandler : SqlMapper.TypeHandler<TimeOnly>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, TimeOnly value) => parameter.Value = value;
        public override TimeOnly Parse(object value) => value switch
        {
            TimeOnly t => t,
            TimeSpan ts => TimeOnly.FromTimeSpan(ts),
            _ => throw new InvalidCastException($"Cannot convert {value.GetType()} to TimeOnly"),
        };
    }
}
