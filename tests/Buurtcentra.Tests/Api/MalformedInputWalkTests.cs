using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Database;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Buurtcentra.Tests.Api;

/// <summary>
/// Walks every route of the route table with malformed input and asserts that none answers 5xx and that nothing is
/// logged as an error. The routes come from the app's EndpointDataSource: for pages the parameters and form fields of
/// the controller action (their CLR types), for the JSON API the parameters and request bodies of the OpenAPI document
/// (their schema types). A new route is walked without a line here.
///
/// Per parameter or field, one request per bad value of its kind, the other fields at a plausible value (not the full
/// cross product): empty, 10,000 characters, a NUL byte, emoji, negative and huge numbers, years 1 and 9999, the wrong
/// JSON type, broken JSON. Anonymously and signed in as functioneel beheerder (a login cookie for pages, an API key for
/// the API), on the demo data, so that ids in routes point at real rows.
/// </summary>
[Collection(DemoWalkCollection.Name)]
public sealed partial class MalformedInputWalkTests(DemoWalkFixture fixture, ITestOutputHelper output)
{
    private const string StaffEmail = "functioneel@buurtcentra.example";
    private const string WalkToken = "bc_walk-functioneel-beheer-0000000000000000000";

    private DemoApp App => fixture.App;

    [Fact]
    public async Task No_route_answers_5xx_or_logs_an_error_for_malformed_input()
    {
        await App.ResetAsync();
        await SeedAsync();
        var ids = await IdsAsync();
        var openApi = JsonNode.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var routes = Routes(openApi);
        var failures = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        var timings = new List<(string, int, double)>();

        foreach (var signedIn in new[] { false, true })
        {
            var session = await Session.StartAsync(App, signedIn);
            // Signing out ends the session: that route goes last.
            foreach (var route in routes.OrderBy(r => r.Template == "/uitloggen"))
            {
                var routeClock = Stopwatch.StartNew();
                var routeSent = 0;
                var first = true;
                var formValues = route is { IsApi: false, Method: "POST" }
                    ? await FormValuesAsync(session, route, routes.FirstOrDefault(r => r.Method == "GET" && r.Template == route.Template), ids) : [];
                foreach (var (what, build) in route.Requests(ids, formValues))
                {
                    using var request = build(session);
                    using var response = await session.Client.SendAsync(request);
                    sent++;
                    routeSent++;
                    var status = (int)response.StatusCode;
                    if (first && signedIn && route is { IsApi: false, Method: "POST" } && status == 200
                        && await response.Content.ReadAsStringAsync() is var page && page.Contains("id=\"fouten\"", StringComparison.Ordinal))
                    {
                        // Not a failure, but the walk then stays in front of the validator: worth a better plausible value.
                        var errors = Regex.Matches(page, "<li>\\s*<a class=\"utrecht-link\" href=\"#([^\"]*)\">([^<]*)</a>").Select(m => $"{m.Groups[1].Value}: {WebUtility.HtmlDecode(m.Groups[2].Value)}");
                        output.WriteLine($"plausible {route.Method} {route.Template} shown again: {string.Join("; ", errors.Take(4))}");
                    }
                    if (status >= 500)
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        failures.Add($"{(signedIn ? "staff" : "anonymous")} {route.Method} {route.Template} {what}: {status} {body[..Math.Min(300, body.Length)]}");
                    }
                    // What this caller may not use at all (a login redirect, 401, 403) gets only the plausible request.
                    if (first && IsRefused(response)) break;
                    first = false;
                }
                if (signedIn && route.Method == "POST") await session.EnsureSignedInAsync();
                timings.Add(($"{(signedIn ? "staff" : "anon")} {route.Method} {route.Template}", routeSent, routeClock.Elapsed.TotalSeconds));
            }
        }

        output.WriteLine($"{routes.Count} routes, {sent} requests in {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var t in timings.OrderByDescending(t => t.Item3).Take(10)) output.WriteLine($"{t.Item3,6:F1} s {t.Item2,4} {t.Item1}");
        failures.AddRange(App.Errors.Entries.Select(e => "logged: " + e));
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Distinct().Take(60)));
    }

    [Fact]
    public async Task The_walk_finds_the_pages_and_the_api_in_the_route_table()
    {
        var openApi = JsonNode.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var routes = Routes(openApi);

        Assert.Contains(routes, r => r is { Method: "POST", Template: "/reserveren/nieuw" } && r.Fields.Any(f => f.Name == "form.ContactName"));
        Assert.Contains(routes, r => r is { Method: "POST", Template: "/api/v1/reservations" } && r.Body is not null);
        Assert.Contains(routes, r => r is { Method: "GET", Template: "/api/v1/meldingen" } && r.Fields.Any(f => f.Name == "centre"));
        // Every API operation of the OpenAPI document is walked as an API route, every other endpoint as a page.
        var operations = openApi["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).ToList();
        Assert.All(operations, o => Assert.Contains(routes, r => r.IsApi && $"{r.Method} {r.Template}" == o));
    }

    private static bool IsRefused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/inloggen", StringComparison.Ordinal) == true);

    // ---------------------------------------------------------------- the world: demo data plus what it lacks

    private async Task SeedAsync()
    {
        var data = new TestData(fixture.Database.DataSource);
        await data.ScalarAsync<long>("""
            insert into api_tokens (user_id, name, token_hash, created_at)
            select id, 'Walk', @hash, now() from users where email = @email returning id
            """, new { hash = ApiTokenSecret.Hash(WalkToken), email = StaffEmail });
        // The demo data has no meldingen: one, with a photo, through the API itself.
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalkToken);
        var created = await client.PostAsync("/api/v1/meldingen", JsonContent("""
            {"centreId": 3, "roomId": 12, "category": "heel", "kind": "technisch", "urgency": "normaal", "description": "De lamp boven de deur is kapot."}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    /// <summary>Real ids for route values, by parameter name or by the path segment before {id}.</summary>
    private async Task<Dictionary<string, string>> IdsAsync()
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        async Task<string> One(string sql) => (await connection.ExecuteScalarAsync<long?>(sql))?.ToString() ?? "1";
        return new Dictionary<string, string>
        {
            ["centreId"] = "3", ["roomId"] = "12", ["slug"] = "de-boog", ["wijk-slug"] = "zuid", ["centre"] = "de-boog", ["documentName"] = "v1",
            ["code"] = "404", ["token"] = "onbekend-token", ["ruimte"] = "12", ["centrum"] = "de-boog",
            ["reserveringen"] = await One("select min(id) from reservations"),
            ["meldingen"] = await One("select min(id) from meldingen"),
            ["melding"] = await One("select min(id) from meldingen"),
            ["ook-last"] = await One("select min(id) from meldingen"),
            ["sluitingsdagen"] = await One("select min(id) from closure_days"),
            ["organisaties"] = await One("select min(id) from organisations where kind = 'gebruikersgroep'"),
            ["gebruikers"] = await One("select id from users where email = 'monteur@stadsbedrijven.example'"),
            ["mail"] = await One("select min(id) from outbox"),
            ["rondes"] = await One("select min(id) from planning_rounds"),
            ["roundId"] = await One("select min(id) from planning_rounds"),
            ["wensen"] = await One("select min(id) from planning_wishes"),
            ["wishId"] = await One("select min(id) from planning_wishes"),
            ["closureId"] = await One("select min(id) from planning_round_closures"),
            ["blockId"] = await One("select min(id) from planning_protected_blocks"),
            ["runId"] = await One("select min(id) from planning_runs"),
            ["occurrenceId"] = await One("select min(id) from occurrences"),
            ["photoId"] = await One("select min(id) from melding_photos"),
            ["feedId"] = await One("select min(id) from calendar_feeds"),
            ["tokenId"] = await One("select min(id) from api_tokens"),
            ["organisationId"] = await One("select min(id) from organisations where kind = 'gebruikersgroep'"),
        };
    }

    // ---------------------------------------------------------------- the routes

    private enum Kind { Text, Integer, Decimal, Bool, Date, Time, DateTime, File, Object, List }

    private sealed record Field(string Name, Kind Kind, string Baseline, bool IsList = false);

    private sealed record Route(string Method, string Template, bool IsApi, IReadOnlyList<Field> RouteValues, IReadOnlyList<Field> Fields,
        JsonObject? Body, JsonObject? Schema)
    {
        /// <summary>
        /// The plausible request first (what the page's own form holds, else a value of the field's type), then one per
        /// bad value per route value and field.
        /// </summary>
        public IEnumerable<(string What, Func<Session, HttpRequestMessage> Build)> Requests(Dictionary<string, string> ids, Dictionary<string, string> formValues)
        {
            var values = RouteValues.ToDictionary(f => f.Name, f => RouteValue(f, ids));
            var fields = Fields.ToDictionary(f => f.Name, f => Plausible(f, ids, formValues));
            yield return ("plausible", s => Build(s, values, fields, Body?.ToJsonString()));
            foreach (var routeValue in RouteValues)
            {
                foreach (var bad in BadValues(routeValue.Kind == Kind.Integer ? Kind.Integer : Kind.Text, inPath: true))
                {
                    yield return ($"{{{routeValue.Name}}}={Show(bad)}", s => Build(s, With(values, routeValue.Name, bad), fields, Body?.ToJsonString()));
                }
            }
            foreach (var field in Fields.Where(f => f.Kind != Kind.File))
            {
                foreach (var bad in BadValues(field.Kind, inPath: false))
                {
                    yield return ($"{field.Name}={Show(bad)}", s => Build(s, values, With(fields, field.Name, bad), Body?.ToJsonString()));
                }
            }
            if (Body is null) yield break;
            foreach (var raw in BrokenBodies)
            {
                yield return ($"body {Show(raw)}", s => Build(s, values, fields, raw));
            }
            yield return ("body as text/plain", s => Build(s, values, fields, Body.ToJsonString(), "text/plain"));
            foreach (var (path, bad) in JsonVariants(Body, Schema!))
            {
                yield return ($"{path}={Show(bad)}", s => Build(s, values, fields, bad));
            }
        }

        private static string Lower(string name) => char.ToLowerInvariant(name[0]) + name[1..];

        public static string Plausible(Field field, Dictionary<string, string> ids, Dictionary<string, string> formValues)
        {
            var shortName = field.Name.Contains('.') ? field.Name[(field.Name.IndexOf('.') + 1)..] : field.Name;
            if ((formValues.GetValueOrDefault(field.Name) ?? formValues.GetValueOrDefault(shortName)) is { Length: > 0 } onPage) return onPage;
            var last = field.Name.Split('.')[^1];
            // A list of codes (checkboxes) that the page leaves unticked stays empty.
            return ids.TryGetValue(Lower(last), out var id) ? id : field.IsList ? "" : field.Baseline;
        }

        public string RouteValue(Field field, Dictionary<string, string> ids)
        {
            if (field.Name == "slug" && Template.StartsWith("/wijken", StringComparison.Ordinal)) return ids["wijk-slug"];
            if (field.Name == "id")
            {
                var segments = Template.Split('/');
                var before = segments[Array.FindIndex(segments, s => s.StartsWith("{id", StringComparison.Ordinal)) - 1];
                return ids.GetValueOrDefault(before, "1");
            }
            return ids.GetValueOrDefault(field.Name, field.Kind == Kind.Integer ? "1" : "x");
        }

        private HttpRequestMessage Build(Session session, Dictionary<string, string> routeValues, Dictionary<string, string> fields, string? body,
            string contentType = "application/json")
        {
            var path = RouteParameter().Replace(Template, m => Uri.EscapeDataString(routeValues[m.Groups[1].Value]));
            var request = new HttpRequestMessage(new HttpMethod(Method), path);
            if (IsApi && session.SignedIn) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WalkToken);
            var pairs = Fields.Where(f => f.Kind != Kind.File && !(f.IsList && fields[f.Name] == ""))
                .Select(f => new KeyValuePair<string, string>(f.Name, fields[f.Name])).ToList();
            if (Method == "GET" || Body is not null)
            {
                if (pairs.Count > 0) request.RequestUri = new Uri(path + "?" + string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")), UriKind.Relative);
                if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
                return request;
            }
            if (!IsApi) pairs.Add(new("__RequestVerificationToken", session.FormToken));
            if (Fields.Any(f => f.Kind == Kind.File))
            {
                var multipart = new MultipartFormDataContent();
                foreach (var (key, value) in pairs) multipart.Add(new StringContent(value), key);
                foreach (var file in Fields.Where(f => f.Kind == Kind.File))
                {
                    multipart.Add(new ByteArrayContent("geen foto"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, file.Name, "foto.jpg");
                }
                request.Content = multipart;
            }
            else
            {
                request.Content = new FormUrlEncodedContent(pairs);
            }
            return request;
        }

        private static Dictionary<string, string> With(Dictionary<string, string> values, string key, string value) =>
            new(values) { [key] = value };
    }

    private static string Show(string value) =>
        value.Length > 30 ? $"<{value.Length} chars>" : JsonSerializer.Serialize(value);

    private static readonly string Long = new('x', 10_000);

    /// <summary>The bad values for a parameter or form field of a kind; in the path (route values) a shorter list.</summary>
    private static IEnumerable<string> BadValues(Kind kind, bool inPath) => (kind, inPath) switch
    {
        // A NUL in the path is refused by the server itself (Kestrel: 400); another control character reaches the app.
        (Kind.Integer, true) => ["-1", "0", "99999999999999999999", "9223372036854775807"],
        (_, true) => ["", "a\u0001b", "😀", new string('x', 1_000), "-1", "99999999999999999999"],
        (Kind.Integer, _) => ["", "-1", "0", "99999999999999999999", "9223372036854775807", "abc"],
        (Kind.Decimal, _) => ["", "-1", "99999999999999999999", "abc"],
        (Kind.Date, _) => ["", "0001-01-01", "9999-12-31", "abc"],
        (Kind.DateTime, _) => ["", "0001-01-01T00:00", "9999-12-31T23:59", "abc"],
        (Kind.Time, _) => ["", "00:00", "24:00", "abc"],
        (Kind.Bool, _) => ["", "abc"],
        // Text is parsed by validators too (numbers, dates, codes): it gets those shapes as well.
        _ => ["", "a\0b", "😀 Ωmega", Long, "-1", "99999999999999999999", "0001-01-01", "9999-12-31"],
    };

    private static readonly string[] BrokenBodies =
        ["", "not json", "oops", "[]", "\"text\"", "12", "null", "{", "{\"a\": ", new string('[', 5_000), "{\"x\": \"" + Long + "\"}"];

    /// <summary>The body with one property (top level or one object deeper) replaced by a bad value of its schema type, or by a wrong type.</summary>
    private static IEnumerable<(string Path, string Body)> JsonVariants(JsonObject body, JsonObject schema, string prefix = "")
    {
        var properties = schema["properties"]?.AsObject() ?? [];
        foreach (var (name, property) in properties)
        {
            var types = Types(property!);
            if (types.Count == 0 && property!["$ref"] is null && property["oneOf"] is null) types = ["string"];
            var isNumber = types.Contains("integer") || types.Contains("number");
            var values = new List<JsonNode?> { null, "", Long, "a\0b", "😀", isNumber ? "12" : 12, new JsonArray(), new JsonObject() };
            if (isNumber) values.AddRange([-1, JsonNode.Parse("1e20"), long.MaxValue]);
            if (types.Contains("string")) values.AddRange(["0001-01-01", "9999-12-31", "-1"]);
            if (types.Contains("array")) values.AddRange([new JsonArray((JsonNode?)null), new JsonArray(Long, "a\0b", "0001-01-01")]);
            foreach (var value in values)
            {
                var copy = body.DeepClone().AsObject();
                copy[name] = value?.DeepClone();
                yield return (prefix + name, copy.ToJsonString());
            }
            if (property!["$ref"] is not null || property["oneOf"] is not null)
            {
                var nested = ResolveObject(property, schema);
                if (nested is not null && body[name] is JsonObject inner)
                {
                    foreach (var (path, innerBody) in JsonVariants(inner, nested, prefix + name + "."))
                    {
                        var copy = body.DeepClone().AsObject();
                        copy[name] = JsonNode.Parse(innerBody);
                        yield return (path, copy.ToJsonString());
                    }
                }
            }
            var unknown = body.DeepClone().AsObject();
            unknown[name + "X"] = 1;
            yield return (prefix + name + "X (unknown)", unknown.ToJsonString());
        }
    }

    private static JsonObject? components;

    private static JsonObject? ResolveObject(JsonNode property, JsonObject _)
    {
        var reference = property["$ref"]?.GetValue<string>()
            ?? property["oneOf"]?.AsArray().Select(x => x?["$ref"]?.GetValue<string>()).FirstOrDefault(x => x is not null);
        return reference is null ? null : components?[reference.Split('/')[^1]]?.AsObject();
    }

    private static List<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
        JsonValue value => [value.GetValue<string>()],
        _ => [],
    };

    /// <summary>A body with every property at its example (or a value of its type), nested objects too.</summary>
    private static JsonObject ExampleBody(JsonObject schema)
    {
        var body = new JsonObject();
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            if (property!["examples"] is JsonArray { Count: > 0 } examples) body[name] = examples[0]!.DeepClone();
            else if (ResolveObject(property, schema) is { } nested) body[name] = ExampleBody(nested);
            else body[name] = Types(property) switch
            {
                var t when t.Contains("integer") => 1,
                var t when t.Contains("boolean") => false,
                var t when t.Contains("array") => new JsonArray(),
                _ => "Test",
            };
        }
        return body;
    }

    private List<Route> Routes(JsonNode openApi)
    {
        components = openApi["components"]?["schemas"]?.AsObject();
        var routes = new List<Route>();
        foreach (var endpoint in App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var documented = Regex.Replace(template, @"\{(\w+):[^}]+\}", "{$1}");
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Where(m => m is "GET" or "POST").ToList() ?? ["GET", "POST"];
            var routeValues = endpoint.RoutePattern.Parameters
                .Select(p => new Field(p.Name, p.ParameterPolicies.Any(x => x.Content is "long" or "int") ? Kind.Integer : Kind.Text, "")).ToList();
            foreach (var method in methods)
            {
                var operation = openApi["paths"]?[documented]?[method.ToLowerInvariant()];
                if (operation is not null)
                {
                    var parameters = operation["parameters"]?.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query")
                        .Select(p => new Field(p!["name"]!.GetValue<string>(), SchemaKind(p["schema"]!), p["example"] is JsonValue v ? v.ToString() : "x"))
                        .ToList() ?? [];
                    var bodySchema = operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } s
                        ? (s["$ref"] is not null ? ResolveObject(s, new JsonObject()) : s.AsObject()) : null;
                    routes.Add(new Route(method, documented, true, routeValues, parameters, bodySchema is null ? null : ExampleBody(bodySchema), bodySchema));
                }
                else if (endpoint.Metadata.GetMetadata<ControllerActionDescriptor>() is { } action)
                {
                    var fields = action.Parameters.OfType<ControllerParameterDescriptor>()
                        .Where(p => routeValues.All(r => !string.Equals(r.Name, p.Name, StringComparison.OrdinalIgnoreCase)))
                        .SelectMany(p => FieldsOf(p.ParameterType, p.BindingInfo, p.Name)).ToList();
                    routes.Add(new Route(method, template, template.StartsWith("/api/", StringComparison.Ordinal), routeValues, fields, null, null));
                }
                else
                {
                    routes.Add(new Route(method, template, false, routeValues, [], null, null));
                }
            }
        }
        return routes;
    }

    private static Kind SchemaKind(JsonNode schema)
    {
        var types = Types(schema);
        return types.Contains("integer") ? Kind.Integer : types.Contains("boolean") ? Kind.Bool
            : schema["format"]?.GetValue<string>() == "date" ? Kind.Date : Kind.Text;
    }

    /// <summary>The form fields (or query parameters) an action parameter binds, named as MVC binds them.</summary>
    private static IEnumerable<Field> FieldsOf(Type type, BindingInfo? binding, string name, int depth = 0)
    {
        var source = binding?.BindingSource;
        if (source == BindingSource.Services || source == BindingSource.Body || source == BindingSource.Header || source == BindingSource.Special
            || type == typeof(CancellationToken) || depth > 3)
        {
            yield break;
        }
        var prefix = binding?.BinderModelName ?? name;
        var kind = KindOf(type);
        if (kind is not null)
        {
            yield return new Field(prefix, kind.Value, Baseline(kind.Value, prefix));
            yield break;
        }
        var element = ElementType(type);
        if (element is not null)
        {
            if (KindOf(element) is { } elementKind)
            {
                yield return new Field(prefix, elementKind, Baseline(elementKind, prefix), IsList: true);
            }
            else
            {
                foreach (var f in FieldsOf(element, null, prefix + "[0]", depth + 1)) yield return f;
            }
            yield break;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var g && (g == typeof(Dictionary<,>) || g == typeof(IDictionary<,>) || g == typeof(IReadOnlyDictionary<,>)))
        {
            var valueKind = KindOf(type.GetGenericArguments()[1]) ?? Kind.Text;
            yield return new Field(prefix + "[x]", valueKind, Baseline(valueKind, prefix));
            yield break;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<BindNeverAttribute>() is null))
        {
            foreach (var f in FieldsOf(property.PropertyType, null, $"{prefix}.{property.Name}", depth + 1)) yield return f;
        }
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType && type.GetGenericArguments().Length == 1 ? type.GetGenericArguments()[0]
        : null;

    private static Kind? KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(Guid) || type.IsEnum) return Kind.Text;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)) return Kind.Integer;
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float)) return Kind.Decimal;
        if (type == typeof(bool)) return Kind.Bool;
        if (type == typeof(DateOnly)) return Kind.Date;
        if (type == typeof(TimeOnly) || type == typeof(TimeSpan)) return Kind.Time;
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return Kind.DateTime;
        if (typeof(IFormFile).IsAssignableFrom(type)) return Kind.File;
        return null;
    }

    private static bool EndsSomething(string name) =>
        Regex.IsMatch(name.Split('.')[^1], "(End|Until|Closes|Latest|Last|^Tot$|^To$)", RegexOptions.IgnoreCase);

    private static string Baseline(Kind kind, string name) => kind switch
    {
        Kind.Integer => "1",
        Kind.Decimal => "1,50",
        Kind.Bool => "true",
        Kind.Date => name.Contains("Deadline", StringComparison.Ordinal) ? "2027-01-15" : EndsSomething(name) ? "2027-03-30" : "2027-03-02",
        Kind.Time => EndsSomething(name) ? "21:00" : "19:00",
        Kind.DateTime => "2027-03-02T19:00",
        _ when name.EndsWith("Email", StringComparison.OrdinalIgnoreCase) => "walk@test.example",
        _ when name.EndsWith("Phone", StringComparison.OrdinalIgnoreCase) => "030 123 4567",
        _ when name.EndsWith("Postcode", StringComparison.OrdinalIgnoreCase) => "3511 AB",
        _ when name.EndsWith("Website", StringComparison.OrdinalIgnoreCase) => "https://www.voorbeeld.nl",
        _ when name.Contains("Password", StringComparison.OrdinalIgnoreCase) => "Walk-wachtwoord-2027",
        _ when name.EndsWith("Description", StringComparison.OrdinalIgnoreCase) => "Een beschrijving van meer dan tien tekens.",
        _ => "Test",
    };

    /// <summary>What the form on the GET page of the same address would send: the values filled in, selected and checked.</summary>
    private static async Task<Dictionary<string, string>> FormValuesAsync(Session session, Route route, Route? page, Dictionary<string, string> ids)
    {
        if (page is null) return [];
        var path = RouteParameter().Replace(route.Template, m => Uri.EscapeDataString(route.RouteValue(route.RouteValues.First(f => f.Name == m.Groups[1].Value), ids)));
        var query = page.Fields.Where(f => f.Kind != Kind.File).Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(Route.Plausible(f, ids, []))}").ToList();
        if (query.Count > 0) path += "?" + string.Join("&", query);
        using var response = await session.Client.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html") return [];
        var html = await response.Content.ReadAsStringAsync();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match input in Regex.Matches(html, "<input[^>]*>"))
        {
            var tag = input.Value;
            var name = Attribute(tag, "name");
            var type = Attribute(tag, "type") ?? "text";
            if (name is null || name == "__RequestVerificationToken" || ((type is "checkbox" or "radio") && !tag.Contains(" checked", StringComparison.Ordinal))) continue;
            values.TryAdd(name, Attribute(tag, "value") ?? "");
        }
        // A radio group without a choice: its first option.
        foreach (Match radio in Regex.Matches(html, "<input[^>]*type=\"radio\"[^>]*>"))
        {
            if (Attribute(radio.Value, "name") is { } name) values.TryAdd(name, Attribute(radio.Value, "value") ?? "");
        }
        foreach (Match select in Regex.Matches(html, "<select([^>]*)>(.*?)</select>", RegexOptions.Singleline))
        {
            if (Attribute(select.Groups[1].Value, "name") is not { } name) continue;
            var options = Regex.Matches(select.Groups[2].Value, "<option[^>]*>").Select(o => o.Value).ToList();
            var chosen = options.FirstOrDefault(o => o.Contains(" selected", StringComparison.Ordinal))
                ?? options.FirstOrDefault(o => Attribute(o, "value") is { Length: > 0 });
            if (chosen is not null) values.TryAdd(name, Attribute(chosen, "value") ?? "");
        }
        foreach (Match area in Regex.Matches(html, "<textarea([^>]*)>(.*?)</textarea>", RegexOptions.Singleline))
        {
            if (Attribute(area.Groups[1].Value, "name") is { } name) values.TryAdd(name, WebUtility.HtmlDecode(area.Groups[2].Value.Trim()));
        }
        return values;
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $@"\s{name}=""([^""]*)""") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteParameter();

    // ---------------------------------------------------------------- who asks

    private sealed class Session
    {
        private AppFactory app = null!;

        public HttpClient Client { get; private set; } = null!;
        public bool SignedIn { get; private init; }
        public string FormToken { get; private set; } = "";

        public static async Task<Session> StartAsync(AppFactory app, bool signedIn)
        {
            var session = new Session { app = app, SignedIn = signedIn };
            await session.SignInAsync();
            return session;
        }

        private async Task SignInAsync()
        {
            var browser = new Browser(app);
            if (SignedIn) await browser.SignInAsync(StaffEmail, DemoData.Password);
            Client = browser.Client;
            FormToken = await browser.TokenFromAsync(SignedIn ? "/beheer/buurtcentra" : "/inloggen");
        }

        /// <summary>Some routes end the session on purpose (signing out, a changed account): sign in again.</summary>
        public async Task EnsureSignedInAsync()
        {
            var me = await Client.GetAsync("/beheer/buurtcentra");
            if (me.StatusCode != HttpStatusCode.OK) await SignInAsync();
        }
    }
}
