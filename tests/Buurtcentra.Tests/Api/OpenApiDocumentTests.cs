using System.Text.Json.Nodes;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Api;

/// <summary>The OpenAPI document says exactly what is required, with examples, and docs/api.md says the same.</summary>
public sealed class OpenApiDocumentTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json"))!;

    [Theory]
    [InlineData("CreateReservationRequest", "roomId,start,end,activity,participants")]
    [InlineData("RecurrenceRequest", "kind")]
    [InlineData("CancelRequest", "")]
    [InlineData("CreateMeldingRequest", "centreId,category,kind,urgency,description")]
    [InlineData("StatusRequest", "to")]
    public async Task A_request_body_marks_exactly_its_required_fields(string schema, string required)
    {
        var document = await DocumentAsync();
        var marked = (document["components"]!["schemas"]![schema]!["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? []).Order();

        Assert.Equal(required.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), marked);
    }

    [Fact]
    public async Task Every_request_field_and_parameter_has_a_type_a_meaning_and_an_example()
    {
        var document = await DocumentAsync();
        var missing = new List<string>();
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                foreach (var parameter in operation!["parameters"]?.AsArray() ?? [])
                {
                    var where = $"{method} {path} {parameter!["name"]}";
                    if (parameter["example"] is null) missing.Add($"{where}: example");
                    if (parameter["description"] is null) missing.Add($"{where}: description");
                    if (parameter["schema"]?["type"] is null) missing.Add($"{where}: type");
                }
            }
        }
        foreach (var name in schemas.Select(s => s.Key).Where(n => n.EndsWith("Request", StringComparison.Ordinal)))
        {
            foreach (var (field, property) in schemas[name]!["properties"]!.AsObject())
            {
                if (property!["examples"] is null) missing.Add($"{name}.{field}: example");
                if (property["description"] is null) missing.Add($"{name}.{field}: description");
                if (property["type"] is null && property["oneOf"] is null && property["$ref"] is null) missing.Add($"{name}.{field}: type");
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task Docs_api_md_has_the_reference_of_the_running_api()
    {
        var expected = ApiReference.Render(await DocumentAsync());
        var file = Path.Combine(Repository.Root, "docs", "api.md");
        var text = await File.ReadAllTextAsync(file);
        var start = text.IndexOf(ApiReference.Start, StringComparison.Ordinal);
        var end = text.IndexOf(ApiReference.End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/api.md lacks the {ApiReference.Start} ... {ApiReference.End} section");
        var actual = text[start..(end + ApiReference.End.Length)];

        if (actual != expected && Environment.GetEnvironmentVariable("UPDATE_API_DOCS") == "1")
        {
            await File.WriteAllTextAsync(file, text[..start] + expected + text[(end + ApiReference.End.Length)..]);
            return;
        }
        Assert.True(actual == expected,
            "docs/api.md does not describe the running API. Regenerate its reference part: "
            + "UPDATE_API_DOCS=1 dotnet test tests/Buurtcentra.Tests --filter OpenApiDocumentTests (then review the diff).\n"
            + FirstDifference(actual, expected));
    }

    private static string FirstDifference(string actual, string expected)
    {
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, e.Length); i++)
        {
            var x = i < a.Length ? a[i] : "<end>";
            var y = i < e.Length ? e[i] : "<end>";
            if (x != y) return $"line {i + 1}:\n  doc: {x}\n  api: {y}";
        }
        return "";
    }
}
