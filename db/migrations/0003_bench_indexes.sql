-- Found by `make bench` (docs/bench.md) on 10 years of history (1.3 million occurrences, about 7,500 per room).
--
-- The conflict check of every booking and change (Features/Reservations/Occurrences.cs, ConflictsAsync) asks for the
-- confirmed occurrences of ONE room whose blocked range overlaps a planned one:
--   o.room_id = @roomId and o.status = 'bevestigd' and o.blocked_from < p.blocked_until
--   and o.blocked_from > p.blocked_from - interval '32 hours' and o.blocked_until > p.blocked_from
-- No index had (room_id, blocked_from): PostgreSQL combined occurrences_room_start_idx (all ~7,500 entries of the room,
-- its whole history) with occurrences_confirmed_start_idx in a BitmapAnd, so the check grew with the years of history
-- (48 buffers, about 3-4 ms per check on the bench machine). With this index it is one short index-only range scan
-- (3-6 buffers, under 1 ms including planning), whatever the history. It also serves other per-room blocked-range
-- reads (a room's confirmed occupancy in a window).
create index occurrences_room_blocked_idx on occurrences (room_id, blocked_from)
    include (blocked_until, starts_at, ends_at, reservation_id)
    where status = 'bevestigd';
