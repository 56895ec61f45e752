-- Changing "this and following" dates of a series splits it: the later dates move to a new reservation with its own
-- iCalendar UID. continued_from links the new part to the one it came from.
alter table reservations add column continued_from bigint references reservations (id);
create index reservations_continued_from_idx on reservations (continued_from) where continued_from is not null;

-- Private links for requesters without an account. The first one is reservations.access_token_hash (it also confirms
-- the e-mail address); every later mail that needs a link (approved, proposal, changed) gets a fresh one here, so
-- only SHA-256 hashes are stored and every link a requester received keeps working.
create table reservation_access_links (
    token_hash     bytea primary key,
    reservation_id bigint not null references reservations (id) on delete cascade,
    created_at     timestamptz not null
);
create index reservation_access_links_reservation_idx on reservation_access_links (reservation_id);
