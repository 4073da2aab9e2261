using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>
/// A Mosquitto process started for one test on a free 127.0.0.1 port, with its own configuration
/// (anonymous access, no persistence) in a temporary folder; killed on dispose.
/// </summary>
/// <remarks>Without a mosquitto executable the test is skipped, except under <c>CI=true</c>, where
/// it fails.</remarks>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];

    private readonly TempDirectory _directory;
    private readonly string _executable;
    private readonly string _config;
    private Process _process = null!;

    private MosquittoBroker(string executable, TempDirectory directory, string config, int port)
    {
        _executable = executable;
        _directory = directory;
        _config = config;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts a broker; <paramref name="allowAnonymous"/> false makes it reject clients
    /// without credentials in their CONNACK.</summary>
    public static async Task<MosquittoBroker> StartAsync(CancellationToken cancellationToken, bool allowAnonymous = true)
    {
        var executable = Candidates.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            var reason = $"mosquitto is not installed (looked in {string.Join(", ", Candidates)}).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        var directory = new TempDirectory();
        var port = FreePort();
        var config = directory.File("mosquitto.conf");
        await File.WriteAllTextAsync(
            config,
            $"listener {port} 127.0.0.1\nallow_anonymous {(allowAnonymous ? "true" : "false")}\n"
            + "persistence false\nmax_queued_messages 100000\n",
            cancellationToken);
        var broker = new MosquittoBroker(executable!, directory, config, port);
        await broker.LaunchAsync(cancellationToken);
        return broker;
    }

    /// <summary>Kills the broker process, dropping every connection, and starts a new one on the
    /// same port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        _process.Kill();
        await _process.WaitForExitAsync(cancellationToken);
        _process.Dispose();
        await LaunchAsync(cancellationToken);
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable, ["-c", _config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Hand-shake: the broker is ready once its port accepts a connection.
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"mosquitto exited with code {_process.ExitCode} before listening on port {Port}.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _directory.Dispose();
    }
}
