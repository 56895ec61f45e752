using System.Globalization;
using Buurtcentra.Web.Features.Agenda;
using Buurtcentra.Web.Features.Availability;
using Buurtcentra.Web.Features.Centres;
using Buurtcentra.Web.Features.Errors;
using Buurtcentra.Web.Features.Meldingen.Api;
using Buurtcentra.Web.Features.Planning.Runs;
using Buurtcentra.Web.Features.Reservations;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Database;
using Buurtcentra.Web.Infrastructure.Mail;
using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddDatabase(builder.Configuration);
builder.Services.AddBuurtcentraAuth();
builder.Services.AddMail(builder.Configuration);
builder.Services.AddHostedService<Buurtcentra.Web.Features.Meldingen.MeldingDigestService>();
builder.Services.AddBuurtcentraWeb(builder.Configuration);
builder.Services.AddProxySupport(builder.Configuration, builder.Environment);
builder.Services.AddPlanningRuns(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddBuurtcentraOpenApi();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

var app = builder.Build();

await app.Services.GetRequiredService<MigrationRunner>().RunAsync();
if (app.Configuration.GetValue<bool>("Demo:Load"))
{
    await app.Services.GetRequiredService<DemoData>().LoadAsync();
}

app.UseProxySupport();
var dutch = new CultureInfo("nl-NL");
app.UseRequestLocalization(o =>
{
    o.DefaultRequestCulture = new Microsoft.AspNetCore.Localization.RequestCulture(dutch);
    o.SupportedCultures = [dutch];
    o.SupportedUICultures = [dutch];
});
app.UseErrorHandling();
app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
// After authentication: a signed-in user's limits count for that user, not for the address they share (RateLimits.cs).
app.UseRateLimiter();
app.UseAuthorization();

app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapOpenApi("/openapi/{documentName}.json");
app.MapCentresApi();
app.MapReservationsApi();
app.MapAvailabilityApi();
app.MapAgendaApi();
app.MapMeldingenApi();
app.MapControllers();

app.Run();

public partial class Program;
