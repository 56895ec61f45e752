-- Demo data for `make run`. Never loaded by tests or in production (Demo:Load=false).
-- Idempotent: DemoData skips this file when the demo organisations are already there.
-- The named buurtcentra come from the source texts; the others are plainly invented, as are all addresses.

insert into organisations (name, kind, category, contact_email, phone, website, created_at, updated_at) values
    ('Doenja Dienstverlening', 'smo', null, 'info@doenja.example', '030 123 4501', null, now(), now()),
    ('Me''kaar', 'smo', null, 'info@mekaar.example', '030 123 4502', null, now(), now()),
    ('Vooruit', 'smo', null, 'info@vooruit.example', '030 123 4503', null, now(), now()),
    ('Welzaam', 'smo', null, 'info@welzaam.example', '030 123 4504', null, now(), now()),
    ('Wijk&Co', 'smo', null, 'info@wijkenco.example', '030 123 4505', null, now(), now()),
    ('Stadsbedrijven Utrecht', 'stadsbedrijven', null, 'meldingen@stadsbedrijven.example', '030 123 4600', null, now(), now()),
    ('Gemeente Utrecht, Maatschappelijke Ontwikkeling', 'gemeente', null, 'mo@utrecht.example', '14 030', null, now(), now()),
    ('Klaverjasclub Hoograven', 'gebruikersgroep', 'bewonersinitiatief', 'klaverjassen@hoograven.example', null, null, now(), now()),
    ('De Kracht van Zuilen', 'gebruikersgroep', 'bewonersinitiatief', 'contact@krachtvanzuilen.example', null, null, now(), now()),
    ('Karaoke Oase', 'gebruikersgroep', 'bewonersinitiatief', 'karaoke@oase.example', null, null, now(), now()),
    ('Taalcafé Utrecht', 'gebruikersgroep', 'maatschappelijke_organisatie', 'info@taalcafe.example', '030 123 4700', null, now(), now()),
    ('Dagbesteding De Brug', 'gebruikersgroep', 'sp_do_aanbieder', 'planning@debrug.example', '030 123 4800', null, now(), now()),
    ('Yoga aan de Vecht', 'gebruikersgroep', 'commercieel', 'info@yogavecht.example', '06 1234 5678', null, now(), now());

-- name, slug, street, postcode, wijk, smo
with source (name, slug, street, postcode, wijk_id, smo, description) as (values
    ('Buurtcentrum De Lindeboom', 'de-lindeboom', 'Lindeboomstraat 12', '3531 AB', 1, 'Me''kaar', 'Ontmoeten, leren en bewegen in West.'),
    ('Buurtcentrum Het Lombokhuis', 'het-lombokhuis', 'Kanaalstraat 180', '3531 CJ', 1, 'Me''kaar', 'Midden in Lombok, voor alle culturen.'),
    ('Buurtcentrum De Beatrix', 'de-beatrix', 'Vorstelijk Complex 3', '3554 AA', 2, 'Me''kaar', 'In het Vorstelijk Complex, thuisbasis van De Kracht van Zuilen.'),
    ('Buurtcentrum De Zuilenhoek', 'de-zuilenhoek', 'Amsterdamsestraatweg 700', '3555 HM', 2, 'Me''kaar', 'Buurthuis voor Zuilen en Ondiep.'),
    ('Buurtcentrum De Vechtzoom', 'de-vechtzoom', 'Vechtzoomlaan 5', '3563 AA', 3, 'Wijk&Co', 'Huiskamer en zalen aan de Vecht.'),
    ('Buurtcentrum De Gagelhof', 'de-gagelhof', 'Gageldreef 40', '3562 AB', 3, 'Wijk&Co', 'Voor Gagel en Overvecht-Noord.'),
    ('Buurtcentrum De Tuinkamer', 'de-tuinkamer', 'Tuindorplaan 22', '3571 BC', 4, 'Wijk&Co', 'Met een grote tuin en moestuinbakken.'),
    ('Buurtcentrum Het Voordorphuis', 'het-voordorphuis', 'Voordorpsedijk 9', '3573 PA', 4, 'Wijk&Co', 'Klein en gezellig, vlak bij Ons Buiten.'),
    ('Buurtcentrum De Watertoren', 'de-watertoren', 'Biltstraat 300', '3572 BH', 5, 'Vooruit', 'In de schaduw van de oude watertoren.'),
    ('Buurtcentrum Het Abstedehuis', 'het-abstedehuis', 'Abstederdijk 150', '3582 BN', 5, 'Vooruit', 'Voor Abstede, Oudwijk en de Gansstraat.'),
    ('Buurtcentrum De Domkamer', 'de-domkamer', 'Lange Nieuwstraat 60', '3512 PK', 6, 'Doenja Dienstverlening', 'Huiskamer van de Binnenstad.'),
    ('Buurthuis Hart van Hoograven', 'hart-van-hoograven', 'Hoograven Centrum 1', '3525 AA', 7, 'Vooruit', 'Met Matchpoint: elke maandag de machtmaker voor vragen over initiatieven en vrijwilligerswerk.'),
    ('Buurtcentrum De Boog', 'de-boog', 'Boogstraat 2', '3524 AB', 7, 'Vooruit', 'Gastvrouwen en gastheren doen hier samen met de sociaal makelaar het beheer.'),
    ('Buurtcentrum Het Lunettenhuis', 'het-lunettenhuis', 'Hondsrug 20', '3524 BR', 7, 'Vooruit', 'Voor Lunetten, met sportzaal.'),
    ('Buurtcentrum Oase', 'oase', 'Oasepad 1', '3526 KA', 8, 'Doenja Dienstverlening', 'Elke dag groepen ouderen en jongeren van verschillende culturen; karaoke op donderdag.'),
    ('Buurtcentrum De Kanaalkamer', 'de-kanaalkamer', 'Europalaan 90', '3526 KS', 8, 'Doenja Dienstverlening', 'Huiskamer van Kanaleneiland.'),
    ('Buurtcentrum Het Dichtershuis', 'het-dichtershuis', 'Vondellaan 50', '3521 GH', 8, 'Doenja Dienstverlening', 'Voor de Dichterswijk en Rivierenwijk.'),
    ('Buurtcentrum De Parkwijker', 'de-parkwijker', 'Parkwijklaan 10', '3541 CA', 9, 'Welzaam', 'Nieuw buurtcentrum in Parkwijk.'),
    ('Buurtcentrum Het Terwijdehuis', 'het-terwijdehuis', 'Terwijdelaan 30', '3544 AC', 9, 'Welzaam', 'Voor Terwijde en Het Zand.'),
    ('Cultuurcampus Vleuterweide', 'cultuurcampus-vleuterweide', 'Vleuterweide Centrum 5', '3452 MA', 10, 'Welzaam', 'Met de informatiebalie Wil, de Wijk Informatie Lijn.'),
    ('Buurtcentrum De Meernse Hof', 'de-meernse-hof', 'Mereveldseweg 8', '3454 AB', 10, 'Welzaam', 'Huiskamer van De Meern.'),
    ('Buurtcentrum Het Vleutens Huis', 'het-vleutens-huis', 'Dorpsstraat 40', '3451 BN', 10, 'Welzaam', 'In de dorpskern van Vleuten.')
)
insert into centres (name, slug, street, postcode, city, wijk_id, smo_id, email, phone, description, created_at, updated_at)
select s.name, s.slug, s.street, s.postcode, 'Utrecht', s.wijk_id, o.id,
       replace(s.slug, '-', '') || '@buurtcentra.example', '030 200 ' || lpad((row_number() over (order by s.slug))::text, 4, '0'),
       s.description, now(), now()
from source s join organisations o on o.name = s.smo;

-- Every centre: a huiskamer and several other rooms; sizes vary per centre so the filters have something to do.
with room_source (suffix, name, room_type, base_capacity, base_area, floor) as (values
    (1, 'Huiskamer', 'huiskamer', 20, 45, 'Begane grond'),
    (2, 'Grote zaal', 'zaal', 60, 120, 'Begane grond'),
    (3, 'Vergaderruimte', 'vergaderruimte', 10, 25, 'Eerste verdieping'),
    (4, 'Cursusruimte', 'cursusruimte', 16, 40, 'Eerste verdieping'),
    (5, 'Keuken', 'keuken', 8, 20, 'Begane grond')
)
insert into rooms (centre_id, name, room_type, capacity, area_m2, floor, description, created_at, updated_at)
select c.id, r.name, r.room_type,
       r.base_capacity + (c.id % 4) * (r.base_capacity / 4),
       r.base_area + (c.id % 4) * (r.base_area / 4),
       r.floor, null, now(), now()
from centres c cross join room_source r
where r.suffix <= 4 or c.id % 2 = 0;

insert into rooms (centre_id, name, room_type, capacity, area_m2, floor, description, created_at, updated_at)
select c.id, 'Sportzaal', 'sportzaal', 40, 200, 'Begane grond', 'Met kleedkamers.', now(), now()
from centres c where c.slug in ('het-lunettenhuis', 'de-parkwijker', 'oase', 'de-gagelhof');

insert into room_facilities (room_id, facility_code)
select r.id, f.code
from rooms r join facilities f on
    (r.room_type = 'huiskamer' and f.code in ('koffie', 'wifi', 'keuken'))
 or (r.room_type = 'zaal' and f.code in ('beamer', 'geluid', 'wifi', 'koffie'))
 or (r.room_type = 'zaal' and r.centre_id % 3 = 0 and f.code in ('piano', 'podium'))
 or (r.room_type = 'vergaderruimte' and f.code in ('scherm', 'wifi', 'whiteboard', 'koffie'))
 or (r.room_type = 'cursusruimte' and f.code in ('beamer', 'whiteboard', 'wifi'))
 or (r.room_type = 'keuken' and f.code in ('keuken'))
 or (r.room_type = 'sportzaal' and f.code in ('sportmatten', 'geluid', 'spiegelwand'));

insert into room_accessibility (room_id, feature_code)
select r.id, a.code
from rooms r join accessibility_features a on
    (r.floor = 'Begane grond' and a.code in ('rolstoeltoegankelijk', 'gelijkvloers'))
 or (r.floor = 'Eerste verdieping' and r.centre_id % 2 = 0 and a.code in ('lift', 'rolstoeltoegankelijk'))
 or (r.room_type in ('zaal', 'huiskamer') and r.centre_id % 3 <> 1 and a.code = 'invalidentoilet')
 or (r.room_type = 'zaal' and r.centre_id % 2 = 1 and a.code = 'ringleiding')
 or (r.room_type in ('huiskamer', 'vergaderruimte') and r.centre_id % 4 = 0 and a.code = 'prikkelarm');

-- Open "alle dagen van de week": weekdays morning to evening, weekend shorter.
insert into opening_hours (centre_id, weekday, opens_at, closes_at)
select c.id, d.weekday, d.opens_at, d.closes_at
from centres c cross join (values
    (1, time '09:00', time '22:00'), (2, time '09:00', time '22:00'), (3, time '09:00', time '22:00'),
    (4, time '09:00', time '22:00'), (5, time '09:00', time '23:00'), (6, time '10:00', time '17:00'),
    (7, time '12:00', time '17:00')
) as d (weekday, opens_at, closes_at)
where d.weekday < 7 or c.id % 3 <> 0;

insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at) values
    (null, '2026-12-25', '2026-12-26', 'feestdag', 'Kerstmis', now()),
    (null, '2027-01-01', '2027-01-01', 'feestdag', 'Nieuwjaarsdag', now()),
    (null, '2027-03-28', '2027-03-29', 'feestdag', 'Pasen', now()),
    (null, '2027-04-27', '2027-04-27', 'feestdag', 'Koningsdag', now()),
    (null, '2027-05-05', '2027-05-05', 'feestdag', 'Bevrijdingsdag', now()),
    (null, '2027-05-06', '2027-05-06', 'feestdag', 'Hemelvaartsdag', now()),
    (null, '2027-05-16', '2027-05-17', 'feestdag', 'Pinksteren', now());

insert into closure_days (centre_id, starts_on, ends_on, kind, reason, created_at)
select id, '2026-12-28', '2026-12-31', 'vakantiesluiting', 'Kerstvakantie: gesloten voor onderhoud', now()
from centres where slug in ('de-boog', 'het-voordorphuis', 'de-meernse-hof');

-- Demo accounts. Staff passwords are set by DemoData (hashed with the framework's PasswordHasher).
insert into users (email, display_name, role, organisation_id, created_at, updated_at)
select u.email, u.display_name, u.role, o.id, now(), now()
from (values
    ('functioneel@buurtcentra.example', 'Fenna Functioneel', 'functioneel_beheerder', 'Gemeente Utrecht, Maatschappelijke Ontwikkeling'),
    ('beheerder.hoograven@vooruit.example', 'Bas Beheerder', 'sociaal_beheerder', 'Vooruit'),
    ('beheerder.zuilen@mekaar.example', 'Zehra Beheerder', 'sociaal_beheerder', 'Me''kaar'),
    ('coordinator@vooruit.example', 'Carla Coördinator', 'smo_coordinator', 'Vooruit'),
    ('monteur@stadsbedrijven.example', 'Stan Stadsbedrijven', 'stadsbedrijven', 'Stadsbedrijven Utrecht'),
    ('truus@klaverjasclub.example', 'Truus Vermeulen', 'gebruiker', 'Klaverjasclub Hoograven')
) as u (email, display_name, role, organisation)
left join organisations o on o.name = u.organisation;

insert into user_centres (user_id, centre_id)
select u.id, c.id from users u join centres c on
    (u.email = 'beheerder.hoograven@vooruit.example' and c.slug in ('hart-van-hoograven', 'de-boog'))
 or (u.email = 'beheerder.zuilen@mekaar.example' and c.slug in ('de-beatrix', 'de-zuilenhoek'));
