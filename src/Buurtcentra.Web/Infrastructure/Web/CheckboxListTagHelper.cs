using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>A fieldset of checkboxes posting a list of codes, e.g. a room's facilities.</summary>
[HtmlTargetElement("checkbox-list", TagStructure = TagStructure.WithoutEndTag)]
public sealed class CheckboxListTagHelper(HtmlEncoder encoder) : TagHelper
{
    [HtmlAttributeName("name")] public string Name { get; set; } = "";
    [HtmlAttributeName("legend")] public string Legend { get; set; } = "";
    [HtmlAttributeName("items")] public IEnumerable<SelectListItem> Items { get; set; } = [];
    [HtmlAttributeName("selected")] public IEnumerable<string>? Selected { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var selected = new HashSet<string>(Selected ?? [], StringComparer.Ordinal);
        var html = new System.Text.StringBuilder();
        html.Append("<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset utrecht-form-fieldset--distanced\">");
        html.Append($"<legend class=\"utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend\">{encoder.Encode(Legend)}</legend>");
        html.Append("<div class=\"checkbox-grid\">");
        foreach (var item in Items)
        {
            var id = TagBuilder.CreateSanitizedId($"{Name}_{item.Value}", "_");
            html.Append("<div class=\"utrecht-form-field utrecht-form-field--checkbox\">");
            html.Append($"<input class=\"utrecht-checkbox utrecht-checkbox--html-input\" type=\"checkbox\" id=\"{id}\" name=\"{encoder.Encode(Name)}\" value=\"{encoder.Encode(item.Value)}\"{(selected.Contains(item.Value) ? " checked" : "")}>");
            html.Append($"<label class=\"utrecht-form-label utrecht-form-label--checkbox\" for=\"{id}\">{encoder.Encode(item.Text)}</label>");
            html.Append("</div>");
        }
        html.Append("</div></fieldset>");
        output.TagName = null;
        output.Content.SetHtmlContent(html.ToString());
    }
}
