using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Benchmarks;

/// <summary>
/// A city-wide voorkeursplanning round, generated in memory from a fixed seed (no database): the 22 centres of the demo
/// data with 8 or 9 rooms each, about 3,300 wishes from about 2,400 groups, up to three ranked options each, crowded on the
/// popular evenings (Tuesday to Thursday around 19:00) and on weekday mornings.
/// </summary>
internal static class PlanningRound
{
    private static readonly (string Name, int Wijk)[] Centres =
    [
        ("De Lindeboom", 1), ("Het Lombokhuis", 1), ("De Beatrix", 2), ("De Zuilenhoek", 2), ("De Vechtzoom", 3),
        ("De Gagelhof", 3), ("De Tuinkamer", 4), ("Het Voordorphuis", 4), ("De Watertoren", 5), ("Het Abstedehuis", 5),
        ("De Domkamer", 6), ("Hart van Hoograven", 7), ("De Boog", 7), ("Het Lunettenhuis", 7), ("Oase", 8),
        ("De Kanaalkamer", 8), ("Het Dichtershuis", 8), ("De Parkwijker", 9), ("Het Terwijdehuis", 9),
        ("Cultuurcampus Vleuterweide", 10), ("De Meernse Hof", 10), ("Het Vleutens Huis", 10),
    ];

    private sealed record RoomType(string Name, int Capacity, string[] Facilities, bool GroundFloor);

    private static readonly RoomType[] RoomTypes =
    [
        new("Huiskamer", 22, ["koffie", "keuken", "wifi"], true),
        new("Grote zaal", 70, ["beamer", "geluid", "koffie", "wifi", "podium", "keuken", "sportmatten"], true),
        new("Kleine zaal", 32, ["beamer", "koffie", "wifi", "whiteboard"], true),
        new("Beweegruimte", 28, ["spiegelwand", "sportmatten", "geluid"], true),
        new("Atelier", 16, ["whiteboard", "koffie"], false),
        new("Vergaderruimte", 12, ["beamer", "whiteboard", "wifi"], false),
        new("Tuinkamer", 20, ["koffie", "buitenruimte", "sportmatten"], true),
        new("Spreekkamer", 6, ["wifi"], false),
        new("Keuken", 14, ["keuken", "koffie"], true),
    ];

    /// <summary>What groups do: category, size, needs, length, when, where, how often.</summary>
    private sealed record Activity(string Name, string Category, int MinPeople, int MaxPeople, string[] Facilities, int[] Durations,
        Part[] Parts, string[] RoomTypes, double Weekly, double EveryOtherWeek);

    private enum Part { Morning, Afternoon, Evening, Saturday }

    private const string Huiskamer = "huiskamer", SpDo = "sp_do_groepsactiviteit", Bewoners = "bewonersinitiatief",
        Maatschappelijk = "maatschappelijke_organisatie", Commercieel = "commercieel";

    private static readonly Activity[] Activities =
    [
        new("Huiskamer inloop", Huiskamer, 8, 20, ["koffie"], [180, 210], [Part.Morning, Part.Afternoon], ["Huiskamer"], 1.0, 0),
        new("Koffieochtend", Huiskamer, 10, 22, ["koffie"], [120, 150], [Part.Morning], ["Huiskamer", "Tuinkamer"], 0.9, 0.1),
        new("Buurtmaaltijd", Huiskamer, 14, 40, ["keuken"], [150, 180], [Part.Evening], ["Huiskamer", "Keuken", "Grote zaal"], 0.2, 0.4),
        new("Dagbesteding ouderen", SpDo, 8, 14, ["koffie"], [180, 240], [Part.Morning, Part.Afternoon], ["Huiskamer", "Tuinkamer", "Atelier"], 1.0, 0),
        new("Taalcafé", SpDo, 6, 18, [], [90, 120], [Part.Morning, Part.Evening], ["Kleine zaal", "Vergaderruimte", "Tuinkamer"], 0.8, 0.15),
        new("Huiswerkbegeleiding", SpDo, 6, 14, ["wifi"], [90, 120], [Part.Afternoon], ["Vergaderruimte", "Kleine zaal", "Atelier"], 1.0, 0),
        new("Bewegen voor ouderen", SpDo, 8, 20, ["sportmatten"], [60, 75], [Part.Morning, Part.Afternoon], ["Beweegruimte", "Grote zaal"], 1.0, 0),
        new("Kinderclub", SpDo, 10, 24, [], [90, 120], [Part.Afternoon], ["Kleine zaal", "Tuinkamer", "Grote zaal"], 0.7, 0.3),
        new("Jongerenavond", SpDo, 8, 25, ["geluid"], [120, 150], [Part.Evening], ["Grote zaal", "Beweegruimte", "Kleine zaal"], 0.8, 0.15),
        new("Klaverjassen", Bewoners, 12, 32, [], [180], [Part.Evening, Part.Afternoon], ["Kleine zaal", "Grote zaal", "Huiskamer"], 0.6, 0.25),
        new("Buurtkoor", Bewoners, 15, 40, ["geluid"], [120], [Part.Evening], ["Grote zaal", "Kleine zaal"], 0.9, 0.1),
        new("Schaakclub", Bewoners, 6, 18, [], [150], [Part.Evening], ["Vergaderruimte", "Atelier", "Tuinkamer", "Kleine zaal"], 0.7, 0.2),
        new("Repair café", Bewoners, 10, 25, [], [180], [Part.Saturday, Part.Evening], ["Atelier", "Kleine zaal", "Tuinkamer"], 0, 0.4),
        new("Bewonerscommissie", Bewoners, 5, 12, ["beamer"], [90, 120], [Part.Evening], ["Vergaderruimte", "Kleine zaal"], 0, 0.3),
        new("Naaiatelier", Bewoners, 5, 12, [], [150], [Part.Morning, Part.Evening], ["Atelier", "Tuinkamer"], 0.6, 0.3),
        new("Moestuinclub", Bewoners, 5, 15, ["buitenruimte"], [120], [Part.Afternoon, Part.Saturday], ["Tuinkamer"], 0.5, 0.5),
        new("Budgetspreekuur", Maatschappelijk, 1, 5, [], [120, 180], [Part.Morning, Part.Afternoon], ["Spreekkamer", "Vergaderruimte"], 1.0, 0),
        new("Opvoedondersteuning", Maatschappelijk, 6, 14, ["koffie"], [120], [Part.Morning], ["Huiskamer", "Tuinkamer", "Vergaderruimte"], 0.5, 0.4),
        new("Lotgenotengroep", Maatschappelijk, 6, 14, [], [90, 120], [Part.Evening], ["Vergaderruimte", "Tuinkamer", "Atelier"], 0.6, 0.3),
        new("Voorlichtingsavond", Maatschappelijk, 15, 50, ["beamer"], [120], [Part.Evening], ["Grote zaal", "Kleine zaal"], 0, 0.2),
        new("Yoga", Commercieel, 8, 18, ["sportmatten"], [60, 75, 90], [Part.Evening, Part.Morning], ["Beweegruimte", "Tuinkamer", "Grote zaal"], 1.0, 0),
        new("Dansles", Commercieel, 10, 24, ["spiegelwand"], [60, 90], [Part.Evening], ["Beweegruimte"], 1.0, 0),
        new("Schilderles", Commercieel, 6, 12, [], [120, 150], [Part.Afternoon, Part.Evening], ["Atelier"], 0.7, 0.2),
        new("Cursus Nederlands", Commercieel, 8, 16, ["whiteboard"], [120], [Part.Evening, Part.Morning], ["Vergaderruimte", "Atelier", "Kleine zaal"], 1.0, 0),
    ];

    // How often each activity is asked for (same order as Activities).
    private static readonly int[] Popularity = [6, 5, 3, 6, 8, 5, 5, 4, 4, 6, 4, 4, 3, 3, 4, 2, 5, 3, 5, 2, 5, 3, 4, 4];

    public const int Seed = 2027;

    public static PlanInput Generate(int wishCount = 3300, int seed = Seed)
    {
        var random = new Random(seed);
        var centres = new List<PlanCentre>();
        var rooms = new List<PlanRoom>();
        var roomsByCentre = new Dictionary<long, List<(PlanRoom Room, RoomType Type)>>();
        var blocks = new List<ProtectedBlock>();
        for (var i = 0; i < Centres.Length; i++)
        {
            var id = i + 1L;
            var closes = i % 3 == 0 ? 22 * 60 : 22 * 60 + 30;
            var hours = new List<OpeningWindow>();
            for (var day = 1; day <= 5; day++) hours.Add(new OpeningWindow(day, 9 * 60, closes));
            if (i % 4 != 3) hours.Add(new OpeningWindow(6, 10 * 60, 17 * 60));
            if (i % 5 == 0) hours.Add(new OpeningWindow(7, 12 * 60, 17 * 60));
            centres.Add(new PlanCentre(id, Centres[i].Name, Centres[i].Wijk, hours));
            var list = roomsByCentre[id] = [];
            var types = RoomTypes.Take(i % 5 == 1 ? 9 : 8).ToList();
            for (var r = 0; r < types.Count; r++)
            {
                var type = types[r];
                var capacity = type.Capacity + (int)(type.Capacity * 0.25 * ((i + r) % 4 - 1.5));
                var accessibility = new List<string>();
                if (type.GroundFloor || i % 3 == 0) accessibility.AddRange(["rolstoeltoegankelijk", "gelijkvloers"]);
                if (type.Name is "Grote zaal" || (type.Name is "Kleine zaal" && i % 2 == 0)) accessibility.Add("ringleiding");
                // clean-up 15 minutes as the app's rooms have by default; the big hall 15 minutes to set up as well
                var room = new PlanRoom(id * 100 + r + 1, id, type.Name, Math.Max(4, capacity), type.Facilities.ToHashSet(), accessibility.ToHashSet())
                {
                    SetupMinutes = type.Name == "Grote zaal" ? 15 : 0,
                    CleanupMinutes = 15,
                };
                rooms.Add(room);
                list.Add((room, type));
                if (type.Name == "Huiskamer")
                {
                    for (var day = 1; day <= 5; day++)
                    {
                        blocks.Add(new ProtectedBlock(blocks.Count + 1, room.Id, day, 9 * 60, 12 * 60, new HashSet<string> { Huiskamer, SpDo },
                            "Huiskamer open in de ochtend"));
                    }
                }
            }
        }

        // Bigger centres get more wishes.
        var centreWeights = centres.Select((c, i) => 1.0 + 0.5 * ((i * 7) % 5) / 4.0).ToArray();
        var totalWeight = centreWeights.Sum();
        var popularityTotal = Popularity.Sum();
        var wishes = new List<Wish>();
        var groupCount = 0;
        for (var i = 0; i < centres.Count; i++)
        {
            var centre = centres[i];
            var target = (int)Math.Round(wishCount * centreWeights[i] / totalWeight);
            if (i == centres.Count - 1) target = wishCount - wishes.Count;
            var made = 0;
            while (made < target)
            {
                // a group: one wish, sometimes two or three (twice a week, or two activities)
                var group = $"groep-{++groupCount}";
                var size = random.NextDouble() switch { < 0.76 => 1, < 0.94 => 2, _ => 3 };
                var activity = Pick(random, popularityTotal);
                var usedDays = new HashSet<int>();
                for (var k = 0; k < size && made < target; k++, made++)
                {
                    if (k > 0 && random.NextDouble() < 0.4) activity = Pick(random, popularityTotal);
                    wishes.Add(MakeWish(random, wishes.Count + 1, group, activity, centre, roomsByCentre[centre.Id], usedDays));
                }
            }
        }
        var policy = new PlanPolicy(
            new Dictionary<string, int> { [Huiskamer] = 100, [SpDo] = 80, [Bewoners] = 60, [Maatschappelijk] = 50, [Commercieel] = 20 },
            ContinuityBonus: 40, RankBonus: [30, 15, 5], SpreadBonus: 10, Fairness: true, ProtectedBlocks: blocks, StepMinutes: 15);
        return new PlanInput(centres, rooms, wishes, [], policy);
    }

    private static Activity Pick(Random random, int total)
    {
        var roll = random.Next(total);
        for (var i = 0; i < Activities.Length; i++)
        {
            roll -= Popularity[i];
            if (roll < 0) return Activities[i];
        }
        return Activities[^1];
    }

    private static Wish MakeWish(Random random, long id, string group, Activity activity, PlanCentre centre,
        List<(PlanRoom Room, RoomType Type)> rooms, HashSet<int> usedDays)
    {
        var participants = random.Next(activity.MinPeople, activity.MaxPeople + 1);
        var accessibility = new HashSet<string>();
        var roll = random.NextDouble();
        if (roll < 0.18) accessibility.Add("rolstoeltoegankelijk");
        else if (roll < 0.22) accessibility.Add("ringleiding");
        var facilities = activity.Facilities.Where(_ => random.NextDouble() < 0.6).ToHashSet();
        var frequencyRoll = random.NextDouble();
        var frequency = frequencyRoll < activity.Weekly ? Frequency.Weekly
            : frequencyRoll < activity.Weekly + activity.EveryOtherWeek ? Frequency.EveryOtherWeek : Frequency.Monthly;
        var duration = activity.Durations[random.Next(activity.Durations.Length)];
        var part = activity.Parts[random.NextDouble() < 0.75 ? 0 : random.Next(activity.Parts.Length)];

        // The room they ask for: one of their preferred types that fits, or any fitting room.
        var fitting = rooms.Where(r => r.Room.Capacity >= participants && facilities.IsSubsetOf(r.Room.Facilities)
            && accessibility.IsSubsetOf(r.Room.Accessibility)).ToList();
        var preferred = fitting.Where(r => activity.RoomTypes.Contains(r.Type.Name)).ToList();
        long? RoomChoice()
        {
            if (random.NextDouble() < 0.45) return null;
            var from = preferred.Count > 0 ? preferred : fitting.Count > 0 ? fitting : rooms;
            // a few ask for a room that cannot hold them: that shows up in the explanations
            if (random.NextDouble() < 0.02) from = rooms;
            return from[random.Next(from.Count)].Room.Id;
        }

        var day = part == Part.Saturday ? 6 : PickDay(random, part, usedDays);
        usedDays.Add(day);
        var start = PickStart(random, part, duration);
        var shift = random.NextDouble() switch { < 0.35 => 0, < 0.65 => 30, < 0.9 => 60, _ => 120 };
        var options = new List<WishOption> { Option(1, centre, RoomChoice(), day, start, shift, duration, part) };
        if (random.NextDouble() < 0.7)
        {
            var kind = random.NextDouble();
            if (kind < 0.6 && part != Part.Saturday)
            {
                var other = PickDay(random, part, usedDays);
                options.Add(Option(2, centre, options[0].RoomId, other, start, shift, duration, part));
            }
            else if (kind < 0.85)
            {
                options.Add(Option(2, centre, options[0].RoomId, day, start + (random.Next(2) == 0 ? -90 : 120), shift, duration, part));
            }
            else
            {
                options.Add(Option(2, centre, null, day, start, shift + 30, duration, part));
            }
            if (random.NextDouble() < 0.55)
            {
                var other = part == Part.Saturday ? random.Next(1, 6) : PickDay(random, part, usedDays);
                var otherPart = part == Part.Saturday ? Part.Afternoon : part;
                options.Add(Option(3, centre, null, other, PickStart(random, otherPart, duration), 60, duration, otherPart));
            }
        }
        return new Wish(id, group, $"Groep {group[6..]}", activity.Name, activity.Category, participants, facilities, accessibility, frequency,
            duration, Continuity: random.NextDouble() < 0.55, options);
    }

    private static WishOption Option(int rank, PlanCentre centre, long? roomId, int day, int start, int shift, int duration, Part part)
    {
        var (opens, closes) = part == Part.Saturday ? (10 * 60, 17 * 60) : (9 * 60, 22 * 60);
        var earliest = Math.Clamp(start, opens, closes - duration);
        var latest = Math.Clamp(earliest + shift, earliest, Math.Max(earliest, closes - duration));
        return new WishOption(rank, centre.Id, roomId, day, earliest, latest);
    }

    /// <summary>Tuesday to Thursday evenings are the popular ones; mornings spread over the working week.</summary>
    private static int PickDay(Random random, Part part, HashSet<int> avoid)
    {
        double[] weights = part == Part.Evening ? [0.8, 1.5, 1.6, 1.5, 0.35, 0.1, 0] : [1, 1.1, 1.1, 1.1, 0.8, 0.1, 0];
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var roll = random.NextDouble() * weights.Sum();
            var day = 1;
            while (roll >= weights[day - 1] && day < 7) roll -= weights[day++ - 1];
            if (!avoid.Contains(day)) return day;
        }
        return random.Next(1, 6);
    }

    private static int PickStart(Random random, Part part, int duration) => part switch
    {
        Part.Morning => random.NextDouble() < 0.6 ? 9 * 60 + 30 : (9 * 60) + 30 * random.Next(4),
        Part.Afternoon => random.NextDouble() < 0.5 ? 13 * 60 + 30 : 13 * 60 + 30 * random.Next(6),
        Part.Saturday => 10 * 60 + 30 * random.Next(4),
        _ => Math.Min(random.NextDouble() < 0.65 ? 19 * 60 + 30 * random.Next(2) : 18 * 60 + 30 * random.Next(5), 22 * 60 - duration),
    };
}
