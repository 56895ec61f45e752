using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Buurtcentra.Web.Features.Errors;

/// <summary>
/// Every error answer of the app, in one place (docs/api.md, "Fouten"):
/// <list type="bullet">
/// <item>input the framework cannot bind (broken JSON, a wrong type at a JSON path, a query parameter that is not a
/// number, a control character) → 400 (415 for a body that is not JSON) with a Dutch message naming the field: an
/// RFC 9457 problem document on /api, the Dutch error page elsewhere. Validation of what was read stays with the
/// validators: they answer through <see cref="InputProblem"/> (API) or show the form again (pages).</item>
/// <item>the database unreachable → 503 with Retry-After: a problem document, or a Dutch page rendered without
/// touching the database (no second pass through authentication, which would need it).</item>
/// <item>anything else → 500: on /api a problem document written here, on pages the Dutch page at /fout.</item>
/// </list>
/// Status codes without a body (404, 405, ...) get the same: a problem document on /api, the page at /fout/{code}.
/// </summary>
public static class ErrorHandling
{
    public const int RetryAfterSeconds = 30;

    public static IServiceCollection AddErrorHandling(this IServiceCollection services)
    {
        services.AddExceptionHandler<ErrorAnswers>();
        // Binding failures reach ErrorAnswers as exceptions, in every environment, so they get a message that says what is wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            // A number is a JSON number: "15" for participants is a type error, as the OpenAPI document says.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // A field we do not know is refused, not ignored: "contact_name" must not be lost without a word.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.Converters.Add(new JsonTextConverter());
        });
        services.Configure<ApiBehaviorOptions>(o => o.InvalidModelStateResponseFactory = context =>
        {
            var errors = context.ModelState.Where(e => e.Value?.Errors.Count > 0)
                .SelectMany(e => e.Value!.Errors.Select(x => (InputProblem.Field(e.Key.TrimStart('$', '.')), x.ErrorMessage)));
            return new BadRequestObjectResult(new ValidationProblemDetails(InputProblem.Dictionary(errors))
            {
                Title = InputProblem.Title, Detail = InputProblem.Detail, Status = StatusCodes.Status400BadRequest,
            }) { ContentTypes = { "application/problem+json" } };
        });
        return services;
    }

    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler("/fout");
        app.UseWhen(IsApi, api => api.UseStatusCodePages(context =>
        {
            var (title, text) = ErrorTexts.For(context.HttpContext.Response.StatusCode);
            return ErrorAnswers.WriteProblemAsync(context.HttpContext, context.HttpContext.Response.StatusCode, title, text, null);
        }));
        app.UseWhen(context => !IsApi(context), pages => pages.UseStatusCodePagesWithReExecute("/fout/{0}"));
        app.UseInputTextGuard();
        return app;
    }

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    public static bool IsApi(string path) => new PathString(path).StartsWithSegments("/api");

    /// <summary>The database cannot be reached (or refused for now): worth trying again later, not a bug.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } || (e is NpgsqlException && e.InnerException is SocketException or TimeoutException or IOException))
            {
                return true;
            }
        }
        return false;
    }
}

internal sealed class ErrorAnswers(ILogger<ErrorAnswers> logger, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        var endpoint = feature?.Endpoint;
        // The middleware has already set the path to /fout: the original path decides API or page.
        var path = feature?.Path ?? context.Request.Path.Value ?? "";
        var api = ErrorHandling.IsApi(path);
        SecurityHeaders.Apply(context.Response.Headers);

        if (BadRequestText.From(exception, endpoint, json.Value.SerializerOptions) is { } bad)
        {
            logger.LogDebug(exception, "Bad request to {Path}", path);
            if (api) await WriteProblemAsync(context, bad.Status, bad.Title, bad.Detail, bad.Errors);
            else await WritePageAsync(context, new ErrorPage(bad.Status, ErrorTexts.For(bad.Status).Title, bad.Detail));
            return true;
        }
        if (ErrorHandling.IsDatabaseUnavailable(exception))
        {
            logger.LogWarning(exception, "Database unavailable: {Method} {Path} answered 503", context.Request.Method, path);
            context.Response.Headers.RetryAfter = ErrorHandling.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (title, text) = ErrorTexts.For(StatusCodes.Status503ServiceUnavailable);
            if (api) await WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, title, text, null);
            else await WritePageAsync(context, new ErrorPage(StatusCodes.Status503ServiceUnavailable, title, text));
            return true;
        }
        if (exception is PostgresException { SqlState: [ '2', '2', ..] } refused)
        {
            // A data exception (text too long, a number out of range, ...): the input was wrong, but a validator should
            // have said so with a message naming the field. Logged as an error so that the missing rule gets written.
            logger.LogError(exception, "Input refused by the database ({SqlState}) on {Method} {Path}: a validator misses a rule",
                refused.SqlState, context.Request.Method, path);
            const string text = "Een van de waarden kan niet worden opgeslagen (te lang, te groot of ongeldig). Controleer wat u invulde.";
            if (api) await WriteProblemAsync(context, StatusCodes.Status400BadRequest, InputProblem.Title, text, [("", text)]);
            else await WritePageAsync(context, new ErrorPage(StatusCodes.Status400BadRequest, ErrorTexts.For(400).Title, text));
            return true;
        }
        if (api)
        {
            // Written here, not by re-executing /fout: a second pass through authentication could fail the same way.
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, path);
            var (title, text) = ErrorTexts.For(StatusCodes.Status500InternalServerError);
            await WriteProblemAsync(context, StatusCodes.Status500InternalServerError, title, text, null);
            return true;
        }
        return false;
    }

    public static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail,
        IReadOnlyList<(string Field, string Message)>? errors)
    {
        context.Response.StatusCode = status;
        ProblemDetails problem = errors is { Count: > 0 }
            ? new HttpValidationProblemDetails(InputProblem.Dictionary(errors))
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        problem.Type = status switch
        {
            400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
            413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
            503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            _ => null,
        };
        var service = context.RequestServices.GetService<IProblemDetailsService>();
        if (service is null || !await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem, problem.GetType(), (JsonSerializerOptions?)null, "application/problem+json");
        }
    }

    /// <summary>
    /// The Dutch error page, rendered in place (no re-execution, so no authentication or database on the way).
    /// Should even the view fail (its layout, the key ring), a plain Dutch page still goes out.
    /// </summary>
    private async Task WritePageAsync(HttpContext context, ErrorPage page)
    {
        context.Response.StatusCode = page.Code;
        try
        {
            var executor = context.RequestServices.GetRequiredService<IActionResultExecutor<ViewResult>>();
            var viewData = new ViewDataDictionary<ErrorPage>(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = page };
            await executor.ExecuteAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()),
                new ViewResult { ViewName = "/Features/Errors/Error.cshtml", ViewData = viewData, StatusCode = page.Code });
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogWarning(e, "The error page could not be rendered; a plain page is sent");
            context.Response.ContentType = "text/html; charset=utf-8";
            var title = System.Net.WebUtility.HtmlEncode(page.Title);
            await context.Response.WriteAsync($"""
                <!DOCTYPE html>
                <html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{title} – Buurtcentra Utrecht</title><link rel="stylesheet" href="/css/site.css"></head>
                <body><main><h1>{title}</h1><p>{System.Net.WebUtility.HtmlEncode(page.Text)}</p><p><a href="/">Naar de startpagina</a></p></main></body></html>
                """);
        }
    }
}
