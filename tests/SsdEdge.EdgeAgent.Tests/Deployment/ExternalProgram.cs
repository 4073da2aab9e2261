using System.Diagnostics;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

/// <summary>Runs deployment scripts and peer programs, and finds the repository they live in.</summary>
public static class ExternalProgram
{
    /// <summary>Exit code by which a script reports a missing prerequisite (the Automake
    /// convention for a skipped test).</summary>
    public const int SkipExitCode = 77;

    /// <summary>Repository root: the first folder above the test binaries with SsdEdge.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "SsdEdge.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException($"No SsdEdge.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Returns the full path of <paramref name="program"/>, or skips the test (fails it
    /// under CI=true) when it is not installed.</summary>
    public static string Require(string program, string package)
    {
        var found = program.Contains('/', StringComparison.Ordinal)
            ? (File.Exists(program) ? program : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, program))
                .FirstOrDefault(File.Exists);
        if (found is null)
        {
            SkipOrFail($"{program} is not installed; install the Debian package {package}.");
        }

        return found!;
    }

    /// <summary>Skips the test with <paramref name="reason"/>, or fails it under CI=true.</summary>
    public static void SkipOrFail(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }

    /// <summary>Skips the test unless it runs as root, or fails it under CI=true.</summary>
    public static void RequireRoot(string purpose)
    {
        if (Environment.UserName != "root")
        {
            SkipOrFail($"{purpose} needs root.");
        }
    }

    /// <summary>Runs <paramref name="program"/> to its end and returns its exit code and output;
    /// the process and its children are killed when <paramref name="timeout"/> passes.</summary>
    public static async Task<ProgramResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"{program} {string.Join(' ', start.ArgumentList)} ran past {timeout}:\n"
                + await error);
        }

        return new ProgramResult(process.ExitCode, await output, await error);
    }
}

/// <summary>Exit code and output of one program run.</summary>
public sealed record ProgramResult(int ExitCode, string Output, string Error)
{
    /// <summary>Output and error, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n{Output}\n{Error}";
}
