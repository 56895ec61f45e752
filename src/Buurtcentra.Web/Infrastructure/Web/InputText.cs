using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>
/// The one rule for characters in text that people send: no control characters except tab and line breaks.
/// Nobody types them; PostgreSQL cannot store NUL at all (a 500 before this rule), and iCal and mail headers forbid them.
/// Text with such a character is refused with a message naming the field, never silently cleaned.
/// Applied where text comes in: the address (path and query string, <see cref="InputTextGuard"/>), form fields
/// (<see cref="TextModelBinder"/>) and JSON strings (<see cref="JsonTextConverter"/>).
/// </summary>
public static class InputText
{
    public static bool IsAllowed(string? text)
    {
        if (text is null) return true;
        foreach (var c in text)
        {
            if (c < ' ' && c is not ('\t' or '\n' or '\r')) return false;
        }
        return true;
    }

    public static string Refused(string field) =>
        $"{field} bevat een teken dat niet is toegestaan (een stuurteken, zoals NUL). Typ de tekst opnieuw, zonder dat teken.";
}

/// <summary>Bad input found before a handler runs (the address, a parameter); mapped to 400 by <c>ErrorHandling</c>.</summary>
public sealed class BadInputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>Refuses a request whose path or query string holds a control character (400, naming the parameter).</summary>
public static class InputTextGuard
{
    public static IApplicationBuilder UseInputTextGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!InputText.IsAllowed(context.Request.Path.Value))
            {
                throw new BadInputException("", "Het adres bevat een teken dat niet is toegestaan (een stuurteken, zoals NUL).");
            }
            foreach (var (key, values) in context.Request.Query)
            {
                if (!InputText.IsAllowed(key) || values.Any(v => !InputText.IsAllowed(v)))
                {
                    var name = InputText.IsAllowed(key) ? key : "";
                    throw new BadInputException(name, InputText.Refused(name == "" ? "Het adres" : name));
                }
            }
            await next();
        });
}

/// <summary>Form fields and other MVC-bound text: a control character is a model error on that field, so the form is shown again.</summary>
public sealed class TextModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.ModelType == typeof(string) ? new TextModelBinder() : null;
}

public sealed class TextModelBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var result = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (result == ValueProviderResult.None) return Task.CompletedTask;
        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, result);
        var value = result.FirstValue;
        if (!InputText.IsAllowed(value))
        {
            var field = bindingContext.ModelMetadata.DisplayName ?? bindingContext.ModelMetadata.Name ?? bindingContext.ModelName;
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, InputText.Refused(field));
            bindingContext.Result = ModelBindingResult.Failed();
            return Task.CompletedTask;
        }
        // As MVC's own binder: an empty field is null when the metadata says so (the default).
        var text = bindingContext.ModelMetadata.ConvertEmptyStringToNull && string.IsNullOrWhiteSpace(value) ? null : value;
        bindingContext.Result = ModelBindingResult.Success(text);
        return Task.CompletedTask;
    }
}

/// <summary>JSON strings: a control character is refused with the JSON path of the field (a 400 from <c>ErrorHandling</c>).</summary>
public sealed class JsonTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException();
        var text = reader.GetString();
        if (!InputText.IsAllowed(text)) throw new JsonTextRefusedException();
        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Thrown by <see cref="JsonTextConverter"/>; the serializer adds the path of the field.</summary>
public sealed class JsonTextRefusedException() : JsonException("Control character in a JSON string.");
