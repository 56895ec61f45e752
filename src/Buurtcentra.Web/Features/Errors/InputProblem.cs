using System.Text.Json;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Buurtcentra.Web.Features.Errors;

/// <summary>
/// The one shape of "your input is not right" in the JSON API: an RFC 9457 validation problem (400,
/// application/problem+json) with a Dutch title and detail and Dutch messages keyed by field name (camelCase, as in the
/// JSON; "" for the request as a whole). The API handlers, and <see cref="ErrorHandling"/> for JSON that cannot be read,
/// answer through here.
/// </summary>
public static class InputProblem
{
    public const string Title = "Het verzoek klopt niet.";
    public const string Detail = "Een of meer velden hebben een ongeldige waarde. Zie errors.";

    public static ValidationProblem Of(IEnumerable<(string Field, string Message)> errors, string title = Title, string detail = Detail) =>
        TypedResults.ValidationProblem(Dictionary(errors), title: title, detail: detail);

    /// <summary>A FluentValidation result; property names become camelCase field names unless <paramref name="field"/> maps them.</summary>
    public static ValidationProblem Of(ValidationResult result, string title = Title, string detail = Detail, Func<string, string>? field = null) =>
        Of(result.Errors.Select(e => ((field ?? Field)(e.PropertyName), e.ErrorMessage)), title, detail);

    public static Dictionary<string, string[]> Dictionary(IEnumerable<(string Field, string Message)> errors) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());

    /// <summary>"ContactName" → "contactName"; "Recurrence.Kind" → "recurrence.kind".</summary>
    public static string Field(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status404NotFound);
}
