using System.Net;
using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.Infrastructure;

public sealed class HealthTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    [Theory]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    public async Task Health_endpoints_answer_healthy(string path)
    {
        var response = await App.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_page_gets_a_dutch_404()
    {
        var response = await App.CreateClient().GetAsync("/bestaat-niet");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Pagina niet gevonden", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_api_route_gets_problem_details()
    {
        var response = await App.CreateClient().GetAsync("/api/v1/bestaat-niet");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Pages_carry_security_headers()
    {
        var response = await App.CreateClient().GetAsync("/inloggen");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
