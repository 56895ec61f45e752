using System.Text;
using System.Text.Json.Nodes;

namespace Buurtcentra.Tests.Api;

/// <summary>
/// The reference part of docs/api.md, written from the running app's OpenAPI document: every operation with its
/// parameters, request body and answers, and every schema with its fields (type, required, example, meaning).
/// <see cref="OpenApiDocumentTests"/> compares it with the file, so the doc cannot drift from the API.
/// </summary>
public static class ApiReference
{
    public const string Start = "<!-- reference:start -->";
    public const string End = "<!-- reference:end -->";

    private static readonly Dictionary<string, string> Answers = new()
    {
        ["200"] = "OK", ["201"] = "aangemaakt (Location: het adres)", ["400"] = "het verzoek klopt niet (problem document met errors per veld)",
        ["401"] = "niet ingelogd", ["403"] = "geen toegang", ["404"] = "niet gevonden", ["409"] = "bezet (met de bezette tijden)",
        ["415"] = "geen JSON", ["503"] = "even niet beschikbaar (Retry-After)",
    };

    public static string Render(JsonNode document)
    {
        var schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        var md = new StringBuilder();
        md.Append(Start).Append('\n');
        md.Append("<!-- Generated from /openapi/v1.json by tests/Buurtcentra.Tests/Api/ApiReference.cs; do not edit by hand.\n");
        md.Append("     After an API change: UPDATE_API_DOCS=1 dotnet test tests/Buurtcentra.Tests --filter OpenApiDocumentTests -->\n\n");
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operationNode) in item!.AsObject())
            {
                var operation = operationNode!.AsObject();
                md.Append($"### `{method.ToUpperInvariant()} {path}`\n\n");
                md.Append($"{Text(operation["summary"])}.");
                if (operation["description"] is { } description) md.Append(' ').Append(Text(description));
                md.Append("\n\n");
                var parameters = operation["parameters"]?.AsArray() ?? [];
                if (parameters.Count > 0)
                {
                    md.Append("| Parameter | In | Required | Type | Example | Meaning |\n|---|---|---|---|---|---|\n");
                    foreach (var p in parameters)
                    {
                        md.Append($"| `{p!["name"]}` | {p["in"]} | {(p["required"]?.GetValue<bool>() == true ? "yes" : "no")} | {Type(p["schema"]!)} | "
                            + $"{Example(p["example"])} | {Text(p["description"])} |\n");
                    }
                    md.Append('\n');
                }
                if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } body)
                {
                    md.Append($"Body (JSON): {Type(body)}{(operation["requestBody"]?["required"]?.GetValue<bool>() == true ? "" : ", optional")}.\n\n");
                }
                var answers = operation["responses"]!.AsObject().Select(r =>
                {
                    var schema = r.Value?["content"]?["application/json"]?["schema"];
                    return $"{r.Key} {Answers.GetValueOrDefault(r.Key, Text(r.Value?["description"]))}{(schema is null ? "" : $" → {Type(schema)}")}";
                });
                md.Append($"Answers: {string.Join("; ", answers)}.\n\n");
            }
        }
        md.Append("### Schemas\n\n");
        foreach (var (name, schemaNode) in schemas.Where(s => s.Key is not ("ProblemDetails" or "HttpValidationProblemDetails")))
        {
            var schema = schemaNode!.AsObject();
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            md.Append($"#### {name}\n\n");
            if (schema["description"] is { } description) md.Append(Text(description)).Append("\n\n");
            md.Append("| Field | Required | Type | Example | Meaning |\n|---|---|---|---|---|\n");
            foreach (var (field, property) in schema["properties"]?.AsObject() ?? [])
            {
                md.Append($"| `{field}` | {(required.Contains(field) ? "yes" : "no")} | {Type(property!)} | {Example(property!["examples"]?[0])} | {Text(property["description"])} |\n");
            }
            md.Append('\n');
        }
        md.Append(End);
        return md.ToString();
    }

    /// <summary>"string", "integer (int64)", "[string]", "RecurrenceRequest", with "or null" where null is allowed.</summary>
    private static string Type(JsonNode schema)
    {
        if (schema["$ref"] is { } reference) return $"[{Name(reference)}](#{Name(reference).ToLowerInvariant()})";
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var types = oneOf.Select(o => o!["type"]?.GetValue<string>() == "null" ? null : Type(o)).Where(t => t is not null).ToList();
            return string.Join(" or ", types) + (oneOf.Any(o => o!["type"]?.GetValue<string>() == "null") ? " or null" : "");
        }
        var names = schema["type"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => ["any"],
        };
        var nullable = names.Remove("null");
        var main = names.FirstOrDefault() ?? "any";
        var text = main switch
        {
            "array" => $"[{(schema["items"] is { } items ? Type(items) : "any")}]",
            "object" when schema["additionalProperties"] is JsonObject values => $"map of {Type(values)}",
            _ => schema["format"] is { } format ? $"{main} ({format})" : main,
        };
        return nullable ? text + " or null" : text;
    }

    private static string Name(JsonNode reference) => reference.GetValue<string>().Split('/')[^1];

    private static string Example(JsonNode? example) => example is null ? "" : $"`{Escape(example.ToJsonString())}`";

    private static string Text(JsonNode? text) => text is null ? "" : Escape(text.GetValue<string>());

    private static string Escape(string text) => text.Replace("\r", "").Replace("\n", " ").Replace("|", "\\|");
}
