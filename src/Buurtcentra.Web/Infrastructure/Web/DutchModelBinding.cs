using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>Model-binding messages in Dutch: what a person reads when they type letters into a number field.</summary>
public static class DutchModelBinding
{
    public static void Apply(MvcOptions options)
    {
        var p = options.ModelBindingMessageProvider;
        p.SetAttemptedValueIsInvalidAccessor((value, field) => $"'{value}' is geen geldige waarde voor {field}.");
        p.SetMissingBindRequiredValueAccessor(field => $"Vul {field} in.");
        p.SetMissingKeyOrValueAccessor(() => "Vul een waarde in.");
        p.SetMissingRequestBodyRequiredValueAccessor(() => "Het formulier is leeg verstuurd.");
        p.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"'{value}' is geen geldige waarde.");
        p.SetNonPropertyUnknownValueIsInvalidAccessor(() => "De waarde is ongeldig.");
        p.SetNonPropertyValueMustBeANumberAccessor(() => "Vul een getal in.");
        p.SetUnknownValueIsInvalidAccessor(field => $"De waarde van {field} is ongeldig.");
        p.SetValueIsInvalidAccessor(value => $"'{value}' is ongeldig.");
        p.SetValueMustBeANumberAccessor(field => $"Vul bij {field} een getal in.");
        p.SetValueMustNotBeNullAccessor(value => $"Vul een waarde in.");

        // Text with a control character is refused per field (InputText), before MVC's own binder for simple types.
        var simple = options.ModelBinderProviders.ToList().FindIndex(b => b is Microsoft.AspNetCore.Mvc.ModelBinding.Binders.SimpleTypeModelBinderProvider);
        options.ModelBinderProviders.Insert(simple < 0 ? 0 : simple, new TextModelBinderProvider());
    }
}
