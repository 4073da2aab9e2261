using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SsdEdge.Trainer.Tests.EndToEnd;

/// <summary>Finds the external programs the live-chain tests start, and starts them.</summary>
/// <remarks>A missing program skips the test with the reason, except under <c>CI=true</c>, where the
/// test fails instead.</remarks>
internal static class PeerPrograms
{
    public static string Require(string name, params string[] candidates)
    {
        var found = candidates.FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        var reason = $"{name} is not installed (looked in {string.Join(", ", candidates)}); apt-get install {name}.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return "";
    }

    public static Process Start(string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        process.Dispose();
    }

    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A Mosquitto process on a free 127.0.0.1 port with its own configuration file
/// (anonymous access, no persistence); killed on dispose.</summary>
internal sealed class MosquittoProcess : IDisposable
{
    private readonly Process _process;

    private MosquittoProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static MosquittoProcess Start(string directory)
    {
        var executable = PeerPrograms.Require("mosquitto", "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto");
        var port = PeerPrograms.FreeLoopbackPort();
        var config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(
            config,
            $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n");
        var process = PeerPrograms.Start(executable, "-c", config);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail($"mosquitto exited with code {process.ExitCode} before listening on port {port}.");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return new MosquittoProcess(process, port);
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }
        }
    }

    public void Dispose() => PeerPrograms.Stop(_process);
}

/// <summary>A socat pseudo-terminal pair: bytes written to <see cref="DevicePath"/> come out of
/// <see cref="AgentPath"/>; both are symbolic links that socat creates.</summary>
internal sealed class PseudoTerminalPair : IDisposable
{
    private readonly Process _process;

    private PseudoTerminalPair(Process process, string devicePath, string agentPath)
    {
        _process = process;
        DevicePath = devicePath;
        AgentPath = agentPath;
    }

    public string DevicePath { get; }

    public string AgentPath { get; }

    public static PseudoTerminalPair Start(string directory)
    {
        var socat = PeerPrograms.Require("socat", "/usr/bin/socat", "/usr/local/bin/socat", "/bin/socat");
        var device = Path.Combine(directory, "device");
        var agent = Path.Combine(directory, "agent");
        var process = PeerPrograms.Start(
            socat,
            "-d",
            "-d",
            $"pty,raw,echo=0,link={device}",
            $"pty,raw,echo=0,link={agent}");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(device) || !File.Exists(agent))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(5))
            {
                PeerPrograms.Stop(process);
                Assert.Fail($"socat did not create {device} and {agent} within 5 s.");
            }

            Thread.Sleep(10);
        }

        return new PseudoTerminalPair(process, device, agent);
    }

    /// <summary>Whether this process holds the agent end open, read from <c>/proc/self/fd</c>.</summary>
    /// <remarks>The agent drops bytes up to the first line end after it opens the port, so a writer
    /// that must not lose its first line waits for this.</remarks>
    public bool AgentEndIsOpen()
    {
        var target = new FileInfo(AgentPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        if (target is null)
        {
            return false;
        }

        foreach (var descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(descriptor).LinkTarget == target)
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // The descriptor closed while it was listed.
            }
        }

        return false;
    }

    public void Dispose()
    {
        PeerPrograms.Stop(_process);
        File.Delete(DevicePath);
        File.Delete(AgentPath);
    }
}
