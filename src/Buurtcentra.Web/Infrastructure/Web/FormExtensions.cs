using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Buurtcentra.Web.Infrastructure.Web;

public static class FormExtensions
{
    public static void AddTo(this ValidationResult result, ModelStateDictionary modelState, string? prefix = null)
    {
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(prefix is null ? error.PropertyName : $"{prefix}.{error.PropertyName}", error.ErrorMessage);
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
