-- Demo voorkeursplanning for `make run`: the round "Seizoen 2027-2028" for Hart van Hoograven and De Boog, open for
-- wishes, with the standard priority policy (huiskamer mornings protected), the school holidays and feestdagen of the
-- season, and eleven wishes of the demo groups. Two of them want the same Thursday evening in the Cursusruimte of
-- Hart van Hoograven (Taalcafé Utrecht and Yoga aan de Vecht), so the optimiser has a real choice to explain.
-- Loaded after 0001_demo.sql, in the same transaction. Times are Utrecht wall-clock times.

insert into planning_rounds (name, season_start, season_end, wishes_deadline, phase, created_by_user_id, created_at, updated_at)
select 'Seizoen 2027-2028', date '2027-08-30', date '2028-07-02', date '2027-06-30', 'open', u.id,
       now() - interval '3 weeks', now() - interval '1 week'
from users u where u.email = 'beheerder.hoograven@vooruit.example';

insert into planning_round_centres (round_id, centre_id)
select r.id, c.id from planning_rounds r join centres c on c.slug in ('hart-van-hoograven', 'de-boog')
where r.name = 'Seizoen 2027-2028';

insert into planning_phase_log (round_id, from_phase, to_phase, actor_user_id, actor_name, occurred_at, note)
select r.id, l.from_phase, l.to_phase, u.id, u.display_name, now() - l.ago, l.note
from planning_rounds r
cross join (values
    (null, 'concept', interval '3 weeks', 'Ronde aangemaakt'),
    ('concept', 'open', interval '1 week', 'Brief en mail aan alle groepen van Hoograven verstuurd.')
) as l (from_phase, to_phase, ago, note)
join users u on u.email = 'beheerder.hoograven@vooruit.example'
where r.name = 'Seizoen 2027-2028';

-- School holidays (regio midden) and feestdagen of the season: the published series skip them.
insert into planning_round_closures (round_id, starts_on, ends_on, reason)
select r.id, c.starts_on, c.ends_on, c.reason
from planning_rounds r
cross join (values
    (date '2027-10-16', date '2027-10-24', 'Herfstvakantie'),
    (date '2027-12-25', date '2028-01-09', 'Kerstvakantie'),
    (date '2028-02-19', date '2028-02-27', 'Voorjaarsvakantie'),
    (date '2028-04-16', date '2028-04-17', 'Pasen'),
    (date '2028-04-22', date '2028-04-30', 'Meivakantie en Koningsdag'),
    (date '2028-05-05', date '2028-05-05', 'Bevrijdingsdag'),
    (date '2028-05-25', date '2028-05-26', 'Hemelvaart'),
    (date '2028-06-04', date '2028-06-05', 'Pinksteren')
) as c (starts_on, ends_on, reason)
where r.name = 'Seizoen 2027-2028';

-- Policy version 1: the standard weights (PolicyDefaults) and text.
insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                               weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, fairness,
                               created_by_user_id, created_at)
select r.id, 1, $$Zo verdelen we de ruimtes in dit seizoen.

1. Eerst kijken we naar het soort activiteit. De huiskamer en het basisaanbod gaan voor. Daarna komen groepsactiviteiten van SP/DO, bewonersinitiatieven en maatschappelijke organisaties. Commerciële activiteiten komen als laatste.
2. Groepen die vorig seizoen al bij ons kwamen, krijgen wat voorrang. Zo blijft wat goed gaat bestaan.
3. We proberen iedere groep haar eerste keuze te geven. Lukt dat niet, dan kijken we naar de tweede en de derde keuze.
4. We verdelen eerlijk: een groep krijgt pas een tweede plek als elke andere groep er ook een heeft, als dat kan.
5. Het buurtcentrum is er alle dagen van de week. Daarom verspreiden we de activiteiten over de week.
6. Sommige uren houden we vrij, bijvoorbeeld de huiskamer op werkdagochtenden voor het basisaanbod.

De beheerder heeft het laatste woord en legt elke keuze uit.$$,
       100, 80, 60, 50, 20, 30, 30, 15, 0, 10, true, u.id, now() - interval '3 weeks'
from planning_rounds r join users u on u.email = 'beheerder.hoograven@vooruit.example'
where r.name = 'Seizoen 2027-2028';

-- The huiskamer of both centres stays free on weekday mornings for the basisaanbod.
insert into planning_protected_blocks (policy_id, room_id, weekday, starts_at, ends_at, categories, label)
select p.id, rm.id, d.weekday, time '09:00', time '12:00', '{huiskamer}', 'Huiskamer open voor basisaanbod'
from planning_rounds r
join planning_policies p on p.round_id = r.id and p.version = 1
join planning_round_centres rc on rc.round_id = r.id
join rooms rm on rm.centre_id = rc.centre_id and rm.name = 'Huiskamer'
cross join generate_series(1, 5) as d (weekday)
where r.name = 'Seizoen 2027-2028';

create temporary table planning_demo_wishes (
    slug          text not null,
    organisation  text,
    group_name    text,
    contact_name  text,
    contact_email text,
    submitted_by  text not null,
    activity      text not null,
    category      text not null,
    target_groups text[] not null,
    participants  integer not null,
    facilities    text[] not null,
    accessibility text[] not null,
    frequency     text not null,
    duration      integer not null,
    is_public     boolean not null,
    remarks       text
) on commit drop;

insert into planning_demo_wishes values
    ('hart-van-hoograven', 'Klaverjasclub Hoograven', null, 'Truus Vermeulen', 'truus@klaverjasclub.example', 'truus@klaverjasclub.example',
     'Klaverjassen', 'bewonersinitiatief', '{ouderen,iedereen}', 16, '{koffie}', '{rolstoeltoegankelijk}', 'wekelijks', 150, true,
     'Wij spelen al twaalf jaar op maandagavond in de huiskamer.'),
    ('hart-van-hoograven', 'Taalcafé Utrecht', null, 'Samira El Idrissi', 'info@taalcafe.example', 'beheerder.hoograven@vooruit.example',
     'Taalcafé', 'maatschappelijke_organisatie', '{nieuwkomers,laaggeletterd}', 12, '{koffie}', '{}', 'wekelijks', 120, true, null),
    ('hart-van-hoograven', 'Taalcafé Utrecht', null, 'Samira El Idrissi', 'info@taalcafe.example', 'beheerder.hoograven@vooruit.example',
     'Taalles voor werkende nieuwkomers', 'maatschappelijke_organisatie', '{nieuwkomers}', 14, '{whiteboard}', '{}', 'wekelijks', 120, false,
     'Overdag werken onze deelnemers. Alleen de avond kan.'),
    ('hart-van-hoograven', 'Yoga aan de Vecht', null, 'Lotte de Wit', 'info@yogavecht.example', 'beheerder.hoograven@vooruit.example',
     'Yoga voor beginners', 'commercieel', '{iedereen}', 14, '{}', '{}', 'wekelijks', 90, true, 'Graag dezelfde avond als nu.'),
    ('hart-van-hoograven', 'Dagbesteding De Brug', null, 'Ruud Bakker', 'planning@debrug.example', 'beheerder.hoograven@vooruit.example',
     'Dagbesteding', 'sp_do_groepsactiviteit', '{beperking}', 20, '{koffie}', '{rolstoeltoegankelijk,invalidentoilet}', 'wekelijks', 360, false, null),
    ('hart-van-hoograven', 'Karaoke Oase', null, 'Ahmet Yilmaz', 'karaoke@oase.example', 'beheerder.hoograven@vooruit.example',
     'Karaoke-avond', 'bewonersinitiatief', '{iedereen,jongeren}', 40, '{geluid}', '{}', 'tweewekelijks', 180, true, null),
    ('hart-van-hoograven', null, 'Buurtmoeders Hoograven', 'Fatima Ouali', 'buurtmoeders.hoograven@bewoner.example', 'beheerder.hoograven@vooruit.example',
     'Koffie-uur voor ouders', 'bewonersinitiatief', '{gezinnen,eenzaamheid}', 12, '{koffie}', '{}', 'wekelijks', 120, true,
     'Na het brengen van de kinderen naar school.'),
    ('de-boog', 'Klaverjasclub Hoograven', null, 'Truus Vermeulen', 'truus@klaverjasclub.example', 'truus@klaverjasclub.example',
     'Klaverjasmiddag', 'bewonersinitiatief', '{ouderen}', 12, '{koffie}', '{}', 'wekelijks', 180, true, null),
    ('de-boog', 'Dagbesteding De Brug', null, 'Ruud Bakker', 'planning@debrug.example', 'beheerder.hoograven@vooruit.example',
     'Samen koken en eten', 'sp_do_groepsactiviteit', '{beperking,eenzaamheid}', 18, '{keuken}', '{rolstoeltoegankelijk}', 'wekelijks', 180, false, null),
    ('de-boog', 'Karaoke Oase', null, 'Ahmet Yilmaz', 'karaoke@oase.example', 'beheerder.hoograven@vooruit.example',
     'Karaokemiddag voor ouderen', 'bewonersinitiatief', '{ouderen}', 25, '{geluid}', '{}', 'maandelijks', 150, true, null),
    ('de-boog', 'De Kracht van Zuilen', null, 'Fatma Demir', 'contact@krachtvanzuilen.example', 'beheerder.hoograven@vooruit.example',
     'Buurtmaaltijd', 'bewonersinitiatief', '{iedereen,eenzaamheid}', 30, '{keuken,koffie}', '{}', 'tweewekelijks', 150, true, null);

-- Options per wish: rank, room (null: any fitting room of the centre), ISO weekday, earliest and latest start.
create temporary table planning_demo_options (
    activity text not null,
    rank     smallint not null,
    room     text,
    weekday  smallint not null,
    earliest time not null,
    latest   time not null
) on commit drop;

insert into planning_demo_options values
    ('Klaverjassen', 1, 'Huiskamer', 1, '19:30', '19:30'),
    ('Klaverjassen', 2, 'Huiskamer', 2, '19:30', '20:00'),
    ('Taalcafé', 1, 'Huiskamer', 2, '13:30', '14:00'),
    ('Taalcafé', 2, 'Vergaderruimte', 2, '10:00', '10:30'),
    -- The contested slot: both want the Cursusruimte on Thursday evening.
    ('Taalles voor werkende nieuwkomers', 1, 'Cursusruimte', 4, '19:00', '19:30'),
    ('Taalles voor werkende nieuwkomers', 2, 'Vergaderruimte', 4, '19:00', '19:30'),
    ('Yoga voor beginners', 1, 'Cursusruimte', 4, '19:00', '19:30'),
    ('Yoga voor beginners', 2, 'Grote zaal', 4, '20:00', '20:30'),
    ('Yoga voor beginners', 3, null, 3, '19:00', '20:00'),
    ('Dagbesteding', 1, 'Grote zaal', 3, '09:30', '09:30'),
    ('Karaoke-avond', 1, 'Grote zaal', 5, '19:30', '20:00'),
    ('Karaoke-avond', 2, 'Grote zaal', 6, '19:30', '20:00'),
    ('Koffie-uur voor ouders', 1, 'Huiskamer', 5, '09:00', '09:15'),
    ('Koffie-uur voor ouders', 2, null, 5, '09:00', '09:15'),
    ('Klaverjasmiddag', 1, 'Huiskamer', 3, '14:00', '14:00'),
    ('Samen koken en eten', 1, 'Huiskamer', 4, '12:00', '12:30'),
    ('Samen koken en eten', 2, null, 2, '13:00', '14:00'),
    ('Karaokemiddag voor ouderen', 1, 'Grote zaal', 6, '14:00', '14:30'),
    ('Buurtmaaltijd', 1, 'Huiskamer', 5, '17:30', '17:30'),
    ('Buurtmaaltijd', 2, 'Grote zaal', 5, '17:30', '18:00');

insert into planning_wishes (round_id, centre_id, organisation_id, group_name, contact_name, contact_email, activity, category, target_groups,
                             participants, facilities, accessibility, frequency, duration_minutes, is_public, remarks, status,
                             submitted_by_user_id, created_at, updated_at)
select r.id, c.id, o.id, coalesce(o.name, w.group_name), w.contact_name, w.contact_email, w.activity, w.category, w.target_groups,
       w.participants, w.facilities, w.accessibility, w.frequency, w.duration, w.is_public, w.remarks, 'ingediend',
       u.id, now() - interval '5 days', now() - interval '5 days'
from planning_demo_wishes w
join planning_rounds r on r.name = 'Seizoen 2027-2028'
join centres c on c.slug = w.slug
left join organisations o on o.name = w.organisation
left join users u on u.email = w.submitted_by;

insert into planning_wish_options (wish_id, rank, room_id, weekday, earliest_start, latest_start)
select pw.id, o.rank, rm.id, o.weekday, o.earliest, o.latest
from planning_demo_options o
join planning_wishes pw on pw.activity = o.activity
join planning_rounds r on r.id = pw.round_id and r.name = 'Seizoen 2027-2028'
left join rooms rm on rm.centre_id = pw.centre_id and rm.name = o.room;
