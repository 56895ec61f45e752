using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.Metadata;

namespace Buurtcentra.Web.Features.Errors;

/// <summary>A request the framework could not bind: the status, and what is wrong in Dutch, per field.</summary>
public sealed record BadRequest(int Status, string Title, string Detail, IReadOnlyList<(string Field, string Message)> Errors);

/// <summary>
/// Turns binding failures into Dutch: JSON that cannot be read, a value of the wrong type at a JSON path, a query
/// parameter that is not a number, a missing or non-JSON body. The field and the expected type come from the endpoint's
/// own parameter and body types, so every route gets the same answer without code of its own.
/// </summary>
public static partial class BadRequestText
{
    public static BadRequest? From(Exception exception, Endpoint? endpoint, JsonSerializerOptions json)
    {
        switch (exception)
        {
            case BadInputException bad:
                return Invalid(bad.Field, bad.Message);
            case BadHttpRequestException http when http.InnerException is JsonException j:
                return Json(j, BodyType(endpoint), json);
            case BadHttpRequestException http when http.StatusCode == StatusCodes.Status415UnsupportedMediaType:
                var (title415, text415) = ErrorTexts.For(415);
                return new BadRequest(415, title415, text415, []);
            case BadHttpRequestException http when http.StatusCode == StatusCodes.Status413PayloadTooLarge:
                var (title413, text413) = ErrorTexts.For(413);
                return new BadRequest(413, title413, text413, []);
            case BadHttpRequestException http:
                return Parameter(http, endpoint);
            case Microsoft.AspNetCore.Mvc.ModelBinding.ValueProviderException or InvalidDataException:
                return Invalid("", "Het formulier kon niet worden gelezen. Ga terug en probeer het opnieuw.");
            default:
                return null;
        }
    }

    private static BadRequest Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, InputProblem.Title, message, [(field, message)]);

    private static BadRequest Json(JsonException e, Type? bodyType, JsonSerializerOptions options)
    {
        var path = e.Path ?? "$";
        var field = FieldName(path);
        if (e.InnerException?.GetType().Name == "JsonReaderException")
        {
            var where = e.LineNumber is { } line ? $" (regel {line + 1}, positie {(e.BytePositionInLine ?? 0) + 1})" : "";
            return Invalid("", $"De inhoud is geen geldige JSON{where}. Stuur een JSON-object, bijvoorbeeld {{\"naam\": \"waarde\"}}.");
        }
        if (e is JsonTextRefusedException) return Invalid(field, InputText.Refused(field == "" ? "De tekst" : field));
        if (field == "")
        {
            return Invalid("", "De inhoud moet een JSON-object zijn met de velden van het verzoek, bijvoorbeeld {\"naam\": \"waarde\"}.");
        }
        var target = bodyType is null ? null : Resolve(bodyType, path, options);
        if (target is { Unknown: { } known })
        {
            // Unknown fields are refused (UnmappedMemberHandling.Disallow): a misspelt field would otherwise be lost without a word.
            return Invalid(field, $"Het veld {field} kennen we niet. Bedoelt u een van deze: {string.Join(", ", known)}?");
        }
        var expected = target is null ? "een andere soort waarde" : Describe(target.Type);
        var example = target?.Example is { } ex ? $", bijvoorbeeld {ex}" : "";
        return Invalid(field, $"{field} moet {expected} zijn{example}.");
    }

    private static BadRequest Parameter(BadHttpRequestException e, Endpoint? endpoint)
    {
        if (e.Message.Contains("no body was provided", StringComparison.Ordinal) || e.Message.EndsWith("from body.", StringComparison.Ordinal))
        {
            return Invalid("", "Stuur de gegevens mee als JSON-object (Content-Type: application/json), bijvoorbeeld {\"naam\": \"waarde\"}.");
        }
        var match = ParameterPattern().Match(e.Message);
        if (!match.Success) return Invalid("", ErrorTexts.For(400).Text);
        var name = match.Groups["name"].Value;
        if (e.Message.StartsWith("Required parameter", StringComparison.Ordinal)) return Invalid(name, $"Vul {name} in.");
        var type = endpoint?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>()
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.ParameterInfo.ParameterType;
        var value = match.Groups["value"].Success ? $"'{Shorten(match.Groups["value"].Value)}' is geen geldige waarde voor {name}" : $"{name} is ongeldig";
        return Invalid(name, type is null ? $"{value}." : $"{value}: vul {Describe(type)} in.");
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static Type? BodyType(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;

    /// <summary>"$.recurrence.dates[1]" → "recurrence.dates[1]"; "$" → "".</summary>
    public static string FieldName(string path) => path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>Where a JSON path points in the body type: a property's type (and example), or an unknown name with the known ones.</summary>
    private sealed record Target(Type Type, string? Example, IReadOnlyList<string>? Unknown = null);

    /// <summary>The type (and example) the JSON path points at, walking the body type's JSON contract.</summary>
    private static Target? Resolve(Type root, string path, JsonSerializerOptions options)
    {
        var type = root;
        string? example = null;
        foreach (Match segment in PathSegment().Matches(path))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (segment.Groups["index"].Success)
            {
                type = ElementType(type) ?? type;
                continue;
            }
            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            var info = options.GetTypeInfo(type);
            if (info.Kind != JsonTypeInfoKind.Object) return null;
            var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null) return new Target(type, null, info.Properties.Select(p => p.Name).ToList());
            type = property.PropertyType;
            example = property.AttributeProvider is ICustomAttributeProvider provider
                ? provider.GetCustomAttributes(typeof(ExampleAttribute), true).OfType<ExampleAttribute>().FirstOrDefault()?.Json : null;
        }
        return new Target(type, example);
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>The kind of value a type wants, in Dutch.</summary>
    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "tekst (tussen aanhalingstekens)";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "een heel getal";
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float)) return "een getal";
        if (type == typeof(bool)) return "true of false";
        if (type == typeof(DateOnly)) return "een datum als \"jjjj-mm-dd\"";
        if (type == typeof(TimeOnly)) return "een tijd als \"uu:mm\"";
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return "een datum en tijd als \"jjjj-mm-ddTuu:mm\"";
        if (type.IsEnum) return $"een van {string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))}";
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = ElementType(type);
            return element is null ? "een lijst [ ... ]" : $"een lijst [ ... ] van {Describe(element).Replace("een ", "", StringComparison.Ordinal)}";
        }
        return "een object { ... }";
    }

    [GeneratedRegex("""parameter "(?<type>[^"]*) (?<name>[^" ]+)"(?: from "(?<value>.*)")?""", RegexOptions.Singleline)]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
