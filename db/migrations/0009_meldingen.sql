-- Meldingen technisch en facilitair beheer (docs/meldingen.md): defects and other problems in a buurtcentrum, reported by
-- beheerders, gebruikers, Stadsbedrijven or anyone through the QR code on a room's door; Stadsbedrijven's work queue.

-- A melding's room must belong to its centre: the pair is a foreign key.
create unique index rooms_id_centre_key on rooms (id, centre_id);

create table meldingen (
    id               bigint generated always as identity primary key,
    centre_id        bigint not null references centres (id),
    room_id          bigint,
    category         text not null check (category in ('schoon', 'heel', 'veilig', 'toegankelijk', 'inrichting')),
    kind             text not null check (kind in ('technisch', 'facilitair')),
    description      text not null check (length(btrim(description)) between 10 and 4000),
    urgency          text not null check (urgency in ('spoed', 'hoog', 'normaal', 'laag')),
    status           text not null default 'nieuw'
                     check (status in ('nieuw', 'in_behandeling', 'wacht_op_derden', 'opgelost', 'gesloten', 'heropend', 'afgewezen')),
    -- why it was rejected or reopened (the latest such reason)
    status_reason    text check (status_reason is null or length(btrim(status_reason)) between 2 and 2000),
    planned_on       date,
    assignee         text check (assignee is null or length(btrim(assignee)) between 2 and 120),
    -- the reporter: an account, or a name and e-mail address (private link: melding_access_links)
    reporter_user_id bigint references users (id) on delete set null,
    reporter_name    text not null check (length(btrim(reporter_name)) between 2 and 120),
    reporter_email   text check (reporter_email is null or (reporter_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(reporter_email) <= 254)),
    -- the response clock: started at the report (again at a reopening), deadline from the target time of the urgency then
    clock_started_at timestamptz not null,
    due_at           timestamptz not null,
    -- first time solved (lead time, "within target" in the figures) and when closed
    solved_at        timestamptz,
    closed_at        timestamptz,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    foreign key (room_id, centre_id) references rooms (id, centre_id),
    check (due_at > clock_started_at),
    check (status <> 'in_behandeling' or (planned_on is not null and assignee is not null)),
    check (status not in ('afgewezen', 'heropend') or status_reason is not null),
    check (status not in ('opgelost', 'gesloten') or solved_at is not null)
);
create index meldingen_centre_status_idx on meldingen (centre_id, status);
create index meldingen_open_due_idx on meldingen (due_at) where status not in ('opgelost', 'gesloten', 'afgewezen');
create index meldingen_room_idx on meldingen (room_id, category) where room_id is not null;
create index meldingen_reporter_idx on meldingen (reporter_user_id) where reporter_user_id is not null;

-- People who also have the problem ("Ik heb dit ook") and get the status mails; the reporter is not repeated here.
create table melding_followers (
    id         bigint generated always as identity primary key,
    melding_id bigint not null references meldingen (id) on delete cascade,
    user_id    bigint references users (id) on delete cascade,
    name       text not null check (length(btrim(name)) between 2 and 120),
    email      text not null check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 254),
    created_at timestamptz not null
);
create unique index melding_followers_email_key on melding_followers (melding_id, lower(email));

-- Private links for people without an account: the reporter's (follower_id null) and followers'. Only the SHA-256 is
-- stored; every link a person received keeps working. A follower's link shows the melding but cannot close it.
create table melding_access_links (
    token_hash  bytea primary key check (length(token_hash) = 32),
    melding_id  bigint not null references meldingen (id) on delete cascade,
    follower_id bigint references melding_followers (id) on delete cascade,
    created_at  timestamptz not null
);
create index melding_access_links_melding_idx on melding_access_links (melding_id);

-- History and comment thread. kind: gemeld, status (from_status -> to_status), reactie, ook_last, urgentie.
create table melding_events (
    id            bigint generated always as identity primary key,
    melding_id    bigint not null references meldingen (id) on delete cascade,
    occurred_at   timestamptz not null,
    actor_user_id bigint references users (id) on delete set null,
    actor_name    text not null,
    -- melder, beheerder, stadsbedrijven: shown next to the name
    actor_role    text not null check (actor_role in ('melder', 'beheerder', 'stadsbedrijven', 'systeem')),
    kind          text not null check (kind in ('gemeld', 'status', 'reactie', 'ook_last', 'urgentie', 'buiten_gebruik')),
    from_status   text,
    to_status     text,
    note          text check (note is null or length(note) <= 4000),
    check ((kind = 'status') = (to_status is not null))
);
create index melding_events_melding_idx on melding_events (melding_id, occurred_at, id);

-- Target times per urgency, set by Stadsbedrijven. 'uren': clock hours around the clock; 'werkdagen': working days
-- (Monday to Friday without public holidays, see docs/decisions/0007-meldingen-response-times.md). A missing row means
-- the standard value in the code (ResponseTargets.Standard).
create table melding_target_times (
    urgency            text primary key check (urgency in ('spoed', 'hoog', 'normaal', 'laag')),
    amount             integer not null check (amount between 1 and 999),
    unit               text not null check (unit in ('uren', 'werkdagen')),
    updated_at         timestamptz not null,
    updated_by_user_id bigint references users (id) on delete set null,
    check (unit <> 'werkdagen' or amount <= 60)
);
insert into melding_target_times (urgency, amount, unit, updated_at) values
    ('spoed', 4, 'uren', now()), ('hoog', 1, 'werkdagen', now()), ('normaal', 5, 'werkdagen', now()), ('laag', 20, 'werkdagen', now());

-- Photos (at most 3 per melding), stored re-encoded as JPEG without any metadata (no EXIF, so no location data), in
-- the database: served only through the melding's own pages to people who may see the melding.
create table melding_photos (
    id         bigint generated always as identity primary key,
    melding_id bigint not null references meldingen (id) on delete cascade,
    position   smallint not null check (position between 1 and 3),
    content    bytea not null check (length(content) between 1 and 5242880),
    width      integer not null check (width between 1 and 4000),
    height     integer not null check (height between 1 and 4000),
    created_at timestamptz not null,
    unique (melding_id, position)
);

-- Buiten gebruik (docs/decisions/0008-room-out-of-use.md): a room taken out of use for a period, usually because of a
-- melding. The database refuses a new or changed occurrence that would hold the room ('aangevraagd' or 'bevestigd') in
-- such a period, as it refuses double bookings; existing bookings stay and are listed and mailed by the app.
create table room_out_of_use (
    id                 bigint generated always as identity primary key,
    room_id            bigint not null references rooms (id),
    melding_id         bigint references meldingen (id) on delete set null,
    starts_at          timestamptz not null,
    ends_at            timestamptz not null,
    reason             text not null check (length(btrim(reason)) between 2 and 500),
    created_by_user_id bigint references users (id) on delete set null,
    created_at         timestamptz not null,
    cancelled_at       timestamptz,
    check (ends_at > starts_at and ends_at - starts_at <= interval '366 days')
);
create index room_out_of_use_room_idx on room_out_of_use (room_id, starts_at) where cancelled_at is null;

-- Race-free: the trigger takes a FOR SHARE lock on the room row before it looks; taking a room out of use takes FOR UPDATE
-- on it first (OutOfUseHandler). Whichever commits first, the other sees it: a booking that waited is refused, an
-- out-of-use that waited lists the booking as affected. Bookings in one room do not block each other (shared locks).
create function occurrences_refuse_out_of_use() returns trigger
language plpgsql as $$
begin
    if new.status not in ('aangevraagd', 'bevestigd') then
        return new;
    end if;
    if tg_op = 'UPDATE' and old.status in ('aangevraagd', 'bevestigd') and new.status = old.status and new.room_id = old.room_id
       and new.blocked_from = old.blocked_from and new.blocked_until = old.blocked_until then
        return new;
    end if;
    perform 1 from rooms where id = new.room_id for share;
    if exists (select 1 from room_out_of_use u
               where u.room_id = new.room_id and u.cancelled_at is null
                 and u.starts_at < new.blocked_until and u.ends_at > new.blocked_from) then
        raise exception 'De ruimte is in deze periode buiten gebruik.'
            using errcode = 'exclusion_violation', constraint = 'occurrences_room_out_of_use';
    end if;
    return new;
end $$;

create trigger occurrences_refuse_out_of_use before insert or update of status, room_id, blocked_from, blocked_until on occurrences
    for each row execute function occurrences_refuse_out_of_use();
