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
