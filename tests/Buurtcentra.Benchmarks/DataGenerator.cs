using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Buurtcentra.Benchmarks;

/// <summary>What the bench database holds: the generated period and the row counts.</summary>
internal sealed record DataSet(
    DateOnly FirstDay, DateOnly LastDay, DateOnly GeneratedOn, bool Reused, double GenerationSeconds,
    long Centres, long Rooms, long Reservations, long Occurrences, long ConfirmedOccurrences);

/// <summary>
/// A Utrecht-scale data set on top of the demo data (22 centres): rooms added up to 180, and 10 years of weekly series
/// up to 4 months ahead, about 1.3 million occurrences. Everything is set-based SQL inside PostgreSQL, in one transaction.
///
/// Every (room, weekday, part of the day) is a cell: ochtend 09:00–12:30, middag 13:00–17:00, avond 18:30–22:00, cut to the
/// centre's opening hours. A cell holds back-to-back seasons: a weekly series of 40–50 dates, then a gap of a few weeks
/// (weekdays busy, Saturday less, Sunday little). Windows are at least 30 minutes apart and clean-up is 15 minutes, so
/// confirmed occurrences never overlap and the exclusion constraint holds; dates on which the demo series already use
/// the room, and closure days, are left out (the latter listed as skipped, as the app does).
///
/// Loading 1.3 million rows through the GiST exclusion index row by row takes minutes, so the occurrence indexes and
/// constraints are dropped for the load and recreated from their own definitions afterwards (PostgreSQL then checks
/// the exclusion constraint over all rows). The schema after generation is exactly the migrated one.
/// </summary>
internal static class DataGenerator
{
    /// <summary>Bump when the generated set changes: the next run then starts from an empty database.</summary>
    public const int Version = 1;

    /// <summary>A set generated longer ago has too little future left for the availability search; make a new one.</summary>
    private const int MaxAgeDays = 30;

    private const int YearsOfHistory = 10;
    private const int DaysAhead = 120;

    /// <summary>
    /// Makes sure the bench database exists. A database that holds a current generated set is kept (fast reruns);
    /// anything else (no database, an older version, a half-finished run) is dropped and created empty.
    /// </summary>
    public static async Task<bool> PrepareDatabaseAsync(string connectionString, DateOnly today)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var name = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        await using var maintenance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        if (await maintenance.ExecuteScalarAsync<bool>("select exists (select 1 from pg_database where datname = @name)", new { name }))
        {
            await using (var existing = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
            {
                await existing.OpenAsync();
                var current = await existing.ExecuteScalarAsync<bool>("select to_regclass('bench_dataset') is not null")
                    && await existing.ExecuteScalarAsync<bool>(
                        "select exists (select 1 from bench_dataset where version = @version and generated_on >= @oldest)",
                        new { version = Version, oldest = today.AddDays(-MaxAgeDays) });
                if (current) return true;
            }
            await maintenance.ExecuteAsync($"drop database \"{name}\" with (force)");
        }
        await maintenance.ExecuteAsync($"create database \"{name}\"");
        return false;
    }

    /// <summary>Generates the set unless the database already holds it; then reads the counts.</summary>
    public static async Task<DataSet> EnsureAsync(NpgsqlDataSource dataSource, DateOnly today, bool reuse)
    {
        var started = Stopwatch.GetTimestamp();
        if (!reuse) await GenerateAsync(dataSource, today);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        await using var connection = await dataSource.OpenConnectionAsync();
        var marker = await connection.QuerySingleAsync<(DateOnly FirstDay, DateOnly LastDay, DateOnly GeneratedOn, decimal Seconds)>(
            "select first_day, last_day, generated_on, seconds from bench_dataset order by generated_at desc limit 1");
        var counts = await connection.QuerySingleAsync<(long Centres, long Rooms, long Reservations, long Occurrences, long Confirmed)>("""
            select (select count(*) from centres), (select count(*) from rooms), (select count(*) from reservations),
                   (select count(*) from occurrences), (select count(*) from occurrences where status = 'bevestigd')
            """);
        return new DataSet(marker.FirstDay, marker.LastDay, marker.GeneratedOn, reuse, reuse ? (double)marker.Seconds : seconds,
            counts.Centres, counts.Rooms, counts.Reservations, counts.Occurrences, counts.Confirmed);
    }

    private static async Task GenerateAsync(NpgsqlDataSource dataSource, DateOnly today)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var (step, sql) in Steps)
            {
                var stepStarted = Stopwatch.GetTimestamp();
                await connection.ExecuteAsync(sql, new { today, firstDay = today.AddYears(-YearsOfHistory), lastDay = today.AddDays(DaysAhead) },
                    transaction, commandTimeout: 900);
                Console.WriteLine($"  {step,-38} {Stopwatch.GetElapsedTime(stepStarted).TotalSeconds,6:F1} s");
            }
            await connection.ExecuteAsync("""
                create table bench_dataset (
                    version      integer not null,
                    generated_on date not null,
                    first_day    date not null,
                    last_day     date not null,
                    seconds      numeric not null,
                    generated_at timestamptz not null
                );
                insert into bench_dataset (version, generated_on, first_day, last_day, seconds, generated_at)
                values (@version, @today, @firstDay, @lastDay, @seconds, @now);
                """, new
            {
                version = Version, today, firstDay = today.AddYears(-YearsOfHistory), lastDay = today.AddDays(DaysAhead),
                seconds = Math.Round((decimal)Stopwatch.GetElapsedTime(started).TotalSeconds, 1), now = DateTime.UtcNow,
            }, transaction);
            await transaction.CommitAsync();
        }
        // What autovacuum would do soon after such a load: statistics for the planner and the visibility map for index-only scans.
        var vacuumStarted = Stopwatch.GetTimestamp();
        await connection.ExecuteAsync("vacuum (analyze)", commandTimeout: 900);
        Console.WriteLine($"  {"vacuum (analyze)",-38} {Stopwatch.GetElapsedTime(vacuumStarted).TotalSeconds,6:F1} s");
        await connection.ExecuteAsync("update bench_dataset set seconds = @seconds",
            new { seconds = Math.Round((decimal)Stopwatch.GetElapsedTime(started).TotalSeconds, 1) });
    }

    private static readonly (string Step, string Sql)[] Steps =
    [
        ("rooms up to 180", """
            -- The demo has 103 rooms (4-6 per centre). Add rooms like them until every centre has 8, four centres 9: 180.
            with candidate (k, name, room_type, base_capacity, base_area, floor, description) as (values
                (1, 'Kleine zaal', 'zaal', 30, 60, 'Begane grond', 'Voor lezingen, feestjes en kleine voorstellingen.'),
                (2, 'Tuinkamer', 'huiskamer', 15, 35, 'Begane grond', 'Met openslaande deuren naar de tuin.'),
                (3, 'Spreekkamer', 'kantoor', 4, 12, 'Eerste verdieping', 'Voor spreekuren en gesprekken onder vier ogen.'),
                (4, 'Atelier', 'atelier', 14, 45, 'Begane grond', 'Met gootsteen en grote werktafels.'),
                (5, 'Kleine vergaderruimte', 'vergaderruimte', 6, 15, 'Eerste verdieping', null)
            ),
            counts as (
                select c.id, count(r.id) as rooms,
                       case when c.slug in ('het-lombokhuis', 'de-watertoren', 'het-terwijdehuis', 'oase') then 9 else 8 end as target
                from centres c left join rooms r on r.centre_id = c.id
                group by c.id
            ),
            added as (
                insert into rooms (centre_id, name, room_type, capacity, area_m2, floor, description, created_at, updated_at)
                select n.id, k.name, k.room_type,
                       k.base_capacity + (n.id % 4) * greatest(k.base_capacity / 4, 1),
                       k.base_area + (n.id % 4) * (k.base_area / 4),
                       k.floor, k.description, now(), now()
                from counts n join candidate k on k.k <= n.target - n.rooms
                returning id, centre_id, room_type, floor
            ),
            facilities_added as (
                insert into room_facilities (room_id, facility_code)
                select a.id, f.code
                from added a join facilities f on
                    (a.room_type = 'huiskamer' and f.code in ('koffie', 'wifi', 'keuken'))
                 or (a.room_type = 'zaal' and f.code in ('beamer', 'geluid', 'wifi', 'koffie'))
                 or (a.room_type = 'vergaderruimte' and f.code in ('scherm', 'wifi', 'whiteboard', 'koffie'))
                 or (a.room_type = 'kantoor' and f.code in ('wifi', 'koffie'))
                 or (a.room_type = 'atelier' and f.code in ('whiteboard', 'wifi'))
                 or (a.room_type = 'huiskamer' and a.centre_id % 3 = 0 and f.code = 'buitenruimte')
            )
            insert into room_accessibility (room_id, feature_code)
            select a.id, x.code
            from added a join accessibility_features x on
                (a.floor = 'Begane grond' and x.code in ('rolstoeltoegankelijk', 'gelijkvloers'))
             or (a.floor = 'Eerste verdieping' and a.centre_id % 2 = 0 and x.code in ('lift', 'rolstoeltoegankelijk'))
             or (a.room_type in ('zaal', 'huiskamer') and a.centre_id % 3 <> 1 and x.code = 'invalidentoilet')
             or (a.room_type in ('huiskamer', 'vergaderruimte', 'kantoor') and a.centre_id % 4 = 0 and x.code = 'prikkelarm');
            """),

        ("plan the weekly series", """
            select setseed(0.2026);

            create temporary table bench_params on commit drop as
            select @today::date as today, @firstDay::date as first_day, @lastDay::date as last_day;

            -- Cells: room x weekday x part of the day, the window cut to the opening hours, at least 2 hours long.
            create temporary table bench_cells on commit drop as
            select r.id as room_id, r.centre_id, r.capacity, r.setup_minutes, r.cleanup_minutes, oh.weekday::int as weekday, s.part,
                   greatest(s.from_min, extract(hour from oh.opens_at)::int * 60 + extract(minute from oh.opens_at)::int) as win_from,
                   least(s.to_min, extract(hour from oh.closes_at)::int * 60 + extract(minute from oh.closes_at)::int) as win_to,
                   case when oh.weekday <= 5 then 20 when oh.weekday = 6 then 40 else 80 end as max_gap,
                   p.first_day + ((oh.weekday - extract(isodow from p.first_day)::int + 7) % 7) as first_date
            from rooms r
            join opening_hours oh on oh.centre_id = r.centre_id
            cross join (values ('ochtend', 540, 750), ('middag', 780, 1020), ('avond', 1110, 1320)) as s(part, from_min, to_min)
            cross join bench_params p
            where r.active
              and least(s.to_min, extract(hour from oh.closes_at)::int * 60 + extract(minute from oh.closes_at)::int)
                  - greatest(s.from_min, extract(hour from oh.opens_at)::int * 60 + extract(minute from oh.opens_at)::int) >= 120;

            -- Per cell back-to-back seasons: 40-50 weekly dates, then a gap of 0..max_gap weeks; ids from the identity sequence.
            create temporary table bench_series on commit drop as
            with periods as (
                select c.*, i,
                       40 + floor(random() * 11)::int as weeks,
                       floor(random() * (c.max_gap + 1))::int as gap,
                       floor(random() * (c.max_gap + 1))::int as lead
                from bench_cells c cross join generate_series(0, 15) as i
            ),
            placed as (
                select p.*,
                       (first_value(lead) over w
                        + coalesce(sum(weeks + gap) over (w rows between unbounded preceding and 1 preceding), 0))::int as start_week
                from periods p
                window w as (partition by room_id, weekday, part order by i)
            )
            select nextval(pg_get_serial_sequence('reservations', 'id')) as id,
                   pl.room_id, pl.centre_id, pl.capacity, pl.setup_minutes, pl.cleanup_minutes, pl.weekday,
                   (pl.first_date + 7 * pl.start_week) as first_date,
                   least(pl.weeks, ((bp.last_day - (pl.first_date + 7 * pl.start_week)) / 7) + 1) as weeks,
                   d.minutes,
                   pl.win_from + 30 * floor(random() * ((pl.win_to - pl.win_from - d.minutes) / 30 + 1))::int as start_min,
                   floor(random() * 20)::int as activity_no,
                   random() as r_status
            from placed pl
            cross join bench_params bp
            cross join lateral (
                select least(pl.win_to - pl.win_from, (array[60, 90, 120, 120, 150, 180])[1 + floor(random() * 6)::int]) as minutes
            ) d
            where pl.first_date + 7 * pl.start_week <= bp.last_day;

            create temporary table bench_activity on commit drop as
            select * from (values
                (0, 'Klaverjassen', 'bewonersinitiatief', 'om_niet', 'Klaverjasclub Hoograven'),
                (1, 'Taalcafé', 'maatschappelijke_organisatie', 'sociaal', 'Taalcafé Utrecht'),
                (2, 'Yoga', 'commercieel', 'commercieel', 'Yoga aan de Vecht'),
                (3, 'Dagbesteding', 'sp_do_groepsactiviteit', 'sociaal', 'Dagbesteding De Brug'),
                (4, 'Koffieochtend in de huiskamer', 'huiskamer', 'om_niet', null),
                (5, 'Buurtmaaltijd', 'bewonersinitiatief', 'om_niet', 'De Kracht van Zuilen'),
                (6, 'Huiswerkbegeleiding', 'maatschappelijke_organisatie', 'sociaal', 'Taalcafé Utrecht'),
                (7, 'Schilderclub', 'bewonersinitiatief', 'om_niet', null),
                (8, 'Bridgeclub', 'bewonersinitiatief', 'om_niet', null),
                (9, 'Zumba', 'commercieel', 'commercieel', 'Yoga aan de Vecht'),
                (10, 'Spreekuur geldzaken', 'maatschappelijke_organisatie', 'om_niet', null),
                (11, 'Buurtkoor', 'bewonersinitiatief', 'om_niet', null),
                (12, 'Repair Café', 'bewonersinitiatief', 'om_niet', 'De Kracht van Zuilen'),
                (13, 'Mantelzorgcafé', 'maatschappelijke_organisatie', 'sociaal', null),
                (14, 'Jongerenavond', 'sp_do_groepsactiviteit', 'sociaal', 'Dagbesteding De Brug'),
                (15, 'Bewonersoverleg', 'bewonersinitiatief', 'om_niet', 'De Kracht van Zuilen'),
                (16, 'Stoelgym voor ouderen', 'sp_do_groepsactiviteit', 'sociaal', null),
                (17, 'Naaiatelier', 'bewonersinitiatief', 'om_niet', null),
                (18, 'Karaoke', 'bewonersinitiatief', 'om_niet', 'Karaoke Oase'),
                (19, 'Computercursus voor beginners', 'maatschappelijke_organisatie', 'sociaal', null)
            ) as a(no, activity, category, tariff, organisation);
            """),

        ("reservations", """
            -- Mostly confirmed; 6% of past series cancelled; 30% of series that start in the future still a request.
            insert into reservations (id, centre_id, room_id, organisation_id, contact_name, contact_email, contact_phone, activity, category,
                                      participants, needs_key, is_public, tariff, rate_cents, status, recurrence, created_at, updated_at)
            overriding system value
            select s.id, s.centre_id, s.room_id, o.id,
                   (array['Truus Vermeulen', 'Samira El Idrissi', 'Ruud Bakker', 'Lotte de Wit', 'Ahmet Yilmaz', 'Fatma Demir',
                          'Henk de Vries', 'Priya Ramdin'])[1 + s.id % 8],
                   'contact' || (s.id % 997) || '@bewoners.example', null,
                   a.activity, a.category,
                   greatest(1, least(s.capacity, 3 + (s.id % greatest(s.capacity, 1)))),
                   s.id % 3 = 0, s.id % 2 = 0, a.tariff, case when a.tariff = 'commercieel' then 2500 else 0 end,
                   case when s.first_date > p.today and s.r_status < 0.3 then 'aangevraagd'
                        when s.first_date <= p.today and s.r_status < 0.06 then 'geannuleerd'
                        else 'bevestigd' end,
                   jsonb_build_object('kind', 'wekelijks', 'interval', 1, 'weekOfMonth', null,
                                      'until', to_char(s.first_date + 7 * (s.weeks - 1), 'YYYY-MM-DD'), 'count', null, 'dates', '[]'::jsonb),
                   (s.first_date - 21 + time '10:00') at time zone 'Europe/Amsterdam',
                   (s.first_date - 21 + time '10:00') at time zone 'Europe/Amsterdam'
            from bench_series s
            cross join bench_params p
            join bench_activity a on a.no = s.activity_no
            left join organisations o on o.name = a.organisation;

            insert into reservation_events (reservation_id, occurred_at, actor_user_id, actor_name, kind, note)
            select r.id, r.created_at, null::bigint, 'Beheerder', case when r.status = 'aangevraagd' then 'aangevraagd' else 'geboekt' end, null
            from reservations r join bench_series s on s.id = r.id
            union all
            select r.id, r.created_at + interval '30 days', null, 'Beheerder', 'geannuleerd', 'De groep stopt.'
            from reservations r join bench_series s on s.id = r.id
            where r.status = 'geannuleerd';
            """),

        ("drop occurrence indexes for the load", """
            create temporary table bench_ddl on commit drop as
            select 'constraint' as kind, conname::text as name,
                   format('alter table occurrences add constraint %I %s', conname, pg_get_constraintdef(oid)) as recreate
            from pg_constraint where conrelid = 'occurrences'::regclass and contype in ('x', 'u', 'f')
            union all
            select 'index', i.relname::text, pg_get_indexdef(i.oid)
            from pg_index x join pg_class i on i.oid = x.indexrelid
            where x.indrelid = 'occurrences'::regclass and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid);

            do $$
            declare d record;
            begin
                for d in select * from bench_ddl loop
                    if d.kind = 'constraint' then
                        execute format('alter table occurrences drop constraint %I', d.name);
                    else
                        execute format('drop index %I', d.name);
                    end if;
                end loop;
            end $$;
            """),

        ("occurrences", """
            -- The demo series (Hart van Hoograven, De Boog) stay: a generated date that would overlap one is left out.
            create temporary table bench_existing on commit drop as
            select room_id, (blocked_from at time zone 'Europe/Amsterdam')::date as day, blocked_from, blocked_until
            from occurrences where status = 'bevestigd';

            create temporary table bench_dates on commit drop as
            select s.id, s.room_id, s.centre_id, s.setup_minutes, s.cleanup_minutes, r.status as res_status, r.created_at,
                   s.first_date + 7 * w as day,
                   (s.first_date + 7 * w + make_interval(mins => s.start_min)) at time zone 'Europe/Amsterdam' as starts_at,
                   (s.first_date + 7 * w + make_interval(mins => s.start_min + s.minutes)) at time zone 'Europe/Amsterdam' as ends_at,
                   (select min(cd.reason) from closure_days cd
                    where (cd.centre_id is null or cd.centre_id = s.centre_id) and s.first_date + 7 * w between cd.starts_on and cd.ends_on) as closed
            from bench_series s
            join reservations r on r.id = s.id
            cross join generate_series(0, s.weeks - 1) as w;

            -- 3% of the dates of a confirmed series were cancelled one by one (an exception to the series).
            insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status,
                                     is_exception, updated_at)
            select x.id, x.room_id, x.day, x.starts_at, x.ends_at,
                   x.starts_at - make_interval(mins => x.setup_minutes), x.ends_at + make_interval(mins => x.cleanup_minutes),
                   case when x.single_cancel then 'geannuleerd' else x.res_status end,
                   x.single_cancel, x.created_at
            from (select d.*, d.res_status = 'bevestigd' and random() < 0.03 as single_cancel from bench_dates d where d.closed is null) x
            where not exists (select 1 from bench_existing e
                              where e.room_id = x.room_id and e.day = x.day
                                and e.blocked_from < x.ends_at + make_interval(mins => x.cleanup_minutes)
                                and x.starts_at - make_interval(mins => x.setup_minutes) < e.blocked_until);

            insert into reservation_skipped_dates (reservation_id, local_date, reason)
            select id, day, closed from bench_dates where closed is not null;
            """),

        ("recreate indexes and constraints", """
            set local maintenance_work_mem = '256MB';
            do $$
            declare d record;
            begin
                -- plain indexes first, then the constraints (unique, exclusion: PostgreSQL checks every row; foreign keys)
                for d in select * from bench_ddl order by kind desc, name loop
                    execute d.recreate;
                end loop;
            end $$;
            """),
    ];
}
