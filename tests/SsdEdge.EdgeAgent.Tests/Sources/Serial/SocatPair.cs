using System.Diagnostics;
using System.IO.Ports;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

/// <summary>
/// A socat pseudo-terminal pair: bytes written to <see cref="DevicePath"/> come out of
/// <see cref="AgentPath"/>. Both paths are symbolic links that socat creates and removes.
/// </summary>
/// <remarks>Without socat the test is skipped with the reason, except under <c>CI=true</c>, where it
/// fails.</remarks>
public sealed class SocatPair : IDisposable
{

    private readonly string _socat;
    private Process? _process;

    private SocatPair(string socat, string directory)
    {
        _socat = socat;
        DevicePath = Path.Combine(directory, "device");
        AgentPath = Path.Combine(directory, "agent");
    }

    /// <summary>Link the test writes to, as the device would.</summary>
    public string DevicePath { get; }

    /// <summary>Link the agent reads.</summary>
    public string AgentPath { get; }

    /// <summary>Starts socat with links in <paramref name="directory"/>.</summary>
    public static SocatPair Start(string directory)
    {
        var socat = PeerProgram.Require("socat", "socat");
        var pair = new SocatPair(socat, directory);
        pair.Restart();
        return pair;
    }

    /// <summary>Starts socat again with the same links, after <see cref="Kill"/>.</summary>
    public void Restart()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("socat is already running.");
        }

        var start = new ProcessStartInfo(_socat)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add($"pty,raw,echo=0,link={DevicePath}");
        start.ArgumentList.Add($"pty,raw,echo=0,link={AgentPath}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("socat did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (!File.Exists(DevicePath) || !File.Exists(AgentPath))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(5))
            {
                Kill();
                Assert.Fail($"socat did not create {DevicePath} and {AgentPath} within 5 s.");
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Ends socat, as when a device is unplugged; its links disappear.</summary>
    public void Kill()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit(5000);
        }
        finally
        {
            process.Dispose();
        }

        // socat removes its links on SIGTERM; a killed one may leave them behind.
        File.Delete(DevicePath);
        File.Delete(AgentPath);
    }

    /// <summary>Opens the device end for writing.</summary>
    public SerialPort OpenDevice()
    {
        var port = new SerialPort(DevicePath, 115200) { WriteTimeout = 5000 };
        port.Open();
        return port;
    }

    public void Dispose() => Kill();
}
