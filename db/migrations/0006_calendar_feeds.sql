-- Agenda-abonnementen: private iCalendar feeds (/agenda/{token}.ics) that a calendar app fetches on its own.
-- Each feed has its own random token; only its SHA-256 is stored. Renewing replaces the hash (the old link stops at
-- once), revoking sets revoked_at. The subscriber's rights are checked again on every fetch, not here.
--   kind 'ruimte':      target_id = rooms.id          (staff who may see the room's centre)
--   kind 'organisatie': target_id = organisations.id  (accounts of that organisation)
--   kind 'medewerker':  target_id = users.id, the subscriber themself (everything in their centres)
-- The public feeds (/agenda/buurtcentra/{slug}.ics, /agenda/wijken/{slug}.ics) need no token and no row.
create table calendar_feeds (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references users (id) on delete cascade,
    kind            text not null check (kind in ('ruimte', 'organisatie', 'medewerker')),
    target_id       bigint not null,
    token_hash      bytea not null unique check (length(token_hash) = 32),
    created_at      timestamptz not null,
    last_fetched_at timestamptz,
    revoked_at      timestamptz,
    check (kind <> 'medewerker' or target_id = user_id)
);
-- One active link per person and feed: making a link for a feed that has one renews it.
create unique index calendar_feeds_active_key on calendar_feeds (user_id, kind, target_id) where revoked_at is null;

-- Feed versions: a counter per centre, raised in the same transaction as every change that can alter a feed in which
-- the centre's rooms appear (occurrences, reservations and their events, rooms, the centre, organisations). A feed's
-- ETag is made from the counters of its centres, so a calendar app that polls gets its 304 from one primary-key
-- lookup instead of an aggregate over thousands of occurrences, and a change committed late (with an older
-- updated_at than one already seen) still changes the ETag. changed_at, for Last-Modified, only moves forward.
-- Statement-level triggers: a series of 50 dates raises the counter once. Centres are locked in id order, so two
-- transactions that touch the same centres wait for each other instead of deadlocking.
create table calendar_feed_versions (
    centre_id  bigint primary key references centres (id) on delete cascade,
    version    bigint not null,
    changed_at timestamptz not null
);
insert into calendar_feed_versions (centre_id, version, changed_at)
select c.id, 1, greatest(c.updated_at,
    (select max(updated_at) from rooms where centre_id = c.id),
    (select max(updated_at) from reservations where centre_id = c.id),
    (select max(o.updated_at) from occurrences o join rooms m on m.id = o.room_id where m.centre_id = c.id))
from centres c;

create function calendar_feed_touch(centre_ids bigint[], changed timestamptz) returns void
language plpgsql as $$
declare
    touched bigint;
begin
    for touched in select distinct c.id from centres c where c.id = any(centre_ids) order by c.id loop
        insert into calendar_feed_versions as v (centre_id, version, changed_at)
        values (touched, 1, coalesce(changed, statement_timestamp()))
        on conflict (centre_id) do update
            set version = v.version + 1, changed_at = greatest(v.changed_at, coalesce(changed, v.changed_at));
    end loop;
end $$;

create function calendar_feed_occurrences_changed() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform calendar_feed_touch(array(select m.centre_id from new_rows n join rooms m on m.id = n.room_id), (select max(updated_at) from new_rows));
    elsif tg_op = 'UPDATE' then
        perform calendar_feed_touch(array(select m.centre_id from (select room_id from new_rows union select room_id from old_rows) x
                                          join rooms m on m.id = x.room_id), (select max(updated_at) from new_rows));
    else
        perform calendar_feed_touch(array(select m.centre_id from old_rows o join rooms m on m.id = o.room_id), null);
    end if;
    return null;
end $$;
create trigger calendar_feed_occurrences_insert after insert on occurrences
    referencing new table as new_rows for each statement execute function calendar_feed_occurrences_changed();
create trigger calendar_feed_occurrences_update after update on occurrences
    referencing old table as old_rows new table as new_rows for each statement execute function calendar_feed_occurrences_changed();
create trigger calendar_feed_occurrences_delete after delete on occurrences
    referencing old table as old_rows for each statement execute function calendar_feed_occurrences_changed();

-- reservations, rooms: their centre_id; centres: their id.
create function calendar_feed_centre_rows_changed() returns trigger
language plpgsql as $$
declare
    key text := case when tg_table_name = 'centres' then 'id' else 'centre_id' end;
    ids bigint[];
    changed timestamptz;
begin
    if tg_op = 'INSERT' then
        execute format('select array_agg(%I), max(updated_at) from new_rows', key) into ids, changed;
    elsif tg_op = 'UPDATE' then
        execute format('select array_agg(%1$I) from (select %1$I from new_rows union select %1$I from old_rows) x', key) into ids;
        execute 'select max(updated_at) from new_rows' into changed;
    else
        execute format('select array_agg(%I) from old_rows', key) into ids;
    end if;
    perform calendar_feed_touch(ids, changed);
    return null;
end $$;
create trigger calendar_feed_reservations_insert after insert on reservations
    referencing new table as new_rows for each statement execute function calendar_feed_centre_rows_changed();
create trigger calendar_feed_reservations_update after update on reservations
    referencing old table as old_rows new table as new_rows for each statement execute function calendar_feed_centre_rows_changed();
create trigger calendar_feed_reservations_delete after delete on reservations
    referencing old table as old_rows for each statement execute function calendar_feed_centre_rows_changed();
create trigger calendar_feed_rooms_insert after insert on rooms
    referencing new table as new_rows for each statement execute function calendar_feed_centre_rows_changed();
create trigger calendar_feed_rooms_update after update on rooms
    referencing old table as old_rows new table as new_rows for each statement execute function calendar_feed_centre_rows_changed();
create trigger calendar_feed_rooms_delete after delete on rooms
    referencing old table as old_rows for each statement execute function calendar_feed_centre_rows_changed();
create trigger calendar_feed_centres_insert after insert on centres
    referencing new table as new_rows for each statement execute function calendar_feed_centre_rows_changed();
create trigger calendar_feed_centres_update after update on centres
    referencing old table as old_rows new table as new_rows for each statement execute function calendar_feed_centre_rows_changed();

-- The "was it ever confirmed" check of the public feeds reads reservation_events.
create function calendar_feed_events_changed() returns trigger
language plpgsql as $$
begin
    perform calendar_feed_touch(array(select r.centre_id from new_rows e join reservations r on r.id = e.reservation_id),
                                (select max(occurred_at) from new_rows));
    return null;
end $$;
create trigger calendar_feed_events_insert after insert on reservation_events
    referencing new table as new_rows for each statement execute function calendar_feed_events_changed();

-- An organisation's name is in the private feeds of every centre where it has reservations.
create function calendar_feed_organisations_changed() returns trigger
language plpgsql as $$
begin
    perform calendar_feed_touch(array(select distinct r.centre_id from reservations r where r.organisation_id in (select id from new_rows)),
                                (select max(updated_at) from new_rows));
    return null;
end $$;
create trigger calendar_feed_organisations_update after update on organisations
    referencing old table as old_rows new table as new_rows for each statement execute function calendar_feed_organisations_changed();
