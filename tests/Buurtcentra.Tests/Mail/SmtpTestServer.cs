using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Buurtcentra.Tests.Mail;

/// <summary>
/// A real SMTP server on loopback: Debian's aiosmtpd (package python3-aiosmtpd, installed by `make test`) run as a
/// child process with a tiny handler that writes every accepted message, byte for byte, to one .eml file.
/// The port stays the same across Stop/Start, so a test can take the server away and bring it back.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Handler = """
        "Mail sink for the tests: each message accepted over SMTP becomes one .eml file, exactly as received."
        import os
        import time


        class Sink:
            def __init__(self, folder):
                self.folder = folder
                self.count = 0

            @classmethod
            def from_cli(cls, parser, *args):
                if len(args) != 1:
                    parser.error("mailsink.Sink needs one argument: the folder to write to")
                return cls(args[0])

            async def handle_DATA(self, server, session, envelope):
                self.count += 1
                name = "%020d-%06d" % (time.time_ns(), self.count)
                temporary = os.path.join(self.folder, name + ".tmp")
                with open(temporary, "wb") as f:
                    f.write(envelope.original_content)
                os.replace(temporary, os.path.join(self.folder, name + ".eml"))
                return "250 OK: message accepted"
        """;

    private readonly string handlerFolder;
    private Process? process;
    private readonly System.Text.StringBuilder errors = new();

    public int Port { get; } = FreePort();
    public string Folder { get; } = Directory.CreateTempSubdirectory("buurtcentra-smtp-").FullName;
    public bool IsRunning => process is { HasExited: false };

    public SmtpTestServer()
    {
        handlerFolder = Directory.CreateTempSubdirectory("buurtcentra-smtp-handler-").FullName;
        File.WriteAllText(Path.Combine(handlerFolder, "mailsink.py"), Handler);
    }

    /// <summary>Debian's interpreter: python3-aiosmtpd lives there, whatever python3 comes first on PATH.</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "mailsink.Sink", Folder },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONPATH"] = handlerFolder;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        lock (errors) errors.Clear();
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the SMTP test server.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                string output;
                lock (errors) output = errors.ToString();
                throw new InvalidOperationException(
                    $"The SMTP test server stopped (exit {process.ExitCode}). Is python3-aiosmtpd installed (make test installs it)? {output}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task StopAsync()
    {
        if (process is null) return;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    public void Clear()
    {
        foreach (var file in Directory.GetFiles(Folder)) File.Delete(file);
    }

    /// <summary>Every message received so far, in order of arrival.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        Directory.GetFiles(Folder, "*.eml").Order().Select(f => MimeMessage.Load(f)).ToList();

    /// <summary>Waits (real time) until the messages received satisfy <paramref name="done"/>; returns them either way.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<IReadOnlyList<MimeMessage>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var messages = Messages();
            if (done(messages) || DateTime.UtcNow >= deadline) return messages;
            await Task.Delay(50);
        }
    }

    public Task<IReadOnlyList<MimeMessage>> WaitForMessageIdAsync(string messageId, TimeSpan? timeout = null) =>
        WaitForAsync(m => m.Any(x => x.MessageId == messageId), timeout);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var folder in new[] { Folder, handlerFolder })
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
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
