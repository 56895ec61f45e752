using System.Text.Json;
using Buurtcentra.Web.Features.Planning.Optimiser;
using Dapper;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Board;

/// <summary>A wish as the explanation needs it: its own options, size and rhythm.</summary>
public sealed record ExplainedWish(long Id, long CentreId, int Participants, string Frequency, int DurationMinutes,
    IReadOnlyList<ExplainedOption> Options);

public sealed record ExplainedOption(int Rank, long? RoomId, int Weekday, int EarliestStartMinute, int LatestStartMinute);

/// <summary>Where a wish was placed (from the allocation row).</summary>
public sealed record GrantedPlace(long RoomId, int Weekday, int StartMinute, int EndMinute, int Lane);

public sealed record NamedRoom(string Name, long CentreId, int Capacity);

/// <summary>Another wish, named in an explanation by its activity and group name only (never its contact details).</summary>
public sealed record NamedWish(string Activity, string GroupName, string Category);

public sealed record NamedBlock(string Label, IReadOnlyList<string> Categories);

/// <summary>The names an explanation refers to by id.</summary>
public sealed record ExplanationNames(
    IReadOnlyDictionary<long, NamedRoom> Rooms,
    IReadOnlyDictionary<long, string> Centres,
    IReadOnlyDictionary<long, NamedWish> Wishes,
    IReadOnlyDictionary<long, NamedBlock> Blocks,
    IReadOnlyDictionary<string, string> Facilities,
    IReadOnlyDictionary<string, string> Accessibility)
{
    public static readonly ExplanationNames Empty = new(
        new Dictionary<long, NamedRoom>(), new Dictionary<long, string>(), new Dictionary<long, NamedWish>(),
        new Dictionary<long, NamedBlock>(), new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>Rooms, centres, wishes and protected blocks of a round, and the lookup lists.</summary>
    public static async Task<ExplanationNames> LoadAsync(NpgsqlConnection connection, long roundId)
    {
        using var grid = await connection.QueryMultipleAsync("""
            select r.id, r.name, r.centre_id, r.capacity from rooms r
            where r.centre_id in (select centre_id from planning_round_centres where round_id = @roundId)
               or r.id in (select o.room_id from planning_wish_options o join planning_wishes w on w.id = o.wish_id where w.round_id = @roundId);
            select c.id, c.name from centres c
            where c.id in (select centre_id from planning_round_centres where round_id = @roundId)
               or c.id in (select centre_id from planning_wishes where round_id = @roundId);
            select id, activity, group_name, category from planning_wishes where round_id = @roundId;
            select b.id, b.label, b.categories from planning_protected_blocks b
            join planning_policies p on p.id = b.policy_id where p.round_id = @roundId;
            select code, name from facilities;
            select code, name from accessibility_features;
            """, new { roundId });
        var rooms = (await grid.ReadAsync<(long Id, string Name, long CentreId, int Capacity)>()).ToDictionary(r => r.Id, r => new NamedRoom(r.Name, r.CentreId, r.Capacity));
        var centres = (await grid.ReadAsync<(long Id, string Name)>()).ToDictionary(c => c.Id, c => c.Name);
        var wishes = (await grid.ReadAsync<(long Id, string Activity, string GroupName, string Category)>()).ToDictionary(w => w.Id, w => new NamedWish(w.Activity, w.GroupName, w.Category));
        var blocks = (await grid.ReadAsync<BlockRow>()).ToDictionary(b => b.Id, b => new NamedBlock(b.Label, b.Categories));
        var facilities = (await grid.ReadAsync<(string Code, string Name)>()).ToDictionary(f => f.Code, f => f.Name);
        var accessibility = (await grid.ReadAsync<(string Code, string Name)>()).ToDictionary(f => f.Code, f => f.Name);
        return new ExplanationNames(rooms, centres, wishes, blocks, facilities, accessibility);
    }

    public sealed class BlockRow
    {
        public long Id { get; init; }
        public string Label { get; init; } = "";
        public string[] Categories { get; init; } = [];
    }
}

/// <summary>The explanation as stored in planning_allocations.explanation (jsonb).</summary>
public static class ExplanationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialise(WishExplanation explanation) => JsonSerializer.Serialize(explanation, Options);

    /// <returns>Null for an empty or unreadable explanation (shown as "no explanation").</returns>
    public static WishExplanation? Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Trim() == "{}") return null;
        try
        {
            var explanation = JsonSerializer.Deserialize<WishExplanation>(json, Options);
            return explanation is { Options: not null, Alternatives: not null } ? explanation : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}

/// <summary>
/// Renders an explanation in plain Dutch (B1): what the wish got and why, option by option, and the free places
/// nearby for a wish that got nothing. Other wishes are named by activity and group name only.
/// </summary>
public static class ExplanationText
{
    public const string Missing = "Voor deze wens is nog geen uitleg.";

    public static string Render(WishExplanation? explanation, ExplainedWish wish, GrantedPlace? granted, ExplanationNames names)
    {
        if (explanation is null)
        {
            return granted is null ? $"Niet toegekend. {Missing}" : $"Toegekend: {Place(granted, wish, names)}.";
        }
        var text = new List<string>();
        switch (explanation.Outcome)
        {
            case Outcome.FirstChoice:
                text.Add(granted is null ? "Toegekend als eerste keus." : $"Toegekend: eerste keus ({Place(granted, wish, names)}).");
                break;
            case Outcome.Alternative:
            {
                var rank = explanation.GrantedRank ?? 2;
                var head = granted is null
                    ? $"Toegekend als {BoardFormat.Ordinal(rank)} keus"
                    : $"Toegekend als {BoardFormat.Ordinal(rank)} keus ({Place(granted, wish, names)})";
                var why = explanation.Options.Where(o => o.Rank < rank).OrderBy(o => o.Rank)
                    .Select(o => Clause(o, wish, names, subordinate: true)).ToList();
                text.Add(why.Count == 0 ? $"{head}." : $"{head}, omdat {Join(why)}.");
                break;
            }
            case Outcome.Locked:
                text.Add(granted is null
                    ? "Door de beheerder vastgezet."
                    : explanation.GrantedRank is { } lockedRank
                        ? $"Door de beheerder vastgezet op de {BoardFormat.Ordinal(lockedRank)} keus: {Place(granted, wish, names)}."
                        : $"Door de beheerder geplaatst: {Place(granted, wish, names)}.");
                break;
            case Outcome.Excluded:
                text.Add("Niet toegekend: de beheerder heeft besloten deze wens niet toe te kennen.");
                AddAlternatives(text, explanation, wish, names);
                break;
            default:
            {
                var why = explanation.Options.OrderBy(o => o.Rank).Select(o => Clause(o, wish, names, subordinate: false)).ToList();
                text.Add(why.Count == 0 ? "Niet toegekend." : $"Niet toegekend: {string.Join("; ", why)}.");
                AddAlternatives(text, explanation, wish, names);
                break;
            }
        }
        return string.Join(" ", text);
    }

    private static void AddAlternatives(List<string> text, WishExplanation explanation, ExplainedWish wish, ExplanationNames names)
    {
        if (explanation.Alternatives.Count == 0)
        {
            if (explanation.Outcome == Outcome.NotGranted) text.Add("Er is geen andere vrije plek gevonden die past.");
            return;
        }
        text.Add($"Wel vrij: {string.Join("; ", explanation.Alternatives.Select(a => FreeSlot(a, wish, names)))}.");
    }

    /// <summary>"Zaal 1, dinsdag 19:00–21:00" plus the rhythm for every other week or monthly.</summary>
    public static string Place(GrantedPlace place, ExplainedWish wish, ExplanationNames names)
    {
        var frequency = BoardFormat.Frequency(wish.Frequency);
        var text = $"{RoomName(place.RoomId, names)}, {BoardFormat.Day(place.Weekday)} {BoardFormat.Span(place.StartMinute, place.EndMinute)}";
        return frequency == Frequency.Weekly ? text : $"{text}, {BoardFormat.FrequencyText(frequency, place.Lane, place.Weekday)}";
    }

    private static string FreeSlot(FreeSlot slot, ExplainedWish wish, ExplanationNames names)
    {
        var place = Place(new GrantedPlace(slot.RoomId, slot.Weekday, slot.StartMinute, slot.EndMinute, slot.Lane), wish, names);
        var where = slot.CentreId == wish.CentreId ? "zelfde buurtcentrum" : names.Centres.GetValueOrDefault(slot.CentreId, "ander buurtcentrum");
        return $"{place} ({where})";
    }

    /// <summary>"keus 1 (Zaal 1, di 19:00)".</summary>
    public static string OptionName(int rank, ExplainedWish wish, ExplanationNames names)
    {
        var option = wish.Options.FirstOrDefault(o => o.Rank == rank);
        if (option is null) return $"keus {rank}";
        var room = option.RoomId is { } roomId ? RoomName(roomId, names) : "een passende ruimte";
        var when = option.EarliestStartMinute == option.LatestStartMinute
            ? $"{BoardFormat.ShortDay(option.Weekday)} {BoardFormat.Time(option.EarliestStartMinute)}"
            : $"{BoardFormat.ShortDay(option.Weekday)}, begin tussen {BoardFormat.Time(option.EarliestStartMinute)} en {BoardFormat.Time(option.LatestStartMinute)}";
        return $"keus {rank} ({room}, {when})";
    }

    /// <summary>
    /// Why one option did not work out. Main clause: "keus 1 (…) is te klein voor 40 deelnemers";
    /// subordinate (after "omdat"): "keus 1 (…) te klein is voor 40 deelnemers".
    /// </summary>
    private static string Clause(OptionReason option, ExplainedWish wish, ExplanationNames names, bool subordinate)
    {
        var subject = OptionName(option.Rank, wish, names);
        var reasons = option.Reasons.Select(r => Phrase(r, wish, names)).Distinct().ToList();
        if (reasons.Count == 0) return subordinate ? $"{subject} niet lukte" : $"{subject} lukte niet";
        if (reasons.Count == 1) return reasons[0].Say(subject, subordinate);
        // Several reasons (e.g. "any fitting room": one room too small, another taken): each names its own room.
        var parts = option.Reasons.Select(r => (Reason: r, Phrase: Phrase(r, wish, names)))
            .Select(x => x.Phrase.Say(x.Reason.RoomId is { } id ? RoomName(id, names) : "het", subordinate: false)).Distinct().ToList();
        return subordinate ? $"{subject} niet lukte ({string.Join("; ", parts)})" : $"{subject} lukte niet: {string.Join("; ", parts)}";
    }

    /// <summary>A reason as verb and rest, so it reads well in a main clause and after "omdat".</summary>
    private sealed record ReasonPhrase(string Verb, string Rest, string Tail = "")
    {
        public string Say(string subject, bool subordinate) =>
            subordinate ? $"{subject} {Rest} {Verb}{Tail}" : $"{subject} {Verb} {Rest}{Tail}";
    }

    private static ReasonPhrase Phrase(Reason reason, ExplainedWish wish, ExplanationNames names)
    {
        switch (reason.Kind)
        {
            case ReasonKind.TakenBy:
            {
                var other = reason.BlockingWishId is { } id && names.Wishes.TryGetValue(id, out var w) ? w : null;
                var who = other is null ? "een andere activiteit"
                    : string.Equals(other.Activity, other.GroupName, StringComparison.OrdinalIgnoreCase) ? $"‘{other.Activity}’"
                    : $"‘{other.Activity}’ van {other.GroupName}";
                var tail = reason.HigherPriority switch
                {
                    true => other is null ? ", die een hogere prioriteit heeft" : $", dat een hogere prioriteit heeft ({BoardFormat.CategoryName(other.Category)})",
                    false => " (zo kregen meer wensen een plek)",
                    _ => "",
                };
                return new ReasonPhrase("ging", $"naar {who}", tail);
            }
            case ReasonKind.Capacity:
            {
                var capacity = reason.RoomId is { } roomId && names.Rooms.TryGetValue(roomId, out var room) ? $" (er passen {room.Capacity} mensen)" : "";
                return new ReasonPhrase("is", "te klein", $" voor {wish.Participants} deelnemers{capacity}");
            }
            case ReasonKind.Facilities:
                return new ReasonPhrase("heeft", $"geen {List(reason.Missing.Select(m => names.Facilities.GetValueOrDefault(m, m).ToLowerInvariant()))}");
            case ReasonKind.Accessibility:
                return new ReasonPhrase("is", $"niet toegankelijk genoeg (nodig: {List(reason.Missing.Select(m => names.Accessibility.GetValueOrDefault(m, m).ToLowerInvariant()))})");
            case ReasonKind.OpeningHours:
                return new ReasonPhrase("valt", "buiten de openingstijden van het buurtcentrum");
            case ReasonKind.ProtectedBlock:
            {
                var block = reason.BlockId is { } blockId && names.Blocks.TryGetValue(blockId, out var b) ? b : null;
                return block is null
                    ? new ReasonPhrase("is", "vrijgehouden voor andere activiteiten")
                    : new ReasonPhrase("is", $"vrijgehouden voor {List(block.Categories.Select(BoardFormat.CategoryName))} ({block.Label})");
            }
            case ReasonKind.NoRoom:
                return new ReasonPhrase("heeft", "geen passende ruimte die in gebruik is");
            case ReasonKind.Locked:
            {
                var other = reason.BlockingWishId is { } id && names.Wishes.TryGetValue(id, out var w) ? $"‘{w.Activity}’" : "een andere activiteit";
                return new ReasonPhrase("is", $"door de beheerder vastgezet voor {other}");
            }
            // "Balance" (added with the optimiser): the option was free, but the plan as a whole scores higher without it.
            case var kind when kind.ToString() == "Balance":
                return new ReasonPhrase("was", "vrij", ", maar het rooster als geheel is beter zonder (bijvoorbeeld door de spreiding over de week)");
            default:
                return new ReasonPhrase("lukte", "niet");
        }
    }

    private static string RoomName(long roomId, ExplanationNames names) =>
        names.Rooms.TryGetValue(roomId, out var room) ? room.Name : "een ruimte";

    /// <summary>"a", "a en b", "a, b en c".</summary>
    public static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            _ => $"{string.Join(", ", list.Take(list.Count - 1))} en {list[^1]}",
        };
    }

    private static string Join(IReadOnlyList<string> clauses) => clauses.Count switch
    {
        1 => clauses[0],
        _ => $"{string.Join(", ", clauses.Take(clauses.Count - 1))} en {clauses[^1]}",
    };
}
