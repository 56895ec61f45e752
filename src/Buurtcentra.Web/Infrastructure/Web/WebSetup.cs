using System.Globalization;
using System.Reflection;
using Buurtcentra.Web.Features.Errors;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Buurtcentra.Web.Infrastructure.Web;

public static class WebSetup
{
    public const string LoginRateLimit = "login";
    public const string PublicFormsRateLimit = "public-forms";

    public static IServiceCollection AddBuurtcentraWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddControllersWithViews(options =>
            {
                options.Conventions.Add(new FeatureConvention());
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                // FluentValidation owns the rules; no implicit [Required] from nullable annotations.
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                DutchModelBinding.Apply(options);
            });
        services.AddErrorHandling();
        services.Configure<RazorViewEngineOptions>(o => o.ViewLocationExpanders.Add(new FeatureViewLocationExpander()));
        services.AddAntiforgery(o => o.Cookie.Name = "buurtcentra.af");

        ValidatorOptions.Global.LanguageManager.Culture = new CultureInfo("nl");
        AddValidatorsAndHandlers(services, typeof(WebSetup).Assembly);

        services.AddBuurtcentraRateLimits(configuration);
        return services;
    }

    /// <summary>Validators and handlers are plain classes found by name; no mediator, no container magic beyond this.</summary>
    private static void AddValidatorsAndHandlers(IServiceCollection services, Assembly assembly)
    {
        foreach (var result in AssemblyScanner.FindValidatorsInAssembly(assembly))
        {
            services.AddScoped(result.InterfaceType, result.ValidatorType);
        }
        foreach (var type in assembly.GetTypes().Where(t =>
                     t is { IsClass: true, IsAbstract: false, IsNested: false }
                     && (t.Name.EndsWith("Handler", StringComparison.Ordinal) || t.Name.EndsWith("Query", StringComparison.Ordinal)
                         || t.Name.EndsWith("Mails", StringComparison.Ordinal))
                     && t.Namespace?.Contains(".Features.", StringComparison.Ordinal) == true))
        {
            services.AddScoped(type);
        }
    }
}
