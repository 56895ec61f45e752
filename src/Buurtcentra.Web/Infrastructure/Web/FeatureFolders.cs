using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Buurtcentra.Web.Infrastructure.Web;

/// <summary>
/// Views live next to their controller in Features/&lt;Feature&gt;/. The feature is the namespace segment after
/// "Features"; shared layouts and partials live in Features/Shared.
/// </summary>
public sealed class FeatureConvention : IControllerModelConvention
{
    public void Apply(ControllerModel controller)
    {
        var ns = controller.ControllerType.Namespace ?? "";
        var marker = ".Features.";
        var index = ns.IndexOf(marker, StringComparison.Ordinal);
        controller.Properties["feature"] = index < 0 ? "" : ns[(index + marker.Length)..].Replace('.', '/');
        // MVC pages are not part of the JSON API's OpenAPI document.
        controller.ApiExplorer.IsVisible = false;
    }
}

public sealed class FeatureViewLocationExpander : IViewLocationExpander
{
    public void PopulateValues(ViewLocationExpanderContext context)
    {
        if (context.ActionContext.ActionDescriptor is Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor descriptor
            && descriptor.Properties.TryGetValue("feature", out var feature))
        {
            context.Values["feature"] = feature as string;
        }
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        if (context.Values.TryGetValue("feature", out var feature) && !string.IsNullOrEmpty(feature))
        {
            yield return $"/Features/{feature}/{{0}}.cshtml";
        }
        yield return "/Features/Shared/{0}.cshtml";
    }
}
