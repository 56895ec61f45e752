using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Buurtcentra.Tests.Api;

/// <summary>
/// The database goes away while the app runs (its connections go through a TCP proxy that the test breaks; the shared
/// PostgreSQL cluster is never touched). Every answer is then a 503 with Retry-After: a problem document on the API, a
/// Dutch page elsewhere, written without a second pass through authentication (which would need the database again
/// and ended in a 500 with an empty body).
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private TcpProxy proxy = null!;
    private OutageApp app = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(TestDatabase.NameFor("outage"));
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        proxy = new TcpProxy(direct.Host!, direct.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 5 };
        app = new OutageApp(database, throughProxy.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        proxy.Dispose();
        await database.DisposeAsync();
    }

    private sealed class OutageApp(TestDatabase database, string connectionString) : AppFactory(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Default", connectionString);
        }
    }

    [Fact]
    public async Task During_an_outage_the_api_and_the_pages_answer_503_with_retry_after_and_a_dutch_answer()
    {
        var data = new TestData(database.DataSource);
        await data.CentreAsync("Buurtcentrum De Boog");
        var userId = await data.UserAsync("functioneel_beheerder");
        var token = ApiTokenSecret.Generate();
        await data.ScalarAsync<long>("insert into api_tokens (user_id, name, token_hash, created_at) values (@userId, 'Test', @hash, now()) returning id",
            new { userId, hash = ApiTokenSecret.Hash(token) });
        var staff = new Browser(app);
        await staff.SignInAsync(await data.EmailOfAsync(userId));
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync("/beheer/buurtcentra")).StatusCode);
        var anonymous = new Browser(app);

        proxy.Break();

        var withToken = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await AssertProblemAsync(await anonymous.Client.SendAsync(withToken));
        await AssertProblemAsync(await anonymous.Client.GetAsync("/api/v1/centres"));
        await AssertProblemAsync(await staff.Client.GetAsync("/api/v1/me"));
        await AssertPageAsync(await staff.Client.GetAsync("/beheer/buurtcentra"));
        await AssertPageAsync(await anonymous.Client.GetAsync("/buurtcentra"));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal("Even niet beschikbaar", problem.GetProperty("title").GetString());
        Assert.Contains("Probeer het over een minuut opnieuw", problem.GetProperty("detail").GetString());
    }

    private static async Task AssertPageAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        Assert.Contains("<html lang=\"nl\"", body);
        Assert.Contains("Even niet beschikbaar", body);
        Assert.Contains("nosniff", response.Headers.GetValues("X-Content-Type-Options"));
    }
}

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL. <see cref="Break"/> drops every open connection and from then on closes
/// each new one at once: to the app the database has gone away, to everyone else nothing happened.
/// </summary>
public sealed class TcpProxy : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> open = [];
    private readonly string targetHost;
    private readonly int targetPort;
    private volatile bool broken;

    public TcpProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public void Break()
    {
        broken = true;
        lock (open)
        {
            foreach (var client in open) client.Dispose();
            open.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (broken)
            {
                client.Dispose();
                continue;
            }
            var server = new TcpClient();
            await server.ConnectAsync(targetHost, targetPort);
            lock (open)
            {
                open.Add(client);
                open.Add(server);
            }
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        Break();
    }
}
