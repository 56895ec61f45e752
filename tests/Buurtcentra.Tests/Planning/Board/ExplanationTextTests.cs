using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Tests.Planning.Board;

public sealed class ExplanationTextTests
{
    private const long Centre = 1, OtherCentre = 2, Zaal1 = 10, Zaal2 = 11, Grote = 20, Koor = 100, Schaak = 101, Bingo = 102;

    private static readonly ExplanationNames Names = new(
        new Dictionary<long, NamedRoom> { [Zaal1] = new("Zaal 1", Centre, 30), [Zaal2] = new("Zaal 2", Centre, 50), [Grote] = new("Grote zaal", OtherCentre, 80) },
        new Dictionary<long, string> { [Centre] = "De Leeuw", [OtherCentre] = "De Boog" },
        new Dictionary<long, NamedWish>
        {
            [Koor] = new("Koor Zuilen", "Zangvereniging Zuilen", "huiskamer"),
            [Bingo] = new("Bingo", "Bingo", "bewonersinitiatief"),
        },
        new Dictionary<long, NamedBlock> { [7] = new("Huiskamer open", ["huiskamer"]) },
        new Dictionary<string, string> { ["piano"] = "Piano", ["beamer"] = "Beamer" },
        new Dictionary<string, string> { ["rolstoeltoegankelijk"] = "Rolstoeltoegankelijk" });

    /// <summary>Schaakclub: 40 people, weekly, 2 hours; 1: Zaal 1 Tue 19:00; 2: Zaal 2 Tue 19:00–20:00; 3: any room Wed 19:00.</summary>
    private static readonly ExplainedWish Wish = new(Schaak, Centre, 40, "wekelijks", 120,
        [new(1, Zaal1, 2, 1140, 1140), new(2, Zaal2, 2, 1140, 1200), new(3, null, 3, 1140, 1140)]);

    private static string Render(WishExplanation e, GrantedPlace? place = null, ExplainedWish? wish = null) =>
        ExplanationText.Render(e, wish ?? Wish, place, Names);

    [Fact]
    public void First_choice_names_the_room_day_and_time()
    {
        var text = Render(new WishExplanation(Schaak, Outcome.FirstChoice, 1, [], []), new GrantedPlace(Zaal1, 2, 1140, 1260, 0));
        Assert.Equal("Toegekend: eerste keus (Zaal 1, dinsdag 19:00–21:00).", text);
    }

    [Fact]
    public void An_alternative_says_which_better_option_went_to_whom_and_why()
    {
        var text = Render(new WishExplanation(Schaak, Outcome.Alternative, 2,
            [new OptionReason(1, [new Reason(ReasonKind.TakenBy) { BlockingWishId = Koor, HigherPriority = true }])], []),
            new GrantedPlace(Zaal2, 2, 1170, 1290, 0));
        Assert.Equal("Toegekend als tweede keus (Zaal 2, dinsdag 19:30–21:30), omdat keus 1 (Zaal 1, di 19:00) naar ‘Koor Zuilen’ van Zangvereniging Zuilen ging, dat een hogere prioriteit heeft (huiskamer/basisaanbod).", text);
    }

    [Fact]
    public void A_third_choice_explains_both_better_options_in_a_subordinate_clause()
    {
        var text = Render(new WishExplanation(Schaak, Outcome.Alternative, 3,
            [
                new OptionReason(1, [new Reason(ReasonKind.Capacity) { RoomId = Zaal1 }]),
                new OptionReason(2, [new Reason(ReasonKind.TakenBy) { BlockingWishId = Bingo, HigherPriority = false }]),
            ], []),
            new GrantedPlace(Zaal2, 3, 1140, 1260, 0));
        Assert.Equal("Toegekend als derde keus (Zaal 2, woensdag 19:00–21:00), omdat keus 1 (Zaal 1, di 19:00) te klein is voor 40 deelnemers (er passen 30 mensen) en keus 2 (Zaal 2, di, begin tussen 19:00 en 20:00) naar ‘Bingo’ ging (zo kregen meer wensen een plek).", text);
    }

    [Fact]
    public void Not_granted_names_the_rule_for_each_option_and_the_free_places_nearby()
    {
        var text = Render(new WishExplanation(Schaak, Outcome.NotGranted, null,
            [
                new OptionReason(1, [new Reason(ReasonKind.Capacity) { RoomId = Zaal1 }]),
                new OptionReason(2, [new Reason(ReasonKind.Facilities) { RoomId = Zaal2, Missing = ["piano", "beamer"] }]),
                new OptionReason(3, [new Reason(ReasonKind.ProtectedBlock) { BlockId = 7 }]),
            ],
            [new FreeSlot(Centre, Zaal2, 3, 1140, 1260, 0), new FreeSlot(OtherCentre, Grote, 4, 1140, 1260, 0)]));
        Assert.Equal("Niet toegekend: keus 1 (Zaal 1, di 19:00) is te klein voor 40 deelnemers (er passen 30 mensen); "
            + "keus 2 (Zaal 2, di, begin tussen 19:00 en 20:00) heeft geen piano en beamer; "
            + "keus 3 (een passende ruimte, wo 19:00) is vrijgehouden voor huiskamer/basisaanbod (Huiskamer open). "
            + "Wel vrij: Zaal 2, woensdag 19:00–21:00 (zelfde buurtcentrum); Grote zaal, donderdag 19:00–21:00 (De Boog).", text);
    }

    [Fact]
    public void Several_reasons_for_one_option_each_name_their_room()
    {
        var text = Render(new WishExplanation(Schaak, Outcome.NotGranted, null,
            [new OptionReason(3, [new Reason(ReasonKind.Capacity) { RoomId = Zaal1 }, new Reason(ReasonKind.TakenBy) { RoomId = Zaal2, BlockingWishId = Koor }])],
            []));
        Assert.Equal("Niet toegekend: keus 3 (een passende ruimte, wo 19:00) lukte niet: Zaal 1 is te klein voor 40 deelnemers (er passen 30 mensen); Zaal 2 ging naar ‘Koor Zuilen’ van Zangvereniging Zuilen. "
            + "Er is geen andere vrije plek gevonden die past.", text);
    }

    [Fact]
    public void Opening_hours_accessibility_no_room_and_locks_read_as_plain_sentences()
    {
        var text = Render(new WishExplanation(Schaak, Outcome.NotGranted, null,
            [
                new OptionReason(1, [new Reason(ReasonKind.OpeningHours)]),
                new OptionReason(2, [new Reason(ReasonKind.Accessibility) { RoomId = Zaal2, Missing = ["rolstoeltoegankelijk"] }]),
                new OptionReason(3, [new Reason(ReasonKind.Locked) { BlockingWishId = Koor }]),
            ], []));
        Assert.Contains("keus 1 (Zaal 1, di 19:00) valt buiten de openingstijden van het buurtcentrum", text);
        Assert.Contains("keus 2 (Zaal 2, di, begin tussen 19:00 en 20:00) is niet toegankelijk genoeg (nodig: rolstoeltoegankelijk)", text);
        Assert.Contains("keus 3 (een passende ruimte, wo 19:00) is door de beheerder vastgezet voor ‘Koor Zuilen’", text);
        Assert.Contains("heeft geen passende ruimte die in gebruik is",
            Render(new WishExplanation(Schaak, Outcome.NotGranted, null, [new OptionReason(1, [new Reason(ReasonKind.NoRoom)])], [])));
    }

    [Fact]
    public void Every_other_week_and_monthly_places_say_which_weeks()
    {
        var biweekly = Wish with { Frequency = "tweewekelijks" };
        var monthly = Wish with { Frequency = "maandelijks" };
        Assert.Equal("Toegekend: eerste keus (Zaal 1, dinsdag 19:00–21:00, om de week, week 2).",
            Render(new WishExplanation(Schaak, Outcome.FirstChoice, 1, [], []), new GrantedPlace(Zaal1, 2, 1140, 1260, 2), biweekly));
        Assert.Equal("Toegekend: eerste keus (Zaal 1, dinsdag 19:00–21:00, eens per maand, de 3e dinsdag).",
            Render(new WishExplanation(Schaak, Outcome.FirstChoice, 1, [], []), new GrantedPlace(Zaal1, 2, 1140, 1260, 3), monthly));
    }

    [Fact]
    public void Locked_and_excluded_wishes_say_the_beheerder_decided()
    {
        Assert.Equal("Door de beheerder geplaatst: Zaal 2, vrijdag 10:00–12:00.",
            Render(new WishExplanation(Schaak, Outcome.Locked, null, [], []), new GrantedPlace(Zaal2, 5, 600, 720, 0)));
        Assert.Equal("Door de beheerder vastgezet op de eerste keus: Zaal 1, dinsdag 19:00–21:00.",
            Render(new WishExplanation(Schaak, Outcome.Locked, 1, [], []), new GrantedPlace(Zaal1, 2, 1140, 1260, 0)));
        Assert.Equal("Niet toegekend: de beheerder heeft besloten deze wens niet toe te kennen. Wel vrij: Zaal 2, woensdag 19:00–21:00 (zelfde buurtcentrum).",
            Render(new WishExplanation(Schaak, Outcome.Excluded, null, [], [new FreeSlot(Centre, Zaal2, 3, 1140, 1260, 0)])));
    }

    [Fact]
    public void An_unknown_other_wish_is_named_without_details_and_a_missing_explanation_says_so()
    {
        var text = Render(new WishExplanation(Schaak, Outcome.NotGranted, null,
            [new OptionReason(1, [new Reason(ReasonKind.TakenBy) { BlockingWishId = 999, HigherPriority = true }])], []));
        Assert.StartsWith("Niet toegekend: keus 1 (Zaal 1, di 19:00) ging naar een andere activiteit, die een hogere prioriteit heeft.", text);
        Assert.Equal("Niet toegekend. Voor deze wens is nog geen uitleg.", ExplanationText.Render(null, Wish, null, Names));
    }

    [Fact]
    public void The_explanation_survives_the_round_trip_through_json_and_an_empty_one_reads_as_none()
    {
        var explanation = new WishExplanation(Schaak, Outcome.Alternative, 2,
            [new OptionReason(1, [new Reason(ReasonKind.Facilities) { RoomId = Zaal1, Missing = ["piano"] }])],
            [new FreeSlot(Centre, Zaal2, 3, 1140, 1260, 1)]);
        var json = ExplanationJson.Serialise(explanation);
        Assert.Contains("\"outcome\":\"Alternative\"", json);
        var back = ExplanationJson.Read(json)!;
        Assert.Equal(Render(explanation, new GrantedPlace(Zaal2, 2, 1140, 1260, 0)), Render(back, new GrantedPlace(Zaal2, 2, 1140, 1260, 0)));
        Assert.Null(ExplanationJson.Read("{}"));
        Assert.Null(ExplanationJson.Read("not json"));
    }
}
