using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Buurtcentra.Tests.Feeds;

/// <summary>One event instance as an independent parser reads it: instants in UTC.</summary>
public sealed record ParsedInstance(string Uid, string? RecurrenceId, DateTime Start, DateTime End, string Status);

/// <summary>What one parser made of one file: its instances, or the problems it found.</summary>
public sealed record ParsedFile(IReadOnlyList<ParsedInstance> Instances, IReadOnlyList<string> Problems);

/// <summary>
/// Reads many iCalendar texts with two parsers that share nothing with the app's Ical.Net, each in one process for the
/// whole batch: python3-icalendar with dateutil (expand_feed.py --many) and ical.js on the machine's node
/// (expand_icaljs.mjs; `make assets` installs it with npm ci).
/// </summary>
public static class IndependentParsers
{
    public sealed record Readings(IReadOnlyList<ParsedFile> Python, IReadOnlyList<ParsedFile> IcalJs);

    public static async Task<Readings> ReadAsync(IReadOnlyList<string> calendars)
    {
        var folder = Directory.CreateTempSubdirectory("buurtcentra-interop-").FullName;
        try
        {
            var paths = new List<string>();
            for (var i = 0; i < calendars.Count; i++)
            {
                var path = Path.Combine(folder, $"{i:D4}.ics");
                await File.WriteAllTextAsync(path, calendars[i], new System.Text.UTF8Encoding(false));
                paths.Add(path);
            }
            var python = RunAsync(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", [Script("expand_feed.py"), "--many", .. paths]);
            var node = RunAsync("node", [Script("expand_icaljs.mjs"), .. paths]);
            return new Readings(Files(await python, paths), Files(await node, paths));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {program} ({e.Message}). `make test` installs node and ical.js (make assets) "
                + "and python3-icalendar (make smtp-server).", e);
        }
        using var process = started ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(arguments[0])} failed (exit {process.ExitCode}):\n{await errors}");
        return await output;
    }

    private static List<ParsedFile> Files(string json, IReadOnlyList<string> paths)
    {
        using var document = JsonDocument.Parse(json);
        var files = document.RootElement.GetProperty("files");
        return paths.Select(path =>
        {
            var file = files.GetProperty(path);
            if (file.TryGetProperty("problems", out var problems))
            {
                return new ParsedFile([], problems.EnumerateArray().Select(p => p.GetString()!).ToList());
            }
            return new ParsedFile(file.GetProperty("events").EnumerateArray().Select(e => new ParsedInstance(
                e.GetProperty("uid").GetString()!,
                e.GetProperty("recurrence_id").GetString(),
                Instant(e.GetProperty("start").GetString()!),
                Instant(e.GetProperty("end").GetString()!),
                e.GetProperty("status").GetString()!)).ToList(), []);
        }).ToList();
    }

    private static DateTime Instant(string iso) =>
        DateTime.SpecifyKind(DateTime.ParseExact(iso, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static string Script(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, name);
}
