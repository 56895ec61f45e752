using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Buurtcentra.Web.Features.CentreManagement;

public static class FormErrors
{
    /// <summary>
    /// Like FormExtensions.AddTo, but a field the model binder already rejected ("'abc' is geen geldige waarde ...")
    /// does not also get "Vul ... in." from the validator, which sees an empty value.
    /// </summary>
    public static void AddAfterBindingErrors(this ValidationResult result, ModelStateDictionary modelState, string prefix)
    {
        foreach (var error in result.Errors)
        {
            var key = string.IsNullOrEmpty(error.PropertyName) ? prefix : $"{prefix}.{error.PropertyName}";
            if (modelState.TryGetValue(key, out var entry) && entry.ValidationState == ModelValidationState.Invalid) continue;
            modelState.AddModelError(key, error.ErrorMessage);
        }
    }
}
