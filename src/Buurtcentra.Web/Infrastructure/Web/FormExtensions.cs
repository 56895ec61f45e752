using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Buurtcentra.Web.Infrastructure.Web;

public static class FormExtensions
{
    /// <summary>
    /// Adds the validator's errors to the form. A field the model binder already rejected ("'abc' is geen geldige
    /// waarde ...") does not also get the validator's "Vul ... in.", which only saw an empty value.
    /// </summary>
    public static void AddTo(this ValidationResult result, ModelStateDictionary modelState, string? prefix = null)
    {
        foreach (var error in result.Errors)
        {
            var key = string.IsNullOrEmpty(prefix) ? error.PropertyName
                : string.IsNullOrEmpty(error.PropertyName) ? prefix : $"{prefix}.{error.PropertyName}";
            if (modelState.TryGetValue(key, out var entry) && entry.ValidationState == ModelValidationState.Invalid) continue;
            modelState.AddModelError(key, error.ErrorMessage);
        }
    }

    /// <summary>A one-line confirmation shown after the redirect (Post/Redirect/Get).</summary>
    public static void Flash(this Controller controller, string message) => controller.TempData["flash"] = message;

    public static string? Flash(this ITempDataDictionary tempData) => tempData["flash"] as string;
}

/// <summary>Result of a handler that changes data: either done, or a message for the form.</summary>
public readonly record struct CommandResult(bool Succeeded, string? Field, string? Error)
{
    public static CommandResult Ok() => new(true, null, null);
    public static CommandResult Fail(string field, string error) => new(false, field, error);

    public bool AddErrorTo(ModelStateDictionary modelState)
    {
        if (!Succeeded) modelState.AddModelError(Field ?? "", Error ?? "Er ging iets mis.");
        return !Succeeded;
    }
}
