-- Meldingen, second part (docs/meldingen.md): repair visits in the room's calendar and the daily digest to the SMO.

-- A planned repair visit for a melding with a room. It appears in the room's week grid and day view and in the private
-- room and staff feeds as "Onderhoud: <category>" (no personal data: no description, no names). When it blocks the room,
-- the handler also writes a room_out_of_use row for the same period (out_of_use_id): the trigger of 0009 then refuses
-- bookings in it exactly as for buiten gebruik. Cancelling the visit cancels that row too.
create table melding_visits (
    id                 bigint generated always as identity primary key,
    melding_id         bigint not null references meldingen (id) on delete cascade,
    room_id            bigint not null references rooms (id),
    starts_at          timestamptz not null,
    ends_at            timestamptz not null,
    -- who comes; shown to staff on the melding only, never in a calendar
    assignee           text check (assignee is null or length(btrim(assignee)) between 2 and 120),
    out_of_use_id      bigint unique references room_out_of_use (id),
    created_by_user_id bigint references users (id) on delete set null,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    cancelled_at       timestamptz,
    check (ends_at > starts_at and ends_at - starts_at <= interval '24 hours')
);
create index melding_visits_room_idx on melding_visits (room_id, starts_at);
create index melding_visits_melding_idx on melding_visits (melding_id);

-- Visits are in the private feeds of their room's centre: raise its feed version (db/migrations/0006) in the same
-- transaction. The occurrences' trigger function reads exactly the columns visits have too (room_id, updated_at).
create trigger calendar_feed_melding_visits_insert after insert on melding_visits
    referencing new table as new_rows for each statement execute function calendar_feed_occurrences_changed();
create trigger calendar_feed_melding_visits_update after update on melding_visits
    referencing old table as old_rows new table as new_rows for each statement execute function calendar_feed_occurrences_changed();

-- The thread records a planned or cancelled visit.
alter table melding_events drop constraint melding_events_kind_check;
alter table melding_events add constraint melding_events_kind_check
    check (kind in ('gemeld', 'status', 'reactie', 'ook_last', 'urgentie', 'buiten_gebruik', 'bezoek'));

-- The daily digest of open meldingen per centre to its SMO: one row per centre and local (Europe/Amsterdam) day, written
-- in the transaction that puts the mails into the outbox. The primary key makes it once a day whatever happens: a second
-- app instance waits for the first one's row and then skips the centre; a restart finds the row.
create table melding_digests (
    centre_id  bigint not null references centres (id) on delete cascade,
    local_date date not null,
    open_count integer not null check (open_count >= 0),
    recipients integer not null check (recipients >= 0),
    created_at timestamptz not null,
    primary key (centre_id, local_date)
);
