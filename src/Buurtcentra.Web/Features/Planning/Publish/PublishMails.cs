using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Features.Planning.Wishes;
using Buurtcentra.Web.Infrastructure.Mail;
using Npgsql;

namespace Buurtcentra.Web.Features.Planning.Publish;

/// <summary>
/// The result mail of a published round, one per group that did not get everything it asked for: per activity the
/// result and the reason (with the free alternatives for a wish not granted). A granted series is announced by the
/// reservation's own confirmation with the calendar invitation and the explanation; this mail only refers to it.
/// Groups that got everything get no extra mail. Written into the outbox in the publishing transaction.
/// </summary>
public sealed class PublishMails(Outbox outbox)
{
    public const string Kind = "planning_resultaat";

    public async Task ResultsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, BoardRound round, IReadOnlyList<WishRow> wishes,
        IReadOnlyList<AllocationRow> allocations, IReadOnlyDictionary<long, PublishedSeries> published, ExplanationNames names)
    {
        var byWish = allocations.ToDictionary(a => a.WishId);
        var contacts = await PublishContacts.LoadAsync(connection, wishes, transaction);
        foreach (var group in wishes.GroupBy(w => w.GroupKey))
        {
            var lines = new List<string>();
            var confirmed = 0;
            foreach (var wish in group.OrderBy(w => w.Activity, StringComparer.CurrentCulture))
            {
                var allocation = byWish.GetValueOrDefault(wish.Id);
                var centre = names.Centres.GetValueOrDefault(wish.CentreId, "het buurtcentrum");
                if (allocation?.Place is { } place)
                {
                    if (published.GetValueOrDefault(wish.Id)?.ReservationId is not null)
                    {
                        confirmed++;
                        continue;
                    }
                    lines.Add($"{wish.Activity} ({centre}): toegekend ({ExplanationText.Place(place, wish.Explained, names)}), maar de ruimte is op alle data al bezet. De beheerder neemt contact met u op.");
                    continue;
                }
                var explanation = allocation is null
                    ? "Niet toegekend: deze wens is niet in de planning meegenomen. Neem contact op met de beheerder."
                    : ExplanationText.Render(ExplanationJson.Read(allocation.Explanation), wish.Explained, null, names);
                lines.Add($"{wish.Activity} ({centre}): {explanation}");
            }
            if (lines.Count == 0) continue;
            var to = group.Select(w => contacts.GetValueOrDefault(w.Id)).FirstOrDefault(e => e is not null);
            if (to is null) continue;
            var first = group.First();
            var paragraphs = new List<string>
            {
                $"De voorkeursplanning ‘{round.Name}’ is klaar. Hieronder leest u wat uw groep krijgt, en waarom.",
            };
            paragraphs.AddRange(lines);
            if (confirmed > 0)
            {
                paragraphs.Add(confirmed == 1
                    ? "Voor 1 activiteit krijgt u een aparte mail met de bevestiging en een uitnodiging voor uw agenda."
                    : $"Voor {confirmed} activiteiten krijgt u aparte mails met de bevestiging en een uitnodiging voor uw agenda.");
            }
            paragraphs.Add("Heeft u vragen, of wilt u een van de vrije plekken? Neem dan contact op met de beheerder van het buurtcentrum.");
            var name = first.ContactName ?? first.GroupName;
            var (text, html) = MailTemplate.Compose(name, paragraphs, [("Ronde", round.Name), ("Groep", first.GroupName)], null);
            await outbox.EnqueueAsync(connection, transaction, new OutboxMail(Kind, to, name, $"Voorkeursplanning {round.Name}: uw resultaat", text, html)
            {
                CentreId = first.CentreId,
            });
        }
    }
}
