using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Auth;

namespace Buurtcentra.Tests.Meldingen;

public sealed class MeldingenApiTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    private async Task<string> TokenForAsync(long userId)
    {
        var token = ApiTokenSecret.Generate();
        await Data.ScalarAsync<long>("insert into api_tokens (user_id, name, token_hash, created_at) values (@userId, 'Test', @hash, now()) returning id",
            new { userId, hash = ApiTokenSecret.Hash(token) });
        return token;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, object? body = null)
    {
        using var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Report_list_plan_solve_and_close_through_the_api_with_the_same_rules_as_the_screens()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Grote zaal");
        var otherCentreId = await Data.CentreAsync("Elders");
        var gebruiker = await TokenForAsync(await Data.UserAsync("gebruiker"));
        var stadsbedrijven = await TokenForAsync(await Data.UserAsync("stadsbedrijven"));
        var stranger = await TokenForAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [otherCentreId]));

        var invalid = await SendAsync(HttpMethod.Post, "/api/v1/meldingen", gebruiker,
            new { centreId, roomId, category = "stuk", kind = "technisch", urgency = "normaal", description = "kort" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await JsonAsync(invalid)).GetProperty("errors");
        Assert.Equal("Kies wat voor probleem het is.", errors.GetProperty("category")[0].GetString());
        Assert.True(errors.TryGetProperty("description", out _));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from meldingen"));

        var created = await SendAsync(HttpMethod.Post, "/api/v1/meldingen", gebruiker,
            new { centreId, roomId, category = "heel", kind = "technisch", urgency = "hoog", description = "De verwarming doet het niet." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var melding = (await JsonAsync(created)).GetProperty("melding");
        var id = melding.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/meldingen/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("nieuw", melding.GetProperty("status").GetString());
        // Monday 10:00 + 1 working day = Tuesday 10:00, Utrecht time with offset.
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(1)), melding.GetProperty("dueAt").GetDateTimeOffset());

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/v1/meldingen", gebruiker)).StatusCode);
        var list = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/v1/meldingen?status=nieuw&centre={centreId}&overdue=false", stadsbedrijven));
        Assert.Equal(id, list.GetProperty("meldingen")[0].GetProperty("id").GetInt64());
        Assert.Equal(1, list.GetProperty("countPerStatus").GetProperty("nieuw").GetInt32());
        Assert.Equal(0, (await JsonAsync(await SendAsync(HttpMethod.Get, "/api/v1/meldingen?overdue=true", stadsbedrijven))).GetProperty("meldingen").GetArrayLength());
        Assert.DoesNotContain("@", (await JsonAsync(await SendAsync(HttpMethod.Get, "/api/v1/meldingen", stadsbedrijven))).ToString());

        var noPlan = await SendAsync(HttpMethod.Post, $"/api/v1/meldingen/{id}/status", stadsbedrijven, new { to = "in_behandeling", assignee = "Team gebouwen" });
        Assert.Equal(HttpStatusCode.BadRequest, noPlan.StatusCode);
        Assert.Equal("Vul in wanneer het werk gepland is.", (await JsonAsync(noPlan)).GetProperty("errors").GetProperty("plannedOn")[0].GetString());
        var planned = await SendAsync(HttpMethod.Post, $"/api/v1/meldingen/{id}/status", stadsbedrijven,
            new { to = "in_behandeling", plannedOn = "2026-11-24", assignee = "Team gebouwen" });
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        Assert.Equal("Team gebouwen", (await JsonAsync(planned)).GetProperty("assignee").GetString());

        // The reporter cannot solve it; a beheerder of another centre does not even see it.
        var byReporter = await SendAsync(HttpMethod.Post, $"/api/v1/meldingen/{id}/status", gebruiker, new { to = "opgelost" });
        Assert.Equal(HttpStatusCode.BadRequest, byReporter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/v1/meldingen/{id}", stranger)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/v1/meldingen/{id}/status", stranger, new { to = "opgelost" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/meldingen/{id}/status", stadsbedrijven, new { to = "opgelost" })).StatusCode);
        var notForStadsbedrijven = await SendAsync(HttpMethod.Post, $"/api/v1/meldingen/{id}/status", stadsbedrijven, new { to = "gesloten" });
        Assert.Equal(HttpStatusCode.BadRequest, notForStadsbedrijven.StatusCode);
        var closed = await SendAsync(HttpMethod.Post, $"/api/v1/meldingen/{id}/status", gebruiker, new { to = "gesloten" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var final = await JsonAsync(closed);
        Assert.Equal("gesloten", final.GetProperty("status").GetString());
        Assert.Equal(0, final.GetProperty("nextStatuses").GetArrayLength());
        Assert.Equal(4, final.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_meldingen_endpoints()
    {
        using var client = App.CreateClient();
        var doc = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/meldingen", doc);
        Assert.Contains("/api/v1/meldingen/{id}/status", doc);
        Assert.Contains("CreateMelding", doc);
    }
}
