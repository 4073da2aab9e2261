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

    private readonly Process _process;
    private readonly TempDirectory _directory;

    private MosquittoBroker(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync(CancellationToken cancellationToken)
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
            $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n",
            cancellationToken);
        var start = new ProcessStartInfo(executable, ["-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new MosquittoBroker(process, directory, port);

        // Hand-shake: the broker is ready once its port accepts a connection.
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (true)
        {
            if (process.HasExited)
            {
                await broker.DisposeAsync();
                Assert.Fail($"mosquitto exited with code {process.ExitCode} before listening on port {port}.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return broker;
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
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }
}
