-- Demo data: coordinates of the 22 demo buurtcentra (approximately where their invented addresses would be),
-- for "in de buurt van" in Vrije ruimte zoeken. A centre without coordinates falls back to its wijk's centroid.
update centres c set latitude = v.lat, longitude = v.lon
from (values
    ('de-lindeboom', 52.0935, 5.0985),
    ('het-lombokhuis', 52.0921, 5.1003),
    ('de-beatrix', 52.1087, 5.0941),
    ('de-zuilenhoek', 52.1063, 5.0979),
    ('de-vechtzoom', 52.1158, 5.1205),
    ('de-gagelhof', 52.1212, 5.1092),
    ('de-tuinkamer', 52.1068, 5.1275),
    ('het-voordorphuis', 52.1105, 5.1392),
    ('de-watertoren', 52.0958, 5.1405),
    ('het-abstedehuis', 52.0851, 5.1338),
    ('de-domkamer', 52.0876, 5.1208),
    ('hart-van-hoograven', 52.0768, 5.1262),
    ('de-boog', 52.0792, 5.1218),
    ('het-lunettenhuis', 52.0662, 5.1395),
    ('oase', 52.0748, 5.0975),
    ('de-kanaalkamer', 52.0712, 5.1045),
    ('het-dichtershuis', 52.0805, 5.1120),
    ('de-parkwijker', 52.1003, 5.0588),
    ('het-terwijdehuis', 52.0995, 5.0335),
    ('cultuurcampus-vleuterweide', 52.0985, 5.0118),
    ('de-meernse-hof', 52.0812, 5.0345),
    ('het-vleutens-huis', 52.1050, 5.0125)
) as v (slug, lat, lon)
where c.slug = v.slug;
