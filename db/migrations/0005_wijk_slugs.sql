-- Wijken get a slug for their public pages and feeds (/wijken/{slug}/programma, /agenda/wijken/{slug}.ics).
alter table wijken add column slug text;
update wijken set slug = trim(both '-' from regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'));
alter table wijken alter column slug set not null;
alter table wijken add constraint wijken_slug_key unique (slug);
