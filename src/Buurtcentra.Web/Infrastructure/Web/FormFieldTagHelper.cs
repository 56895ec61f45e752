using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>
/// One accessible form field in the Utrecht design system: label, optional hint, error message linked with
/// aria-describedby, and the control. Usage: &lt;form-field for="Name" label="Naam" /&gt;.
/// </summary>
[HtmlTargetElement("form-field", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FormFieldTagHelper(HtmlEncoder encoder) : TagHelper
{
    [HtmlAttributeName("for")] public Microsoft.AspNetCore.Mvc.ViewFeatures.ModelExpression For { get; set; } = null!;
    [HtmlAttributeName("label")] public string Label { get; set; } = "";
    [HtmlAttributeName("hint")] public string? Hint { get; set; }
    /// <summary>text, email, tel, number, date, time, password, textarea or select.</summary>
    [HtmlAttributeName("type")] public string Type { get; set; } = "text";
    [HtmlAttributeName("items")] public IEnumerable<SelectListItem>? Items { get; set; }
    [HtmlAttributeName("required")] public bool Required { get; set; }
    /// <summary>False for a field that is needed only with some choice elsewhere on the form (its hint says which):
    /// it then says neither "required" nor "(niet verplicht)".</summary>
    [HtmlAttributeName("optional-note")] public bool OptionalNote { get; set; } = true;
    [HtmlAttributeName("autocomplete")] public string? Autocomplete { get; set; }
    [HtmlAttributeName("empty-option")] public string? EmptyOption { get; set; }
    [HtmlAttributeName("maxlength")] public int? MaxLength { get; set; }

    [ViewContext, HtmlAttributeNotBound] public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        var id = TagBuilder.CreateSanitizedId(name, "_");
        var errors = ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) ? entry.Errors.Select(e => e.ErrorMessage).ToList() : [];
        var invalid = errors.Count > 0;
        var value = entry?.AttemptedValue ?? Format(For.Model);

        var describedBy = new List<string>();
        var html = new System.Text.StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"utrecht-form-field utrecht-form-field--text utrecht-form-field--distanced{(invalid ? " utrecht-form-field--invalid" : "")}\">");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" for=\"{id}\">{E(Label)}{(Required || !OptionalNote ? "" : " <span class=\"optional\">(niet verplicht)</span>")}</label></div>");
        if (!string.IsNullOrEmpty(Hint))
        {
            describedBy.Add($"{id}-hint");
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"utrecht-form-field__description utrecht-form-field-description\" id=\"{id}-hint\">{E(Hint)}</div>");
        }
        if (invalid)
        {
            describedBy.Add($"{id}-error");
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"utrecht-form-field-error-message\" id=\"{id}-error\">{E(string.Join(" ", errors))}</div>");
        }
        var common = $"id=\"{id}\" name=\"{E(name)}\"{(describedBy.Count > 0 ? $" aria-describedby=\"{string.Join(' ', describedBy)}\"" : "")}{(invalid ? " aria-invalid=\"true\"" : "")}{(Required ? " required" : "")}{(Autocomplete is null ? "" : $" autocomplete=\"{E(Autocomplete)}\"")}{(MaxLength is null ? "" : $" maxlength=\"{MaxLength}\"")}";
        html.Append("<div class=\"utrecht-form-field__input\">");
        switch (Type)
        {
            case "textarea":
                html.Append(CultureInfo.InvariantCulture, $"<textarea class=\"utrecht-textarea utrecht-textarea--html-textarea{(invalid ? " utrecht-textarea--invalid" : "")}\" rows=\"4\" {common}>{E(value)}</textarea>");
                break;
            case "select":
                html.Append(CultureInfo.InvariantCulture, $"<select class=\"utrecht-select utrecht-select--html-select{(invalid ? " utrecht-select--invalid" : "")}\" {common}>");
                if (EmptyOption is not null) html.Append(CultureInfo.InvariantCulture, $"<option value=\"\">{E(EmptyOption)}</option>");
                foreach (var item in Items ?? [])
                {
                    var selected = string.Equals(item.Value, value, StringComparison.Ordinal) ? " selected" : "";
                    html.Append(CultureInfo.InvariantCulture, $"<option value=\"{E(item.Value)}\"{selected}>{E(item.Text)}</option>");
                }
                html.Append("</select>");
                break;
            default:
                var inputMode = Type == "number" ? " inputmode=\"numeric\"" : "";
                var inputType = Type == "number" ? "text" : Type; // text + inputmode: no browser-specific number parsing, clear server-side message
                html.Append(CultureInfo.InvariantCulture, $"<input class=\"utrecht-textbox utrecht-textbox--html-input{(invalid ? " utrecht-textbox--invalid" : "")}{(Type == "number" ? " utrecht-textbox--numeric" : "")}\" type=\"{inputType}\"{inputMode} value=\"{(Type == "password" ? "" : E(value))}\" {common}>");
                break;
        }
        html.Append("</div></div>");

        output.TagName = null;
        output.Content.SetHtmlContent(html.ToString());
    }

    private string E(string? s) => encoder.Encode(s ?? "");

    private static string Format(object? model) => model switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => model.ToString() ?? "",
    };
}
