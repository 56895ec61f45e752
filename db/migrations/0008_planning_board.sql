-- Voorkeursplanning, planbord: optimiser runs in the background, publishing (additive to 0007 only).

-- How a run plans: with the optimiser, or in order of priority without optimising (for comparison).
alter table planning_runs add column method text not null default 'optimaal' check (method in ('optimaal', 'volgorde'));
-- The worker that runs it holds it until then; a run whose worker stopped (restart) is marked failed after that.
alter table planning_runs add column locked_until timestamptz;
-- At most one waiting or running run per round (also when two people press the button at once).
create unique index planning_runs_one_active on planning_runs (round_id) where status in ('wachtend', 'bezig');
create index planning_runs_waiting on planning_runs (created_at, id) where status = 'wachtend';

-- A closure period may concern one centre of the round (the rounds screens add the same column; either way it exists once).
alter table planning_round_closures add column if not exists centre_id bigint references centres (id);

create index planning_allocations_wish on planning_allocations (wish_id);
create index planning_reactions_proposal on planning_reactions (proposal_id);
create index planning_publications_reservation on planning_publications (reservation_id);
