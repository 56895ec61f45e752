using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Buurtcentra.Tests.Api;

/// <summary>
/// Runs every curl line of the README and of docs/*.md exactly as written, in the order of the file, against the app
/// with the demo data on a real port: curl's --connect-to sends http://127.0.0.1:5080 (the address of `make run`) to
/// the test server, so the text of the example stays as it is. Every example must answer 2xx with JSON.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed partial class DocumentedCurlTests(DemoServerFixture fixture)
{
    public static TheoryData<string> FilesWithCurl()
    {
        var data = new TheoryData<string>();
        foreach (var file in new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md")
                     .Select(f => Path.GetRelativePath(Repository.Root, f)).Order(StringComparer.Ordinal)))
        {
            if (CurlCommands(file).Count > 0) data.Add(file);
        }
        return data;
    }

    [Fact]
    public void The_readme_has_curl_examples_and_its_reservation_example_books_room_12()
    {
        var commands = CurlCommands("README.md");
        Assert.True(commands.Count >= 3, "The README's API section lost its curl examples");
        Assert.Contains(commands, c => c.Contains("/api/v1/reservations", StringComparison.Ordinal) && c.Contains("\"roomId\": 12", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FilesWithCurl))]
    public async Task Every_curl_example_answers_2xx_with_json(string file)
    {
        await fixture.App.ResetAsync();
        var port = new Uri(fixture.App.BaseUrl).Port;
        foreach (var command in CurlCommands(file))
        {
            var (status, body, error) = await RunAsync(command, port);
            Assert.True(status is >= 200 and < 300, $"{file}: `{command}` answered {status}: {body}{error}");
            Assert.True(IsJson(body), $"{file}: `{command}` did not answer JSON: {body}");
        }
        Assert.Empty(fixture.App.Errors.Entries);
    }

    /// <summary>The curl commands in the file's sh code blocks, continuation lines joined, in file order.</summary>
    private static List<string> CurlCommands(string file)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, file));
        var commands = new List<string>();
        foreach (Match block in ShellBlock().Matches(text))
        {
            var joined = Regex.Replace(block.Groups[1].Value, @"\\\r?\n\s*", " ");
            commands.AddRange(joined.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("curl ", StringComparison.Ordinal)));
        }
        return commands;
    }

    private static async Task<(int Status, string Body, string Error)> RunAsync(string command, int port)
    {
        // Options go right after "curl"; the rest of the line is exactly as documented. The status comes last on its own line.
        var run = $"curl --connect-to 127.0.0.1:5080:127.0.0.1:{port} --silent --show-error --max-time 30 --write-out '\\n%{{http_code}}'{command["curl".Length..]}";
        var start = new ProcessStartInfo("/bin/bash", ["-c", run]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lastBreak = output.LastIndexOf('\n');
        var status = lastBreak >= 0 && int.TryParse(output[(lastBreak + 1)..], out var code) ? code : 0;
        return (status, lastBreak >= 0 ? output[..lastBreak] : output, error);
    }

    private static bool IsJson(string body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"```(?:sh|bash|shell)\r?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}

/// <summary>The checkout's root folder (where README.md is), found from the test assembly's folder.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Buurtcentra.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Buurtcentra.sln not found above " + AppContext.BaseDirectory);
    }
}
