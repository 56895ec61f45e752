-- Foundation: buurtcentra, ruimtes, openingstijden, sluitingsdagen, organisaties, accounts.
-- Instants are timestamptz (UTC); opening hours and closure days are local (Europe/Amsterdam) wall-clock values.

create extension if not exists btree_gist;

create table wijken (
    id   smallint primary key,
    name text not null unique
);

insert into wijken (id, name) values
    (1, 'West'), (2, 'Noordwest'), (3, 'Overvecht'), (4, 'Noordoost'), (5, 'Oost'),
    (6, 'Binnenstad'), (7, 'Zuid'), (8, 'Zuidwest'), (9, 'Leidsche Rijn'), (10, 'Vleuten-De Meern');

create table organisations (
    id            bigint generated always as identity primary key,
    name          text not null check (length(btrim(name)) between 2 and 200),
    kind          text not null check (kind in ('smo', 'stadsbedrijven', 'gemeente', 'gebruikersgroep')),
    category      text check (category in ('bewonersinitiatief', 'maatschappelijke_organisatie', 'sp_do_aanbieder', 'commercieel')),
    contact_email text check (contact_email is null or contact_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    phone         text check (phone is null or length(phone) <= 30),
    website       text check (website is null or length(website) <= 300),
    description   text check (description is null or length(description) <= 2000),
    active        boolean not null default true,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    -- only user groups carry a category, and they must have one
    check ((kind = 'gebruikersgroep') = (category is not null))
);
create unique index organisations_name_key on organisations (lower(name));

create table centres (
    id          bigint generated always as identity primary key,
    name        text not null check (length(btrim(name)) between 2 and 120),
    slug        text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    street      text not null check (length(btrim(street)) between 2 and 200),
    postcode    text not null check (postcode ~ '^[1-9][0-9]{3} ?[A-Z]{2}$'),
    city        text not null default 'Utrecht' check (length(city) <= 100),
    wijk_id     smallint not null references wijken (id),
    smo_id      bigint not null references organisations (id),
    email       text check (email is null or email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    phone       text check (phone is null or length(phone) <= 30),
    description text check (description is null or length(description) <= 2000),
    active      boolean not null default true,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
create unique index centres_name_key on centres (lower(name));
create index centres_wijk_idx on centres (wijk_id);
create index centres_smo_idx on centres (smo_id);

-- ISO weekday: 1 = maandag ... 7 = zondag. Several periods per day are allowed (e.g. morning and evening).
create table opening_hours (
    centre_id bigint not null references centres (id) on delete cascade,
    weekday   smallint not null check (weekday between 1 and 7),
    opens_at  time not null,
    closes_at time not null,
    primary key (centre_id, weekday, opens_at),
    check (closes_at > opens_at),
    exclude using gist (centre_id with =, weekday with =, tsrange('2000-01-01'::date + opens_at, '2000-01-01'::date + closes_at, '[)') with &&)
);

-- A closure without centre applies to all centres (e.g. a feestdag).
create table closure_days (
    id         bigint generated always as identity primary key,
    centre_id  bigint references centres (id) on delete cascade,
    starts_on  date not null,
    ends_on    date not null,
    kind       text not null check (kind in ('feestdag', 'vakantiesluiting', 'overig')),
    reason     text not null check (length(btrim(reason)) between 2 and 200),
    created_at timestamptz not null,
    check (ends_on >= starts_on),
    check (ends_on - starts_on <= 366)
);
create index closure_days_centre_idx on closure_days (centre_id, starts_on);

create table room_types (
    code       text primary key,
    name       text not null unique,
    sort_order smallint not null
);
insert into room_types (code, name, sort_order) values
    ('huiskamer', 'Huiskamer', 1), ('zaal', 'Zaal', 2), ('vergaderruimte', 'Vergaderruimte', 3),
    ('cursusruimte', 'Cursusruimte', 4), ('keuken', 'Keuken', 5), ('sportzaal', 'Sportzaal', 6),
    ('atelier', 'Atelier / creatieve ruimte', 7), ('kantoor', 'Spreekkamer / kantoor', 8);

create table facilities (
    code       text primary key,
    name       text not null unique,
    sort_order smallint not null
);
insert into facilities (code, name, sort_order) values
    ('beamer', 'Beamer', 1), ('scherm', 'Groot scherm / tv', 2), ('geluid', 'Geluidsinstallatie', 3),
    ('piano', 'Piano', 4), ('keuken', 'Keuken', 5), ('koffie', 'Koffie en thee', 6), ('wifi', 'Wifi', 7),
    ('whiteboard', 'Whiteboard / flip-over', 8), ('podium', 'Podium', 9), ('spiegelwand', 'Spiegelwand', 10),
    ('sportmatten', 'Sportmatten', 11), ('buitenruimte', 'Buitenruimte', 12);

create table accessibility_features (
    code       text primary key,
    name       text not null unique,
    sort_order smallint not null
);
insert into accessibility_features (code, name, sort_order) values
    ('rolstoeltoegankelijk', 'Rolstoeltoegankelijk', 1), ('invalidentoilet', 'Invalidentoilet', 2),
    ('ringleiding', 'Ringleiding', 3), ('prikkelarm', 'Prikkelarm', 4), ('lift', 'Lift', 5),
    ('gelijkvloers', 'Gelijkvloers', 6);

create table rooms (
    id          bigint generated always as identity primary key,
    centre_id   bigint not null references centres (id) on delete cascade,
    name        text not null check (length(btrim(name)) between 2 and 100),
    room_type   text not null references room_types (code),
    capacity    integer not null check (capacity between 1 and 2000),
    area_m2     integer check (area_m2 is null or area_m2 between 1 and 5000),
    floor       text check (floor is null or length(floor) <= 40),
    description text check (description is null or length(description) <= 2000),
    active      boolean not null default true,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
create unique index rooms_centre_name_key on rooms (centre_id, lower(name));

create table room_facilities (
    room_id       bigint not null references rooms (id) on delete cascade,
    facility_code text not null references facilities (code),
    primary key (room_id, facility_code)
);
create index room_facilities_code_idx on room_facilities (facility_code);

create table room_accessibility (
    room_id      bigint not null references rooms (id) on delete cascade,
    feature_code text not null references accessibility_features (code),
    primary key (room_id, feature_code)
);
create index room_accessibility_code_idx on room_accessibility (feature_code);

create table users (
    id              bigint generated always as identity primary key,
    email           text not null check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 254),
    display_name    text not null check (length(btrim(display_name)) between 2 and 120),
    role            text not null check (role in ('functioneel_beheerder', 'sociaal_beheerder', 'smo_coordinator', 'stadsbedrijven', 'gebruiker')),
    organisation_id bigint references organisations (id),
    password_hash   text,
    failed_logins   integer not null default 0,
    locked_until    timestamptz,
    active          boolean not null default true,
    security_stamp  uuid not null default gen_random_uuid(),
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    last_login_at   timestamptz,
    check (role not in ('smo_coordinator', 'gebruiker') or organisation_id is not null),
    -- gebruikers sign in with a one-time link only
    check (role <> 'gebruiker' or password_hash is null)
);
create unique index users_email_key on users (lower(email));

-- Which centres a sociaal beheerder looks after.
create table user_centres (
    user_id   bigint not null references users (id) on delete cascade,
    centre_id bigint not null references centres (id) on delete cascade,
    primary key (user_id, centre_id)
);
create index user_centres_centre_idx on user_centres (centre_id);

-- One-time sign-in links for gebruikers; only the SHA-256 of the token is stored.
create table login_links (
    token_hash bytea primary key,
    user_id    bigint not null references users (id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index login_links_user_idx on login_links (user_id);

-- ASP.NET Core data-protection key ring, shared by all app instances.
create table data_protection_keys (
    friendly_name text primary key,
    xml           text not null,
    created_at    timestamptz not null default now()
);
