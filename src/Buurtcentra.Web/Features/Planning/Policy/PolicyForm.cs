using System.ComponentModel.DataAnnotations;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Policy;

/// <summary>The weights and the written text of a round's priority policy. Saving makes a new version.</summary>
public sealed class PolicyForm
{
    public const int WeightMin = 0, WeightMax = 1000, DescriptionMin = 2, DescriptionMax = 4000;

    public string? Description { get; set; }
    [Display(Name = "gewicht huiskamer / basisaanbod")] public int? WeightHuiskamer { get; set; }
    [Display(Name = "gewicht groepsactiviteit SP/DO")] public int? WeightSpDo { get; set; }
    [Display(Name = "gewicht bewonersinitiatief")] public int? WeightBewoners { get; set; }
    [Display(Name = "gewicht maatschappelijke organisatie")] public int? WeightMaatschappelijk { get; set; }
    [Display(Name = "gewicht commercieel")] public int? WeightCommercieel { get; set; }
    [Display(Name = "voorrang voor continuïteit")] public int? ContinuityBonus { get; set; }
    [Display(Name = "bonus eerste keuze")] public int? RankBonus1 { get; set; }
    [Display(Name = "bonus tweede keuze")] public int? RankBonus2 { get; set; }
    [Display(Name = "bonus derde keuze")] public int? RankBonus3 { get; set; }
    [Display(Name = "bonus spreiding")] public int? SpreadBonus { get; set; }
    public bool Fairness { get; set; }

    public void Normalise() => Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim().ReplaceLineEndings("\n");

    public static PolicyForm From(PolicyVersion p) => new()
    {
        Description = p.Description, WeightHuiskamer = p.WeightHuiskamer, WeightSpDo = p.WeightSpDo, WeightBewoners = p.WeightBewoners,
        WeightMaatschappelijk = p.WeightMaatschappelijk, WeightCommercieel = p.WeightCommercieel, ContinuityBonus = p.ContinuityBonus,
        RankBonus1 = p.RankBonus1, RankBonus2 = p.RankBonus2, RankBonus3 = p.RankBonus3, SpreadBonus = p.SpreadBonus, Fairness = p.Fairness,
    };

    /// <summary>The fields with their Dutch names, in the order the screens show them.</summary>
    public static readonly IReadOnlyList<(string Field, string Label, string Hint)> WeightFields =
    [
        (nameof(WeightHuiskamer), "Huiskamer / basisaanbod", "Gewicht van deze soort activiteit."),
        (nameof(WeightSpDo), "Groepsactiviteit SP/DO", "Gewicht van deze soort activiteit."),
        (nameof(WeightBewoners), "Bewonersinitiatief", "Gewicht van deze soort activiteit."),
        (nameof(WeightMaatschappelijk), "Maatschappelijke organisatie", "Gewicht van deze soort activiteit."),
        (nameof(WeightCommercieel), "Commercieel", "Gewicht van deze soort activiteit."),
        (nameof(ContinuityBonus), "Voorrang voor wie vorig seizoen al kwam", "Extra punten voor een wens die het gebruik van vorig seizoen voortzet."),
        (nameof(RankBonus1), "Bonus voor de eerste keuze", "Extra punten als een groep haar eerste keuze krijgt."),
        (nameof(RankBonus2), "Bonus voor de tweede keuze", "Extra punten als een groep haar tweede keuze krijgt."),
        (nameof(RankBonus3), "Bonus voor de derde keuze", "Extra punten als een groep haar derde keuze krijgt."),
        (nameof(SpreadBonus), "Bonus voor spreiding over de week", "Extra punten per buurtcentrum en per dag waarop iets te doen is."),
    ];
}

public sealed class PolicyValidator : AbstractValidator<PolicyForm>
{
    public PolicyValidator()
    {
        RuleFor(f => f.Description).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Schrijf op hoe de ruimtes worden verdeeld. Iedereen kan deze tekst lezen.")
            .Length(PolicyForm.DescriptionMin, PolicyForm.DescriptionMax)
            .WithMessage(f => $"De beschrijving mag hoogstens {PolicyForm.DescriptionMax} tekens lang zijn. Nu zijn het er {f.Description?.Length}.");
        Weight(f => f.WeightHuiskamer, "het gewicht voor huiskamer / basisaanbod");
        Weight(f => f.WeightSpDo, "het gewicht voor groepsactiviteiten SP/DO");
        Weight(f => f.WeightBewoners, "het gewicht voor bewonersinitiatieven");
        Weight(f => f.WeightMaatschappelijk, "het gewicht voor maatschappelijke organisaties");
        Weight(f => f.WeightCommercieel, "het gewicht voor commerciële activiteiten");
        Weight(f => f.ContinuityBonus, "de voorrang voor continuïteit");
        Weight(f => f.RankBonus1, "de bonus voor de eerste keuze");
        Weight(f => f.RankBonus2, "de bonus voor de tweede keuze");
        Weight(f => f.RankBonus3, "de bonus voor de derde keuze");
        Weight(f => f.SpreadBonus, "de bonus voor spreiding");
        RuleFor(f => f.RankBonus2)
            .Must((f, second) => second <= f.RankBonus1)
            .When(f => f.RankBonus1 is >= PolicyForm.WeightMin and <= PolicyForm.WeightMax && f.RankBonus2 is >= PolicyForm.WeightMin and <= PolicyForm.WeightMax)
            .WithMessage("De bonus voor de tweede keuze mag niet hoger zijn dan die voor de eerste keuze.");
        RuleFor(f => f.RankBonus3)
            .Must((f, third) => third <= f.RankBonus2)
            .When(f => f.RankBonus2 is >= PolicyForm.WeightMin and <= PolicyForm.WeightMax && f.RankBonus3 is >= PolicyForm.WeightMin and <= PolicyForm.WeightMax)
            .WithMessage("De bonus voor de derde keuze mag niet hoger zijn dan die voor de tweede keuze.");
    }

    private void Weight(System.Linq.Expressions.Expression<Func<PolicyForm, int?>> field, string name) =>
        RuleFor(field).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage($"Vul {name} in: een heel getal van {PolicyForm.WeightMin} tot {PolicyForm.WeightMax}.")
            .InclusiveBetween(PolicyForm.WeightMin, PolicyForm.WeightMax)
            .WithMessage($"Vul bij {name} een heel getal van {PolicyForm.WeightMin} tot {PolicyForm.WeightMax} in.");
}

/// <summary>One saved version of a round's policy.</summary>
public sealed record PolicyVersion(long Id, long RoundId, int Version, string Description, int WeightHuiskamer, int WeightSpDo, int WeightBewoners,
    int WeightMaatschappelijk, int WeightCommercieel, int ContinuityBonus, int RankBonus1, int RankBonus2, int RankBonus3, int SpreadBonus,
    bool Fairness, long? CreatedByUserId, DateTime CreatedAt, string? CreatedByName)
{
    public int CategoryWeight(string category) => category switch
    {
        "huiskamer" => WeightHuiskamer,
        "sp_do_groepsactiviteit" => WeightSpDo,
        "bewonersinitiatief" => WeightBewoners,
        "maatschappelijke_organisatie" => WeightMaatschappelijk,
        "commercieel" => WeightCommercieel,
        _ => 0,
    };
}

/// <summary>What a new round starts with (version 1): the weights the driehoeksoverleg agreed on as a starting point.</summary>
public static class PolicyDefaults
{
    public const int WeightHuiskamer = 100, WeightSpDo = 80, WeightBewoners = 60, WeightMaatschappelijk = 50, WeightCommercieel = 20,
        ContinuityBonus = 30, RankBonus1 = 30, RankBonus2 = 15, RankBonus3 = 0, SpreadBonus = 10;
    public const bool Fairness = true;

    public const string Description = """
        Zo verdelen we de ruimtes in dit seizoen.

        1. Eerst kijken we naar het soort activiteit. De huiskamer en het basisaanbod gaan voor. Daarna komen groepsactiviteiten van SP/DO, bewonersinitiatieven en maatschappelijke organisaties. Commerciële activiteiten komen als laatste.
        2. Groepen die vorig seizoen al bij ons kwamen, krijgen wat voorrang. Zo blijft wat goed gaat bestaan.
        3. We proberen iedere groep haar eerste keuze te geven. Lukt dat niet, dan kijken we naar de tweede en de derde keuze.
        4. We verdelen eerlijk: een groep krijgt pas een tweede plek als elke andere groep er ook een heeft, als dat kan.
        5. Het buurtcentrum is er alle dagen van de week. Daarom verspreiden we de activiteiten over de week.
        6. Sommige uren houden we vrij, bijvoorbeeld de huiskamer op werkdagochtenden voor het basisaanbod.

        De beheerder heeft het laatste woord en legt elke keuze uit.
        """;

    public static async Task InsertFirstVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long roundId, long? userId, DateTimeOffset now) =>
        await connection.ExecuteAsync("""
            insert into planning_policies (round_id, version, description, weight_huiskamer, weight_sp_do, weight_bewoners, weight_maatschappelijk,
                                           weight_commercieel, continuity_bonus, rank_bonus_1, rank_bonus_2, rank_bonus_3, spread_bonus, fairness,
                                           created_by_user_id, created_at)
            values (@roundId, 1, @Description, @WeightHuiskamer, @WeightSpDo, @WeightBewoners, @WeightMaatschappelijk, @WeightCommercieel,
                    @ContinuityBonus, @RankBonus1, @RankBonus2, @RankBonus3, @SpreadBonus, @Fairness, @userId, @now)
            """, new
        {
            roundId, Description = Description.ReplaceLineEndings("\n"), WeightHuiskamer, WeightSpDo, WeightBewoners, WeightMaatschappelijk, WeightCommercieel,
            ContinuityBonus, RankBonus1, RankBonus2, RankBonus3, SpreadBonus, Fairness, userId, now,
        }, transaction);
}
