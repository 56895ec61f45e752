namespace Buurtcentra.Web.Features.Errors;

/// <summary>What a person reads for a status code: the same words on the Dutch error page and in the API's problem document.</summary>
public static class ErrorTexts
{
    public static (string Title, string Text) For(int code) => code switch
    {
        404 => ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina."),
        403 => ("Geen toegang", "U heeft geen toegang tot deze pagina."),
        400 => ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw."),
        405 => ("Niet toegestaan", "Dit adres kan zo niet worden gebruikt (verkeerde methode, bijvoorbeeld POST in plaats van GET)."),
        413 => ("Te groot", "Wat u stuurde is te groot. Stuur minder tegelijk."),
        415 => ("Verkeerd soort inhoud", "Stuur de gegevens als JSON mee, met de header Content-Type: application/json."),
        429 => ("Te veel verzoeken", "U heeft te vaak achter elkaar een verzoek gedaan. Wacht een minuut en probeer het opnieuw."),
        503 => ("Even niet beschikbaar", "Buurtcentra Utrecht is even niet bereikbaar. Er is niets opgeslagen. Probeer het over een minuut opnieuw."),
        >= 500 => ("Er ging iets mis", "Er ging bij ons iets mis. Uw gegevens zijn niet opgeslagen. Probeer het later opnieuw."),
        _ => ("Er ging iets mis", "Het verzoek kon niet worden verwerkt."),
    };
}
