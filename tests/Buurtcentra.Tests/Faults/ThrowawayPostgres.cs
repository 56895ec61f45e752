using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Buurtcentra.Tests.Faults;

/// <summary>
/// A PostgreSQL cluster of the test's own, to stop and start at will: initdb into a temporary folder owned by the
/// 'postgres' user, on a free loopback port, run through runuser (initdb and postgres refuse to run as root). Removed
/// again on dispose. Never the shared cluster that `make test` starts.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string bin;
    private readonly string folder;
    private readonly string data;
    private readonly string log;

    public int Port { get; } = FreePort();

    /// <summary>Without a database: the tests create theirs (TestDatabase.CreateAsync with this as the server).</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=buurtcentra;Timeout=5;Command Timeout=15";

    private ThrowawayPostgres(string bin)
    {
        this.bin = bin;
        folder = Directory.CreateTempSubdirectory("buurtcentra-throwaway-pg-").FullName;
        data = Path.Combine(folder, "data");
        log = Path.Combine(folder, "postgres.log");
    }

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .LastOrDefault()
            : null;
        if (bin is null) throw new InvalidOperationException("No PostgreSQL under /usr/lib/postgresql/*/bin: run the tests with 'make test', which installs it.");

        var cluster = new ThrowawayPostgres(bin);
        try
        {
            if (AsRoot) await RunAsync("chown", "postgres:postgres", cluster.folder);
            await cluster.AsPostgresAsync("initdb", "-D", cluster.data, "-U", "buurtcentra", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8");
            await cluster.StartAgainAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server the way an operator or a crash would take it away: connections are cut at once.</summary>
    public Task StopAsync() => AsPostgresAsync("pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "60", "stop");

    public Task StartAgainAsync() => AsPostgresAsync("pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
        $"-c listen_addresses=127.0.0.1 -p {Port} -c unix_socket_directories='' -c fsync=off -c max_connections=100", "start");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            try { await AsPostgresAsync("pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "60", "stop"); } catch (InvalidOperationException) { }
        }
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>As root through runuser (initdb and postgres refuse root); as anyone else directly.</summary>
    private Task AsPostgresAsync(string program, params string[] arguments) => AsRoot
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. arguments])
        : RunAsync(Path.Combine(bin, program), arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            // From / : the postgres user may not enter the test's working folder.
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors} {await output}");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
