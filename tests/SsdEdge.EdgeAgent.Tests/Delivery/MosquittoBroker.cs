using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Delivery;

/// <summary>
/// A real Mosquitto broker on a free 127.0.0.1 port, with its own configuration, persistence and
/// log in a temp folder; it can be stopped, killed, paused and resumed.
/// </summary>
/// <remarks>Tests that need it skip without /usr/sbin/mosquitto, and fail instead under CI=true.
/// Persistence saves after every change, so a broker killed with SIGKILL keeps the queued messages
/// of persistent sessions.</remarks>
public sealed class MosquittoBroker : IDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly string _directory;
    private Process? _process;

    private MosquittoBroker(string directory, int port, string? passwordFile)
    {
        _directory = directory;
        Port = port;
        var lines = new List<string>
        {
            $"listener {port} 127.0.0.1",

            // Run as the test's user: as root Mosquitto would switch to its own user, which cannot
            // read the private temp folder.
            $"user {Environment.UserName}",
            "persistence true",
            $"persistence_location {directory}/",
            "autosave_on_changes true",
            "autosave_interval 1",
            "max_queued_messages 0",
            "max_inflight_messages 0",
            $"log_dest file {directory}/mosquitto.log",
            "log_type all",
        };
        if (passwordFile is null)
        {
            lines.Add("allow_anonymous true");
        }
        else
        {
            lines.Add("allow_anonymous false");
            lines.Add($"password_file {passwordFile}");
        }

        File.WriteAllLines(Path.Combine(directory, "mosquitto.conf"), lines);
    }

    public int Port { get; }

    public int? ProcessId => _process?.Id;

    public string LogPath => Path.Combine(_directory, "mosquitto.log");

    /// <summary>Starts a broker, with a password file holding <paramref name="credentials"/> when
    /// given; skips the test when Mosquitto is missing.</summary>
    public static async Task<MosquittoBroker> StartAsync(
        string directory,
        (string User, string Password)? credentials = null) =>
        await StartAsync(directory, FreePort(), credentials);

    /// <summary>Starts a broker on <paramref name="port"/>.</summary>
    public static async Task<MosquittoBroker> StartAsync(
        string directory,
        int port,
        (string User, string Password)? credentials = null)
    {
        RequireProgram(Executable);
        string? passwordFile = null;
        if (credentials is var (user, password))
        {
            RequireProgram("/usr/bin/mosquitto_passwd");
            passwordFile = Path.Combine(directory, "passwords");
            await RunAsync("/usr/bin/mosquitto_passwd", ["-c", "-b", passwordFile, user, password]);
        }

        var broker = new MosquittoBroker(directory, port, passwordFile);
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Returns a TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Skips the test when <paramref name="path"/> is missing, or fails it under CI=true.</summary>
    public static void RequireProgram(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var reason = $"{path} is not installed (Debian package mosquitto or mosquitto-clients).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
    }

    /// <summary>Starts (or restarts) the broker process and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-c", Path.Combine(_directory, "mosquitto.conf") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (_process.HasExited)
            {
                var log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath) : "";
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
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
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("mosquitto is not running");
        await RunAsync("/bin/kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
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

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
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
}
