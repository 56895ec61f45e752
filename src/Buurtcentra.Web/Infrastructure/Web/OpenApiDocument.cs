using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>
/// An example value for a request field or parameter in the OpenAPI document (and in the Dutch "bijvoorbeeld ..." of a
/// type error). A plain value (12, "2027-03-02T19:00", true), or with <see cref="Raw"/> a piece of JSON for objects and lists.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ExampleAttribute(object value) : Attribute
{
    public object Value { get; } = value;

    /// <summary>The value is JSON text (an object or a list), not a string.</summary>
    public bool Raw { get; init; }

    public string Json => Raw ? (string)Value : JsonSerializer.Serialize(Value);
}

/// <summary>
/// What the OpenAPI document at /openapi/v1.json says beyond the framework's defaults: examples from
/// <see cref="ExampleAttribute"/>, and the answers every API route can give (400 for input that cannot be read,
/// 503 when the database is away: <c>Features/Errors/ErrorHandling</c>). Required fields are those with [Required].
/// </summary>
public static class OpenApiDocument
{
    public static IServiceCollection AddBuurtcentraOpenApi(this IServiceCollection services)
    {
        var objects = new System.Collections.Concurrent.ConcurrentDictionary<string, System.Text.Json.Serialization.Metadata.JsonTypeInfo>();
        return services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                // A nullable object property becomes oneOf [null, $ref] and loses its description and example on the way: put them back.
                foreach (var (name, component) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
                {
                    if (!objects.TryGetValue(name, out var info) || component.Properties is null) continue;
                    foreach (var property in info.Properties)
                    {
                        if (!component.Properties.TryGetValue(property.Name, out var child) || child is not OpenApiSchema { OneOf.Count: > 0 } wrapper
                            || property.AttributeProvider is not ICustomAttributeProvider attributes) continue;
                        wrapper.Description ??= attributes.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), true)
                            .OfType<System.ComponentModel.DescriptionAttribute>().FirstOrDefault()?.Description;
                        if (attributes.GetCustomAttributes(typeof(ExampleAttribute), true).OfType<ExampleAttribute>().FirstOrDefault() is { } example)
                        {
                            wrapper.Examples ??= [JsonNode.Parse(example.Json)!];
                        }
                    }
                }
                document.Info.Title = "Buurtcentra Utrecht API";
                document.Info.Description = "De JSON-API van Buurtcentra Utrecht: buurtcentra, vrije ruimtes, bezetting, reserveringen en meldingen. "
                    + "Uitleg, voorbeelden en foutmeldingen: docs/api.md.";
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // JsonTextConverter (the control-character rule) hides that a string is a string from the schema generator.
                if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
                {
                    schema.Type = context.JsonPropertyInfo is { IsSetNullable: true } || context.JsonPropertyInfo is { IsGetNullable: true }
                        ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                    schema.Description ??= (context.JsonPropertyInfo?.AttributeProvider as ICustomAttributeProvider)?
                        .GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), true)
                        .OfType<System.ComponentModel.DescriptionAttribute>().FirstOrDefault()?.Description;
                }
                if (context.JsonTypeInfo is { Kind: System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Enumerable, ElementType: { } element }
                    && element == typeof(string) && schema.Items is null)
                {
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
                }
                if (context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
                {
                    objects[context.JsonTypeInfo.Type.Name] = context.JsonTypeInfo;
                }
                if (context.JsonPropertyInfo?.AttributeProvider is ICustomAttributeProvider provider
                    && provider.GetCustomAttributes(typeof(ExampleAttribute), true).OfType<ExampleAttribute>().FirstOrDefault() is { } example)
                {
                    schema.Examples = [JsonNode.Parse(example.Json)!];
                }
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                {
                    var info = context.Description.ParameterDescriptions
                        .FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))?.ParameterDescriptor
                        is IParameterInfoParameterDescriptor descriptor ? descriptor.ParameterInfo : null;
                    if (info?.GetCustomAttribute<ExampleAttribute>() is { } example) parameter.Example = JsonNode.Parse(example.Json);
                }
                operation.Responses ??= new OpenApiResponses();
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any()
                    && !metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    operation.Responses.TryAdd("401", Problem("Niet ingelogd: stuur een API-sleutel mee (Authorization: Bearer bc_...) of log in."));
                    if (metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
                    {
                        operation.Responses.TryAdd("403", Problem("Geen toegang: deze gegevens zijn niet voor uw rol."));
                    }
                }
                var readsInput = operation.RequestBody is not null || operation.Parameters?.Count > 0;
                if (readsInput && !operation.Responses.ContainsKey("400"))
                {
                    operation.Responses["400"] = Problem("Het verzoek klopt niet: de velden en wat eraan schort staan in errors (Nederlands).");
                }
                if (operation.RequestBody is not null)
                {
                    operation.Responses.TryAdd("415", Problem("De inhoud is geen JSON: stuur Content-Type: application/json."));
                }
                operation.Responses.TryAdd("503", Problem("Even niet beschikbaar (de database is niet bereikbaar); probeer het na Retry-After seconden opnieuw."));
                return Task.CompletedTask;
            });
        });
    }

    private static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails") },
        },
    };
}
