using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>Finds and runs the peer programs that tests start (mosquitto, mosquitto_passwd, socat),
/// and hands out free loopback ports.</summary>
public static class PeerProgram
{
    /// <summary>Returns the first of <paramref name="candidates"/> that exists. Without one the test
    /// is skipped with the reason, except under <c>CI=true</c>, where it fails.</summary>
    /// <param name="candidates">Full paths to look at, in order.</param>
    /// <param name="package">Debian package that installs the program, named in the reason.</param>
    public static string Require(IReadOnlyList<string> candidates, string package)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var found = candidates.FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        var reason = $"{Path.GetFileName(candidates[0])} is not installed (looked in {string.Join(", ", candidates)}; "
            + $"Debian package {package}).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return null!;
    }

    /// <summary>Runs <paramref name="program"/> to its end and fails with its standard error when it
    /// exits with a non-zero code.</summary>
    public static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {error}");
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
