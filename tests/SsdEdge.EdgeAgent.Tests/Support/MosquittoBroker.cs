using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>
/// A real Mosquitto process on a 127.0.0.1 port, with its own configuration and log in a folder,
/// optionally with a password file and persistence; it can be stopped, killed, paused, resumed and
/// restarted, and is killed on dispose.
/// </summary>
/// <remarks>
/// <para>Tests that need it skip without mosquitto (and mosquitto_passwd for credentials), and fail
/// instead under <c>CI=true</c>.</para>
/// <para>With persistence the broker saves after every change, so a broker killed with SIGKILL
/// keeps the queued messages of persistent sessions. Queues and in-flight windows are unlimited.</para>
/// </remarks>
public sealed class MosquittoBroker : IAsyncDisposable, IDisposable
{

    private readonly string _executable;
    private readonly string _directory;
    private readonly TempDirectory? _ownedDirectory;
    private Process? _process;

    private MosquittoBroker(string executable, string directory, TempDirectory? ownedDirectory, int port)
    {
        _executable = executable;
        _directory = directory;
        _ownedDirectory = ownedDirectory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Port of the TLS listener, or null when the broker has none.</summary>
    public int? TlsPort { get; private init; }

    /// <summary>Skips the test when mosquitto is missing, or fails it under <c>CI=true</c>.</summary>
    public static void RequireInstalled() => PeerProgram.Require("mosquitto", "mosquitto");

    public int? ProcessId => _process?.Id;

    public string LogPath => Path.Combine(_directory, "mosquitto.log");

    /// <summary>Starts a broker and waits until it accepts connections.</summary>
    /// <param name="directory">Folder for the configuration, log, password file and database; null
    /// uses a temp folder deleted on dispose.</param>
    /// <param name="port">Port to listen on; 0 picks a free one.</param>
    /// <param name="credentials">User and password in a password file; anonymous clients are then
    /// rejected.</param>
    /// <param name="allowAnonymous">False rejects clients without credentials in their CONNACK.</param>
    /// <param name="persistence">Whether the broker saves sessions and queued messages to disk.</param>
    /// <param name="tls">PEM certificate and key files for a second listener, on <see cref="TlsPort"/>,
    /// that takes TLS connections only.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<MosquittoBroker> StartAsync(
        string? directory = null,
        int port = 0,
        (string User, string Password)? credentials = null,
        bool allowAnonymous = true,
        bool persistence = false,
        (string CertificateFile, string KeyFile)? tls = null,
        CancellationToken cancellationToken = default)
    {
        var executable = PeerProgram.Require("mosquitto", "mosquitto");
        var owned = directory is null ? new TempDirectory() : null;
        var folder = directory ?? owned!.Path;
        if (port == 0)
        {
            port = PeerProgram.FreePort();
        }

        var lines = new List<string>
        {
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",

            // Run as the test's user: as root Mosquitto would switch to its own user, which cannot
            // write to the private temp folder.
            $"user {Environment.UserName}",
            "max_queued_messages 0",
            "max_inflight_messages 0",
            $"log_dest file {folder}/mosquitto.log",
            "log_type all",
        };
        if (persistence)
        {
            lines.AddRange(["persistence true", $"persistence_location {folder}/", "autosave_on_changes true", "autosave_interval 1"]);
        }
        else
        {
            lines.Add("persistence false");
        }

        if (credentials is var (user, password))
        {
            var passwd = PeerProgram.Require("mosquitto_passwd", "mosquitto");
            var passwordFile = Path.Combine(folder, "passwords");
            await PeerProgram.RunCheckedAsync(passwd, ["-c", "-b", passwordFile, user, password]);
            lines.Add("allow_anonymous false");
            lines.Add($"password_file {passwordFile}");
        }
        else
        {
            lines.Add($"allow_anonymous {(allowAnonymous ? "true" : "false")}");
        }

        int? tlsPort = null;
        if (tls is var (certificateFile, keyFile))
        {
            tlsPort = PeerProgram.FreePort();
            lines.AddRange([
                $"listener {tlsPort.Value.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
                $"certfile {certificateFile}",
                $"keyfile {keyFile}",
            ]);
        }

        await File.WriteAllLinesAsync(Path.Combine(folder, "mosquitto.conf"), lines, cancellationToken);
        var broker = new MosquittoBroker(executable, folder, owned, port) { TlsPort = tlsPort };
        await broker.StartProcessAsync(cancellationToken);
        return broker;
    }

    /// <summary>Starts (or starts again, after a stop or kill) the broker process and waits until it
    /// accepts connections.</summary>
    public async Task StartProcessAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("mosquitto is already running.");
        }

        _process?.Dispose();
        var info = new ProcessStartInfo(_executable)
        {
            ArgumentList = { "-c", Path.Combine(_directory, "mosquitto.conf") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                var log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath, cancellationToken) : "";
                throw new InvalidOperationException(
                    $"mosquitto exited with {_process.ExitCode} before listening on port {Port}: {log}");
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

    /// <summary>Kills the broker, dropping every connection, and starts it again on the same port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await KillAsync();
        await StartProcessAsync(cancellationToken);
    }

    /// <summary>Stops the broker with SIGTERM, so it saves its database, and waits for it.</summary>
    public async Task StopAsync() => await SignalAndWaitAsync("TERM");

    /// <summary>Kills the broker with SIGKILL and waits for it.</summary>
    public async Task KillAsync() => await SignalAndWaitAsync("KILL");

    /// <summary>Pauses the broker with SIGSTOP: its sockets stay open but it sends nothing.</summary>
    public async Task PauseAsync() => await SignalAsync("STOP");

    /// <summary>Continues a paused broker with SIGCONT.</summary>
    public async Task ResumeAsync() => await SignalAsync("CONT");

    public void Dispose()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
        _ownedDirectory?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("mosquitto is not running");
        await PeerProgram.RunCheckedAsync("/bin/kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
    }

    private async Task SignalAndWaitAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("mosquitto is not running");
        await SignalAsync(signal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
        _process = null;
    }
}
