-- Demo occupancy for `make run` (Overzichten): weekly series in Hart van Hoograven and De Boog from 1 September 2026
-- to 1 July 2027, and three pending requests next week, so the week grid, the day view and the public availability
-- page show a living centre. Loaded after 0001_demo.sql, in the same transaction.
-- Times are local Utrecht wall-clock times: 19:30 stays 19:30 across the DST changes (October and March).
-- Dates on which the centre is closed (closure_days) get no occurrence; they are listed in reservation_skipped_dates.
-- Rooms hold set-up and clean-up (rooms.setup_minutes / cleanup_minutes, 0 and 15 by default) around each activity;
-- no two series share a room at overlapping times, so the exclusion constraint holds.

create temporary table agenda_demo_series (
    uid           uuid primary key default gen_random_uuid(),
    slug          text not null,
    room          text not null,
    organisation  text,
    requester     text,
    contact_name  text not null,
    contact_email text not null,
    contact_phone text,
    activity      text not null,
    category      text not null,
    participants  integer not null,
    needs_key     boolean not null,
    is_public     boolean not null,
    tariff        text not null,
    rate_cents    integer not null,
    weekday       integer not null,
    starts        time not null,
    ends          time not null
) on commit drop;

insert into agenda_demo_series (slug, room, organisation, requester, contact_name, contact_email, contact_phone, activity, category,
                                participants, needs_key, is_public, tariff, rate_cents, weekday, starts, ends) values
    ('hart-van-hoograven', 'Huiskamer', 'Klaverjasclub Hoograven', 'truus@klaverjasclub.example', 'Truus Vermeulen', 'truus@klaverjasclub.example', '06 1111 2201',
     'Klaverjassen', 'bewonersinitiatief', 16, true, true, 'om_niet', 0, 1, '19:30', '22:00'),
    ('hart-van-hoograven', 'Vergaderruimte', 'Vooruit', null, 'Mees Machtmaker', 'matchpoint@vooruit.example', '030 123 4503',
     'Matchpoint: spreekuur voor initiatieven', 'maatschappelijke_organisatie', 6, false, true, 'om_niet', 0, 1, '13:00', '16:00'),
    ('hart-van-hoograven', 'Huiskamer', 'Taalcafé Utrecht', null, 'Samira El Idrissi', 'info@taalcafe.example', '030 123 4700',
     'Taalcafé', 'maatschappelijke_organisatie', 12, false, true, 'sociaal', 0, 2, '10:00', '12:00'),
    ('hart-van-hoograven', 'Grote zaal', 'Dagbesteding De Brug', null, 'Ruud Bakker', 'planning@debrug.example', '030 123 4800',
     'Dagbesteding', 'sp_do_groepsactiviteit', 20, false, false, 'sociaal', 0, 3, '09:30', '15:30'),
    ('hart-van-hoograven', 'Cursusruimte', 'Yoga aan de Vecht', null, 'Lotte de Wit', 'info@yogavecht.example', '06 1234 5678',
     'Yoga voor beginners', 'commercieel', 14, true, true, 'commercieel', 2500, 4, '19:00', '20:30'),
    ('hart-van-hoograven', 'Grote zaal', 'Karaoke Oase', null, 'Ahmet Yilmaz', 'karaoke@oase.example', '06 2222 3301',
     'Karaoke-avond', 'bewonersinitiatief', 40, true, true, 'om_niet', 0, 5, '19:30', '22:30'),
    ('de-boog', 'Huiskamer', 'Klaverjasclub Hoograven', 'truus@klaverjasclub.example', 'Truus Vermeulen', 'truus@klaverjasclub.example', '06 1111 2201',
     'Klaverjasmiddag', 'bewonersinitiatief', 12, false, true, 'om_niet', 0, 3, '14:00', '17:00'),
    ('de-boog', 'Cursusruimte', 'Taalcafé Utrecht', null, 'Samira El Idrissi', 'info@taalcafe.example', '030 123 4700',
     'Taalles voor nieuwkomers', 'maatschappelijke_organisatie', 10, true, false, 'sociaal', 0, 1, '19:00', '21:00'),
    ('de-boog', 'Grote zaal', 'Dagbesteding De Brug', null, 'Ruud Bakker', 'planning@debrug.example', '030 123 4800',
     'Samen koken en eten', 'sp_do_groepsactiviteit', 18, false, false, 'sociaal', 0, 4, '10:00', '13:00'),
    ('de-boog', 'Grote zaal', 'Yoga aan de Vecht', null, 'Lotte de Wit', 'info@yogavecht.example', '06 1234 5678',
     'Yoga op zaterdag', 'commercieel', 20, true, true, 'commercieel', 2500, 6, '10:00', '11:30'),
    ('de-boog', 'Huiskamer', 'De Kracht van Zuilen', null, 'Fatma Demir', 'contact@krachtvanzuilen.example', '06 3333 4401',
     'Buurtmaaltijd', 'bewonersinitiatief', 30, true, true, 'om_niet', 0, 5, '17:30', '20:00');

insert into reservations (uid, centre_id, room_id, organisation_id, requester_user_id, created_by_user_id, contact_name, contact_email,
                          contact_phone, activity, category, participants, needs_key, is_public, tariff, rate_cents, status,
                          created_at, updated_at)
select s.uid, c.id, r.id, o.id, u.id, b.id, s.contact_name, s.contact_email, s.contact_phone, s.activity, s.category, s.participants,
       s.needs_key, s.is_public, s.tariff, s.rate_cents, 'bevestigd', timestamptz '2026-08-15 10:00+02', timestamptz '2026-08-15 10:00+02'
from agenda_demo_series s
join centres c on c.slug = s.slug
join rooms r on r.centre_id = c.id and r.name = s.room
left join organisations o on o.name = s.organisation
left join users u on u.email = s.requester
left join users b on b.email = 'beheerder.hoograven@vooruit.example';

-- One occurrence per week on the series' weekday, local times converted to UTC by PostgreSQL's time zone rules.
insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
select res.id, res.room_id, d.day,
       (d.day + s.starts) at time zone 'Europe/Amsterdam',
       (d.day + s.ends) at time zone 'Europe/Amsterdam',
       (d.day + s.starts) at time zone 'Europe/Amsterdam' - make_interval(mins => r.setup_minutes),
       (d.day + s.ends) at time zone 'Europe/Amsterdam' + make_interval(mins => r.cleanup_minutes),
       'bevestigd', res.created_at
from agenda_demo_series s
join reservations res on res.uid = s.uid
join rooms r on r.id = res.room_id
cross join lateral (
    select g::date as day from generate_series(date '2026-09-01', date '2027-06-30', interval '1 day') g
) d
where extract(isodow from d.day) = s.weekday
  and not exists (select 1 from closure_days cd
                  where (cd.centre_id is null or cd.centre_id = res.centre_id) and d.day between cd.starts_on and cd.ends_on);

insert into reservation_skipped_dates (reservation_id, local_date, reason)
select res.id, d.day, min(cd.reason)
from agenda_demo_series s
join reservations res on res.uid = s.uid
cross join lateral (
    select g::date as day from generate_series(date '2026-09-01', date '2027-06-30', interval '1 day') g
) d
join closure_days cd on (cd.centre_id is null or cd.centre_id = res.centre_id) and d.day between cd.starts_on and cd.ends_on
where extract(isodow from d.day) = s.weekday
group by res.id, d.day;

-- Three requests waiting for the beheerder, next week (relative to the day the demo is loaded).
with request (slug, room, organisation, contact_name, contact_email, contact_phone, activity, category, participants, tariff, weekday, starts, ends) as (values
    ('de-boog', 'Grote zaal', 'Karaoke Oase', 'Ahmet Yilmaz', 'karaoke@oase.example', '06 2222 3301',
     'Verjaardagsfeest met karaoke', 'bewonersinitiatief', 35, 'om_niet', 6, time '14:00', time '17:00'),
    ('hart-van-hoograven', 'Vergaderruimte', 'De Kracht van Zuilen', 'Fatma Demir', 'contact@krachtvanzuilen.example', '06 3333 4401',
     'Bewonersoverleg Hoograven', 'bewonersinitiatief', 8, 'om_niet', 4, time '19:30', time '21:30'),
    ('hart-van-hoograven', 'Huiskamer', null, 'Henk de Vries', 'henk.devries@bewoner.example', '06 4444 5501',
     'Buurtbingo', 'bewonersinitiatief', 25, 'om_niet', 2, time '14:00', time '16:00')
),
inserted as (
    insert into reservations (centre_id, room_id, organisation_id, contact_name, contact_email, contact_phone, activity, category,
                              participants, tariff, status, created_at, updated_at)
    select c.id, r.id, o.id, q.contact_name, q.contact_email, q.contact_phone, q.activity, q.category, q.participants, q.tariff,
           'aangevraagd', now(), now()
    from request q
    join centres c on c.slug = q.slug
    join rooms r on r.centre_id = c.id and r.name = q.room
    left join organisations o on o.name = q.organisation
    returning id, room_id, activity
)
insert into occurrences (reservation_id, room_id, series_date, starts_at, ends_at, blocked_from, blocked_until, status, updated_at)
select i.id, i.room_id, d.day,
       (d.day + q.starts) at time zone 'Europe/Amsterdam',
       (d.day + q.ends) at time zone 'Europe/Amsterdam',
       (d.day + q.starts) at time zone 'Europe/Amsterdam' - make_interval(mins => r.setup_minutes),
       (d.day + q.ends) at time zone 'Europe/Amsterdam' + make_interval(mins => r.cleanup_minutes),
       'aangevraagd', now()
from inserted i
join request q on q.activity = i.activity
join rooms r on r.id = i.room_id
cross join lateral (select (date_trunc('week', current_date)::date + 7 + (q.weekday - 1)) as day) d;
