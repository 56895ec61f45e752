-- Who changed a gebruikersgroep, and what (docs/organisaties-en-gebruikers.md). Sociaal beheerders and SMO-coördinatoren
-- may edit only the groups that use one of their centres (or none yet); every creation and change is kept here, with the
-- fields before and after, so nothing changes without a name attached to it.
create table organisation_changes (
    id                 bigint generated always as identity primary key,
    organisation_id    bigint not null references organisations (id) on delete cascade,
    changed_at         timestamptz not null,
    changed_by_user_id bigint references users (id) on delete set null,
    changed_by_name    text not null check (length(changed_by_name) between 1 and 200),
    -- [{"field": "Naam", "from": "...", "to": "..."}]; an empty list for the creation
    changes            jsonb not null check (jsonb_typeof(changes) = 'array'),
    created            boolean not null default false
);
create index organisation_changes_organisation_idx on organisation_changes (organisation_id, changed_at);
create index organisation_changes_user_idx on organisation_changes (changed_by_user_id);
