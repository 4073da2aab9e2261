using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

/// <summary>Starts a real Mosquitto with deploy/mosquitto/ssdedge.conf and ssdedge.acl, their
/// /etc paths moved into a temp folder and the listener onto a free loopback port, and runs the
/// agent against it with the board's settings.</summary>
public sealed class MosquittoConfigTests : IDisposable
{
    private const string AgentUser = "ssdedge-agent";
    private const string AgentPassword = "agent-secret";
    private const string DashboardUser = "dashboard";
    private const string DashboardPassword = "dashboard-secret";
    private const string Topic = "ssdedge/bed-3/state";

    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new();
    private readonly int _port = PeerProgram.FreePort();
    private Process? _broker;

    public void Dispose()
    {
        StopBroker();
        _directory.Dispose();
    }

    [Fact]
    public async Task Broker_AuthenticatesAndEnforcesAcl()
    {
        await PrepareAsync();
        await StartBrokerAsync();

        var published = await PublishAsync(AgentUser, AgentPassword, "live");
        var received = await ReadRetainedAsync(DashboardUser, DashboardPassword);
        var forged = await PublishAsync(DashboardUser, DashboardPassword, "forged");
        var afterForgery = await ReadRetainedAsync(DashboardUser, DashboardPassword);
        var anonymous = await ReadRetainedAsync(null, null);
        var wrongPassword = await ReadRetainedAsync(DashboardUser, "wrong");

        Assert.True(published.ExitCode == 0, published.ToString());
        Assert.Equal("live", received.Output.Trim());
        Assert.Contains("not authorized", forged.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("live", afterForgery.Output.Trim());
        Assert.Contains("not authorised", anonymous.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("not authorised", wrongPassword.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, wrongPassword.ExitCode);
    }

    [Fact]
    public async Task Broker_RetainedMessageSurvivesRestart()
    {
        await PrepareAsync();
        await StartBrokerAsync();
        var published = await PublishAsync(AgentUser, AgentPassword, "before-restart");

        StopBroker();
        await StartBrokerAsync();
        var received = await ReadRetainedAsync(DashboardUser, DashboardPassword);

        Assert.True(published.ExitCode == 0, published.ToString());
        Assert.True(File.Exists(_directory.File("mosquitto.db")), "no persistence database was written");
        Assert.Equal("before-restart", received.Output.Trim());
    }

    [Fact]
    public async Task BoardSettings_AgentConnectsThroughAcl()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await PrepareAsync();
        await StartBrokerAsync();
        var metricsPort = PeerProgram.FreePort();
        using var client = new HttpClient();

        await using var agent = RunningAgent.Start(BoardArguments(metricsPort), cancellationToken);
        var health = "";
        var deadline = DateTime.UtcNow + ClientTimeout;
        while (DateTime.UtcNow < deadline && !health.Contains("\"healthy\"", StringComparison.Ordinal))
        {
            await Task.Delay(100, cancellationToken);
            try
            {
                health = await client.GetStringAsync(
                    new Uri($"http://127.0.0.1:{metricsPort}/health"), cancellationToken);
            }
            catch (HttpRequestException)
            {
                // The listener is not up yet, or the model is still loading (503).
            }
        }

        var metrics = await client.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), cancellationToken);
        var status = await PeerProgram.RunAsync(
            PeerProgram.Require("mosquitto_sub", "mosquitto-clients"),
            ["-h", "127.0.0.1", "-p", Port, "-u", DashboardUser, "-P", DashboardPassword,
                "-t", "ssdedge/+/status", "-C", "1", "-W", "10"],
            ClientTimeout);

        Assert.Contains("\"state\":\"healthy\"", health, StringComparison.Ordinal);
        Assert.Contains("ssdedge_mqtt_ingest_connected 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("ssdedge_broker_connected 1\n", metrics, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.ToString());
        using var payload = JsonDocument.Parse(status.Output);
        Assert.Equal("online", payload.RootElement.GetProperty("state").GetString());
        Assert.True(Directory.Exists(_directory.File("outbox")), "outbox folder not created");
    }

    private async Task PrepareAsync()
    {
        var mosquittoPasswd = PeerProgram.Require("mosquitto_passwd", "mosquitto");
        var deploy = Path.Combine(PeerProgram.RepositoryRoot, "deploy/mosquitto");
        var config = File.ReadAllText(Path.Combine(deploy, "ssdedge.conf"));
        Assert.Contains("listener 1883 127.0.0.1\n", config, StringComparison.Ordinal);
        Assert.Contains("password_file /etc/mosquitto/ssdedge.passwd\n", config, StringComparison.Ordinal);
        Assert.Contains("acl_file /etc/mosquitto/ssdedge.acl\n", config, StringComparison.Ordinal);

        // Debian's main configuration sets the persistence folder; as root Mosquitto would switch
        // to the mosquitto user, which cannot write to this test's folder.
        var adapted = config
            .Replace("/etc/mosquitto/", _directory.Path + "/", StringComparison.Ordinal)
            .Replace("listener 1883 127.0.0.1", $"listener {_port} 127.0.0.1", StringComparison.Ordinal)
            + $"persistence_location {_directory.Path}/\nuser {Environment.UserName}\n";
        File.WriteAllText(_directory.File("ssdedge.conf"), adapted);
        File.Copy(Path.Combine(deploy, "ssdedge.acl"), _directory.File("ssdedge.acl"));

        var passwords = _directory.File("ssdedge.passwd");
        foreach (var (user, password, create) in
                 new[] { (AgentUser, AgentPassword, true), (DashboardUser, DashboardPassword, false) })
        {
            string[] arguments = create ? ["-c", "-b", passwords, user, password] : ["-b", passwords, user, password];
            var result = await PeerProgram.RunAsync(mosquittoPasswd, arguments, ClientTimeout);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    private async Task StartBrokerAsync()
    {
        var mosquitto = PeerProgram.Require("/usr/sbin/mosquitto", "mosquitto");
        var start = new ProcessStartInfo(mosquitto)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_directory.File("ssdedge.conf"));
        _broker = Process.Start(start) ?? throw new InvalidOperationException("mosquitto could not be started.");
        _ = _broker.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);

        // Mosquitto logs to standard error by default; "running" follows the listener's start.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(ClientTimeout);
        var log = new List<string>();
        while (await _broker.StandardError.ReadLineAsync(deadline.Token) is { } line)
        {
            log.Add(line);
            if (line.Contains(" running", StringComparison.Ordinal))
            {
                _ = _broker.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
                return;
            }
        }

        Assert.Fail("mosquitto exited before it ran:\n" + string.Join('\n', log));
    }

    // Mosquitto saves its database on SIGTERM; Process.Kill sends SIGKILL, which would lose it.
    private void StopBroker()
    {
        if (_broker is null)
        {
            return;
        }

        if (!_broker.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _broker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            if (!_broker.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _broker.Kill();
            }
        }

        _broker.Dispose();
        _broker = null;
    }

    private Task<ProgramResult> PublishAsync(string user, string password, string message) =>
        PeerProgram.RunAsync(
            PeerProgram.Require("mosquitto_pub", "mosquitto-clients"),
            ["-h", "127.0.0.1", "-p", Port, "-u", user, "-P", password, "-V", "mqttv5", "-q", "1", "-r",
                "-t", Topic, "-m", message],
            ClientTimeout);

    private Task<ProgramResult> ReadRetainedAsync(string? user, string? password)
    {
        List<string> arguments = ["-h", "127.0.0.1", "-p", Port, "-t", "ssdedge/#", "-C", "1", "-W", "5"];
        if (user is not null && password is not null)
        {
            arguments.AddRange(["-u", user, "-P", password]);
        }

        return PeerProgram.RunAsync(PeerProgram.Require("mosquitto_sub", "mosquitto-clients"), arguments, ClientTimeout);
    }

    private string Port => _port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Every setting of deploy/appsettings.board.json as a command-line switch, except those that
    // name board paths and ports, which point into this test's folder and ports instead.
    private string[] BoardArguments(int metricsPort)
    {
        var board = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(PeerProgram.RepositoryRoot, "deploy/appsettings.board.json"))
            .Build();
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Agent:ModelPath"] = Path.Combine(AppContext.BaseDirectory, "models/synthetic-demo.onnx"),
            ["Mqtt:Port"] = Port,
            ["Mqtt:Password"] = AgentPassword,
            ["Publish:Port"] = Port,
            ["Publish:Password"] = AgentPassword,
            ["Publish:OutboxDirectory"] = _directory.File("outbox"),
            ["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        };
        var arguments = new List<string>();
        foreach (var (key, value) in board.AsEnumerable())
        {
            if (value is not null && !key.StartsWith("Logging", StringComparison.Ordinal))
            {
                arguments.Add($"--{key}={overrides.GetValueOrDefault(key, value)}");
            }
        }

        return [.. arguments];
    }
}
