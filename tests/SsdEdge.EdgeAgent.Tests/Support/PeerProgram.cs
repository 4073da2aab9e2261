using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>
/// Finds and runs the external programs that tests start (mosquitto, socat, systemd-analyze, the
/// deployment scripts), hands out free loopback ports, and finds the repository root.
/// </summary>
/// <remarks>A missing program or privilege skips the test with the reason, except under
/// <c>CI=true</c>, where it fails.</remarks>
public static class PeerProgram
{
    /// <summary>Exit code by which a script reports a missing prerequisite (the Automake
    /// convention for a skipped test).</summary>
    public const int SkipExitCode = 77;

    // Searched after PATH, because a non-root PATH often lacks the sbin folders (mosquitto).
    private static readonly string[] StandardFolders =
        ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

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
    /// <param name="program">A full path, checked as it is, or a name looked up on PATH and then in
    /// the standard bin and sbin folders.</param>
    /// <param name="package">Debian package that installs the program, named in the reason.</param>
    public static string Require(string program, string package)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        IReadOnlyList<string> candidates = program.Contains('/', StringComparison.Ordinal)
            ? [program]
            : (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Concat(StandardFolders)
                .Distinct(StringComparer.Ordinal)
                .Select(folder => Path.Combine(folder, program))
                .ToList();
        var found = candidates.FirstOrDefault(File.Exists);
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
    /// the process and its children are killed, and the test fails, when <paramref name="timeout"/>
    /// passes.</summary>
    /// <param name="program">Path of the program.</param>
    /// <param name="arguments">Arguments, passed without a shell.</param>
    /// <param name="timeout">Longest run.</param>
    /// <param name="environment">Variables added to the test's environment.</param>
    /// <param name="workingDirectory">Working folder; null runs in the repository root.</param>
    public static async Task<ProgramResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
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

        var cancellationToken = TestContext.Current.CancellationToken;
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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

    /// <summary>Runs <paramref name="program"/> to its end within 30 s and throws with its standard
    /// error when it exits with a non-zero code.</summary>
    /// <exception cref="InvalidOperationException">The program exited with a non-zero code.</exception>
    public static async Task RunCheckedAsync(string program, IReadOnlyList<string> arguments)
    {
        var result = await RunAsync(program, arguments, TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {result.ExitCode}: {result.Error}");
        }
    }

    /// <summary>Returns a TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
