using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

/// <summary>Starts a real Mosquitto with deploy/mosquitto/ssdedge.conf and ssdedge.acl, their
/// /etc paths moved into a temp folder and the listener onto a free loopback port.</summary>
public sealed class MosquittoConfigTests : IDisposable
{
    private const string AgentUser = "ssdedge-agent";
    private const string AgentPassword = "agent-secret";
    private const string DashboardUser = "dashboard";
    private const string DashboardPassword = "dashboard-secret";
    private const string Topic = "ssdedge/bed-3/state";

    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new();
    private readonly int _port = FreeLoopbackPort();
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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
