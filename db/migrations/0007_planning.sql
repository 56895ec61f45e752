-- Voorkeursplanning: a season's rounds, the groups' wishes, the priority policy, the optimiser's proposals,
-- the beheerder's locks, the groups' reactions and what publishing created.

create table planning_rounds (
    id                   bigint generated always as identity primary key,
    name                 text not null check (length(btrim(name)) between 2 and 120),
    season_start         date not null,
    season_end           date not null,
    -- groups can hand in wishes until this date (inclusive) while the round is open
    wishes_deadline      date,
    phase                text not null default 'concept'
                         check (phase in ('concept', 'open', 'in_behandeling', 'concept_gedeeld', 'vastgesteld', 'gepubliceerd')),
    -- the round whose published allocations were rolled into this one as continuity wishes
    rolled_from_round_id bigint references planning_rounds (id),
    created_by_user_id   bigint references users (id),
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    check (season_end > season_start),
    check (season_end - season_start <= 400)
);

create table planning_round_centres (
    round_id  bigint not null references planning_rounds (id) on delete cascade,
    centre_id bigint not null references centres (id),
    primary key (round_id, centre_id)
);
create index planning_round_centres_centre on planning_round_centres (centre_id);

-- School holidays and feestdagen in the season: the published series skip them.
create table planning_round_closures (
    id        bigint generated always as identity primary key,
    round_id  bigint not null references planning_rounds (id) on delete cascade,
    starts_on date not null,
    ends_on   date not null,
    reason    text not null check (length(btrim(reason)) between 2 and 200),
    check (ends_on >= starts_on)
);
create index planning_round_closures_round on planning_round_closures (round_id);

create table planning_phase_log (
    id            bigint generated always as identity primary key,
    round_id      bigint not null references planning_rounds (id) on delete cascade,
    from_phase    text,
    to_phase      text not null,
    actor_user_id bigint references users (id),
    actor_name    text not null,
    occurred_at   timestamptz not null,
    note          text check (note is null or length(note) <= 1000)
);
create index planning_phase_log_round on planning_phase_log (round_id, occurred_at);

-- The priority policy, versioned: every change is a new row; a proposal names the version it used.
create table planning_policies (
    id                 bigint generated always as identity primary key,
    round_id           bigint not null references planning_rounds (id) on delete cascade,
    version            integer not null check (version >= 1),
    -- the written-down policy everyone reads
    description        text not null check (length(btrim(description)) between 2 and 4000),
    weight_huiskamer   integer not null check (weight_huiskamer between 0 and 1000),
    weight_sp_do       integer not null check (weight_sp_do between 0 and 1000),
    weight_bewoners    integer not null check (weight_bewoners between 0 and 1000),
    weight_maatschappelijk integer not null check (weight_maatschappelijk between 0 and 1000),
    weight_commercieel integer not null check (weight_commercieel between 0 and 1000),
    -- bonus for a wish that continues last season's use
    continuity_bonus   integer not null check (continuity_bonus between 0 and 1000),
    -- bonus for getting the first, second or third choice
    rank_bonus_1       integer not null check (rank_bonus_1 between 0 and 1000),
    rank_bonus_2       integer not null check (rank_bonus_2 between 0 and 1000),
    rank_bonus_3       integer not null check (rank_bonus_3 between 0 and 1000),
    -- bonus per centre and weekday on which something happens ("alle dagen van de week")
    spread_bonus       integer not null check (spread_bonus between 0 and 1000),
    -- no group gets a second slot while another eligible group gets nothing, where that can be avoided
    fairness           boolean not null default true,
    created_by_user_id bigint references users (id),
    created_at         timestamptz not null,
    unique (round_id, version)
);

-- Blocks kept free for some categories, e.g. the huiskamer open every weekday morning for basisaanbod.
-- They belong to a policy version (copied on every new version).
create table planning_protected_blocks (
    id           bigint generated always as identity primary key,
    policy_id    bigint not null references planning_policies (id) on delete cascade,
    room_id      bigint not null references rooms (id),
    weekday      smallint not null check (weekday between 1 and 7),
    starts_at    time not null,
    ends_at      time not null,
    categories   text[] not null check (cardinality(categories) >= 1),
    label        text not null check (length(btrim(label)) between 2 and 120),
    check (ends_at > starts_at)
);
create index planning_protected_blocks_policy on planning_protected_blocks (policy_id);

create table planning_wishes (
    id                   bigint generated always as identity primary key,
    round_id             bigint not null references planning_rounds (id) on delete cascade,
    -- the centre the wish is for; options may name a room there or ask for any fitting room
    centre_id            bigint not null references centres (id),
    -- the group: an organisation, or a named group with a contact (a resident initiative without organisation)
    organisation_id      bigint references organisations (id),
    group_name           text not null check (length(btrim(group_name)) between 2 and 200),
    contact_name         text check (contact_name is null or length(contact_name) <= 120),
    contact_email        text check (contact_email is null or contact_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    activity             text not null check (length(btrim(activity)) between 2 and 120),
    category             text not null check (category in ('huiskamer', 'sp_do_groepsactiviteit', 'bewonersinitiatief', 'maatschappelijke_organisatie', 'commercieel')),
    target_groups        text[] not null default '{}',
    participants         integer not null check (participants between 1 and 2000),
    facilities           text[] not null default '{}',
    accessibility        text[] not null default '{}',
    frequency            text not null check (frequency in ('wekelijks', 'tweewekelijks', 'maandelijks')),
    duration_minutes     integer not null check (duration_minutes between 15 and 720 and duration_minutes % 15 = 0),
    is_public            boolean not null default false,
    remarks              text check (remarks is null or length(remarks) <= 2000),
    -- doorrollen: the wish continues this published allocation of the previous round
    continues_allocation_id bigint,
    -- for a continuity wish: open until the group confirms, changes or withdraws it
    continuity_answer    text check (continuity_answer in ('open', 'bevestigd', 'gewijzigd')),
    status               text not null default 'ingediend' check (status in ('ingediend', 'ingetrokken')),
    submitted_by_user_id bigint references users (id),
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    check (organisation_id is not null or contact_email is not null),
    -- a continuity wish keeps its answer when the allocation it continued is deleted
    check (continues_allocation_id is null or continuity_answer is not null)
);
create index planning_wishes_round on planning_wishes (round_id, centre_id);
create index planning_wishes_organisation on planning_wishes (organisation_id);

-- Up to three ranked options per wish: a room (or any fitting room of the centre), a weekday and a window in
-- which the start may shift.
create table planning_wish_options (
    wish_id        bigint not null references planning_wishes (id) on delete cascade,
    rank           smallint not null check (rank between 1 and 3),
    room_id        bigint references rooms (id),
    weekday        smallint not null check (weekday between 1 and 7),
    earliest_start time not null,
    latest_start   time not null,
    primary key (wish_id, rank),
    check (latest_start >= earliest_start)
);

-- Every run of the optimiser (and every manual edit of the board) is a version; the latest is the draft.
create table planning_proposals (
    id                 bigint generated always as identity primary key,
    round_id           bigint not null references planning_rounds (id) on delete cascade,
    version            integer not null check (version >= 1),
    policy_version     integer not null,
    -- optimaal, haalbaar (time limit reached), greedy, handmatig
    solver_status      text not null,
    objective          bigint,
    bound              bigint,
    solve_ms           integer,
    granted            integer not null default 0,
    wishes             integer not null default 0,
    note               text check (note is null or length(note) <= 1000),
    created_by_user_id bigint references users (id),
    created_at         timestamptz not null,
    unique (round_id, version)
);

-- One row per wish per proposal: where it goes (or not granted), and why, as the optimiser explained it.
create table planning_allocations (
    id            bigint generated always as identity primary key,
    proposal_id   bigint not null references planning_proposals (id) on delete cascade,
    wish_id       bigint not null references planning_wishes (id) on delete cascade,
    -- null: not granted
    room_id       bigint references rooms (id),
    weekday       smallint check (weekday between 1 and 7),
    starts_at     time,
    ends_at       time,
    -- which weeks: 0 every week; every other week 1 (starting in the season's first week) or 2 (its second week);
    -- monthly 1-4: the first to fourth such weekday of the month
    lane          smallint not null default 0 check (lane between 0 and 4),
    -- which option (1-3) it got; null when placed by hand or not granted
    option_rank   smallint check (option_rank between 1 and 3),
    locked        boolean not null default false,
    -- the structured explanation (see Features/Planning/Optimiser/PlanResult.cs), rendered in Dutch on screen
    explanation   jsonb not null default '{}',
    unique (proposal_id, wish_id),
    check ((room_id is null) = (weekday is null) and (room_id is null) = (starts_at is null) and (room_id is null) = (ends_at is null)),
    check (ends_at is null or ends_at > starts_at)
);
create index planning_allocations_room on planning_allocations (proposal_id, room_id, weekday);

alter table planning_wishes add constraint planning_wishes_continues_fk
    foreign key (continues_allocation_id) references planning_allocations (id) on delete set null;

-- The beheerder's last word: a wish fixed to a place (or fixed as not granted); every run respects it.
create table planning_locks (
    round_id   bigint not null references planning_rounds (id) on delete cascade,
    wish_id    bigint not null references planning_wishes (id) on delete cascade,
    room_id    bigint references rooms (id),
    weekday    smallint check (weekday between 1 and 7),
    starts_at  time,
    ends_at    time,
    lane       smallint not null default 0 check (lane between 0 and 4),
    created_by_user_id bigint references users (id),
    created_at timestamptz not null,
    primary key (round_id, wish_id),
    check ((room_id is null) = (weekday is null) and (room_id is null) = (starts_at is null))
);

-- A running or finished optimiser job, so the page can show progress and survive a reload.
create table planning_runs (
    id            bigint generated always as identity primary key,
    round_id      bigint not null references planning_rounds (id) on delete cascade,
    status        text not null check (status in ('wachtend', 'bezig', 'klaar', 'mislukt')),
    progress_note text,
    proposal_id   bigint references planning_proposals (id) on delete set null,
    error         text,
    started_by_user_id bigint references users (id),
    created_at    timestamptz not null,
    finished_at   timestamptz
);
create index planning_runs_round on planning_runs (round_id, created_at desc);

-- The groups' reactions to the shared draft.
create table planning_reactions (
    id            bigint generated always as identity primary key,
    wish_id       bigint not null references planning_wishes (id) on delete cascade,
    proposal_id   bigint not null references planning_proposals (id) on delete cascade,
    reaction      text not null check (reaction in ('akkoord', 'opmerking')),
    comment       text check (comment is null or length(comment) <= 2000),
    user_id       bigint references users (id),
    actor_name    text not null,
    created_at    timestamptz not null,
    check (reaction = 'akkoord' or comment is not null)
);
create index planning_reactions_wish on planning_reactions (wish_id, created_at desc);

-- What publishing created: the series per allocation, and dates left out because an ad-hoc booking was there.
create table planning_publications (
    allocation_id  bigint primary key references planning_allocations (id) on delete cascade,
    reservation_id bigint references reservations (id),
    published_at   timestamptz not null
);

create table planning_publish_conflicts (
    id                      bigint generated always as identity primary key,
    allocation_id           bigint not null references planning_allocations (id) on delete cascade,
    local_date              date not null,
    conflicting_reservation_id bigint references reservations (id),
    resolved_at             timestamptz,
    unique (allocation_id, local_date)
);

-- Additions for the rounds, wishes and doorrollen screens (additive only).
-- A closure period may concern one centre of the round (e.g. that centre's own maintenance week); null: every centre of the round.
alter table planning_round_closures add column centre_id bigint references centres (id);
-- Doorrollen continues each published allocation at most once per round (also when two people press the button at once).
create unique index planning_wishes_continues_once on planning_wishes (round_id, continues_allocation_id)
    where continues_allocation_id is not null;
