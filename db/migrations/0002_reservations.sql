-- Reserveringen: booking rules, contribution policy, requests and series, occupancy, outbox, API tokens.
-- Occupancy lives in `occurrences`: one row per date of a reservation, a UTC range, and an exclusion
-- constraint so that no two confirmed occurrences of one room overlap (set-up and clean-up included).

-- Booking rules per room. Durations and buffers in minutes; rates in euro cents per hour.
alter table rooms
    add column min_minutes           integer not null default 30  check (min_minutes between 15 and 1440),
    add column max_minutes           integer not null default 480 check (max_minutes between 15 and 1440),
    add column setup_minutes         integer not null default 0   check (setup_minutes between 0 and 240),
    add column cleanup_minutes       integer not null default 15  check (cleanup_minutes between 0 and 240),
    add column social_rate_cents     integer not null default 0   check (social_rate_cents between 0 and 100000),
    add column commercial_rate_cents integer not null default 0   check (commercial_rate_cents between 0 and 100000),
    add constraint rooms_duration_range check (max_minutes >= min_minutes);

-- Lead time: requests (not beheerders) must come at least this many days ahead; the horizon limits how far ahead.
alter table centres
    add column lead_time_days  integer not null default 3   check (lead_time_days between 0 and 90),
    add column horizon_days    integer not null default 400 check (horizon_days between 7 and 800),
    add column latitude        double precision check (latitude between 50 and 54),
    add column longitude       double precision check (longitude between 3 and 8);

-- Wijk centroids, for "nearest first" from a wijk.
alter table wijken
    add column latitude  double precision,
    add column longitude double precision;
update wijken w set latitude = v.lat, longitude = v.lon
from (values (1, 52.0950, 5.0950), (2, 52.1050, 5.0900), (3, 52.1170, 5.1130), (4, 52.1010, 5.1350),
             (5, 52.0860, 5.1400), (6, 52.0910, 5.1200), (7, 52.0700, 5.1300), (8, 52.0780, 5.1000),
             (9, 52.0950, 5.0500), (10, 52.0750, 5.0350)) as v(id, lat, lon)
where w.id = v.id;

-- Contribution policy per centre: which tariff applies to which kind of booker.
-- 'particulier' is a resident booking without an organisation.
create table centre_tariffs (
    centre_id bigint not null references centres (id) on delete cascade,
    category  text not null check (category in ('bewonersinitiatief', 'maatschappelijke_organisatie', 'sp_do_aanbieder', 'commercieel', 'particulier')),
    tariff    text not null check (tariff in ('om_niet', 'sociaal', 'commercieel')),
    primary key (centre_id, category)
);

create table target_groups (
    code       text primary key,
    name       text not null unique,
    sort_order smallint not null
);
insert into target_groups (code, name, sort_order) values
    ('iedereen', 'Iedereen uit de buurt', 1), ('kinderen', 'Kinderen', 2), ('jongeren', 'Jongeren', 3),
    ('ouderen', 'Ouderen', 4), ('gezinnen', 'Ouders en gezinnen', 5), ('nieuwkomers', 'Nieuwkomers', 6),
    ('beperking', 'Mensen met een beperking', 7), ('mantelzorgers', 'Mantelzorgers', 8),
    ('eenzaamheid', 'Mensen die zich eenzaam voelen', 9), ('laaggeletterd', 'Mensen die moeite hebben met lezen of taal', 10);

create table reservations (
    id                  bigint generated always as identity primary key,
    uid                 uuid not null default gen_random_uuid() unique,
    centre_id           bigint not null references centres (id),
    room_id             bigint not null references rooms (id),
    organisation_id     bigint references organisations (id),
    requester_user_id   bigint references users (id),
    created_by_user_id  bigint references users (id),
    contact_name        text not null check (length(btrim(contact_name)) between 2 and 120),
    -- a resident booked at the desk or by phone may have no e-mail address
    contact_email       text check (contact_email is null or (contact_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(contact_email) <= 254)),
    contact_phone       text check (contact_phone is null or length(contact_phone) <= 30),
    activity            text not null check (length(btrim(activity)) between 2 and 120),
    category            text not null check (category in ('huiskamer', 'sp_do_groepsactiviteit', 'bewonersinitiatief', 'maatschappelijke_organisatie', 'commercieel')),
    participants        integer not null check (participants between 1 and 2000),
    target_groups       text[] not null default '{}',
    needs_key           boolean not null default false,
    is_public           boolean not null default false,
    strengthens_centre  text check (strengthens_centre is null or length(strengthens_centre) <= 2000),
    remarks             text check (remarks is null or length(remarks) <= 2000),
    tariff              text not null check (tariff in ('om_niet', 'sociaal', 'commercieel')),
    rate_cents          integer not null default 0 check (rate_cents >= 0),
    wederdienst         text check (wederdienst is null or length(wederdienst) <= 1000),
    -- e_mail_bevestigen: a resident without an account has not yet confirmed their address
    -- voorstel: the beheerder proposed another room or time; the requester accepts or declines
    status              text not null check (status in ('e_mail_bevestigen', 'aangevraagd', 'voorstel', 'bevestigd', 'afgewezen', 'geannuleerd')),
    decision_reason     text check (decision_reason is null or length(decision_reason) <= 2000),
    recurrence          jsonb,
    -- iCalendar SEQUENCE of the series as a whole; occurrences carry their own for overrides
    sequence            integer not null default 0,
    -- private link for residents without an account (SHA-256 of the token)
    access_token_hash   bytea unique,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create index reservations_centre_status_idx on reservations (centre_id, status);
create index reservations_requester_idx on reservations (requester_user_id);
create index reservations_organisation_idx on reservations (organisation_id);

create table reservation_facilities (
    reservation_id bigint not null references reservations (id) on delete cascade,
    facility_code  text not null references facilities (code),
    primary key (reservation_id, facility_code)
);

-- Dates of a series that were not created because the centre is closed (feestdag, vakantie).
create table reservation_skipped_dates (
    reservation_id bigint not null references reservations (id) on delete cascade,
    local_date     date not null,
    reason         text not null,
    primary key (reservation_id, local_date)
);

-- Status history, shown to the requester ("Mijn reserveringen") and the beheerder.
create table reservation_events (
    id             bigint generated always as identity primary key,
    reservation_id bigint not null references reservations (id) on delete cascade,
    occurred_at    timestamptz not null,
    actor_user_id  bigint references users (id),
    actor_name     text not null,
    kind           text not null,
    note           text check (note is null or length(note) <= 2000)
);
create index reservation_events_reservation_idx on reservation_events (reservation_id, occurred_at);

create table occurrences (
    id             bigint generated always as identity primary key,
    reservation_id bigint not null references reservations (id) on delete cascade,
    room_id        bigint not null references rooms (id),
    -- the local date this occurrence has in the series; stays when the occurrence is moved (iCal RECURRENCE-ID)
    series_date    date not null,
    starts_at      timestamptz not null,
    ends_at        timestamptz not null,
    -- the room is held from set-up to clean-up
    blocked_from   timestamptz not null,
    blocked_until  timestamptz not null,
    blocked        tstzrange generated always as (tstzrange(blocked_from, blocked_until, '[)')) stored,
    status         text not null check (status in ('aangevraagd', 'bevestigd', 'afgewezen', 'geannuleerd')),
    -- true once the occurrence was moved or cancelled on its own (an exception to the series)
    is_exception   boolean not null default false,
    sequence       integer not null default 0,
    updated_at     timestamptz not null,
    unique (reservation_id, series_date),
    check (ends_at > starts_at and ends_at - starts_at <= interval '24 hours'),
    check (blocked_from <= starts_at and blocked_until >= ends_at),
    constraint occurrences_no_double_booking
        exclude using gist (room_id with =, blocked with &&) where (status = 'bevestigd')
);
-- Window queries: bounded by the longest possible occupancy (24 h + buffers), see docs/decisions.
create index occurrences_confirmed_start_idx on occurrences (blocked_from) include (room_id, blocked_until, starts_at, ends_at) where status = 'bevestigd';
create index occurrences_room_start_idx on occurrences (room_id, starts_at);
create index occurrences_reservation_idx on occurrences (reservation_id, series_date);

-- Outbox: mail is written here in the same transaction as the change that causes it.
create table outbox (
    id              bigint generated always as identity primary key,
    kind            text not null,
    centre_id       bigint references centres (id) on delete set null,
    reservation_id  bigint references reservations (id) on delete set null,
    to_address      text not null,
    to_name         text not null,
    subject         text not null,
    text_body       text not null,
    html_body       text not null,
    calendar_method text check (calendar_method in ('REQUEST', 'CANCEL')),
    calendar_ics    text,
    message_id      text not null unique,
    status          text not null default 'wachtend' check (status in ('wachtend', 'verzonden', 'mislukt')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null,
    locked_until    timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    sent_at         timestamptz,
    check ((calendar_method is null) = (calendar_ics is null))
);
create index outbox_due_idx on outbox (next_attempt_at) where status = 'wachtend';
create index outbox_centre_idx on outbox (centre_id, created_at desc);
create index outbox_created_idx on outbox (created_at desc);

-- Personal API tokens (Authorization: Bearer ...); only the SHA-256 is stored.
create table api_tokens (
    id           bigint generated always as identity primary key,
    user_id      bigint not null references users (id) on delete cascade,
    name         text not null check (length(btrim(name)) between 2 and 80),
    token_hash   bytea not null unique,
    created_at   timestamptz not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);
