using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Deployment;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

/// <summary>The watchdog service with the systemd notifier of Microsoft.Extensions.Hosting.Systemd
/// sending to a real Unix datagram socket, as systemd's NOTIFY_SOCKET is.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class SystemdWatchdogServiceTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new();
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly CollectingLoggerProvider _logs = new();
    private readonly IngestCounters _counters = new();
    private readonly AgentCompletion _completion = new();

    public SystemdWatchdogServiceTests()
    {
        _socket.Bind(new UnixDomainSocketEndPoint(_directory.File("notify")));
    }

    public void Dispose()
    {
        _socket.Dispose();
        _logs.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("500000", "4242", 0.5)]
    public void ReadInterval_Valid_ReturnsInterval(string microseconds, string? processId, double seconds)
    {
        var setting = SystemdWatchdogService.ReadInterval(microseconds, processId, 4242);

        Assert.Equal(TimeSpan.FromSeconds(seconds), setting.Interval);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("", null, false)]
    [InlineData("30000000", "1", false)]
    [InlineData("0", null, true)]
    [InlineData("-5", null, true)]
    [InlineData("30s", null, true)]
    public void ReadInterval_OffOrInvalid_ReturnsNoInterval(string? microseconds, string? processId, bool invalid)
    {
        var setting = SystemdWatchdogService.ReadInterval(microseconds, processId, 4242);

        Assert.Null(setting.Interval);
        Assert.Equal(invalid, setting.IsInvalid);
        Assert.NotEmpty(setting.Reason);
    }

    [Fact]
    public async Task Service_LiveLoop_SendsWatchdogPings()
    {
        using var service = CreateService(blockDelay: null);

        await service.StartAsync(TestContext.Current.CancellationToken);
        var first = await ReceiveAsync();
        var second = await ReceiveAsync();
        await service.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("WATCHDOG=1", first);
        Assert.Equal("WATCHDOG=1", second);
        Assert.Contains(_logs.Entries, entry => entry.EventId == 2600);
    }

    [Fact]
    public async Task Service_StuckLoop_StopsPinging()
    {
        using var service = CreateService(blockDelay: TimeSpan.Zero);
        _counters.AddReceived("bed-3", 512, 0);

        await service.StartAsync(TestContext.Current.CancellationToken);
        await _logs.WhenLogged(2603).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Drain();
        var late = await ReceiveOrNullAsync(Interval * 3);
        _counters.AddReceived("bed-3", 512, 0);
        await _logs.WhenLogged(2604).WaitAsync(Patience, TestContext.Current.CancellationToken);
        var resumed = await ReceiveAsync();
        await service.StopAsync(TestContext.Current.CancellationToken);

        Assert.Null(late);
        Assert.Equal("WATCHDOG=1", resumed);
    }

    [Fact]
    public async Task Service_NoInterval_SendsNothing()
    {
        using var service = new SystemdWatchdogService(
            CreateNotifier(),
            WatchdogSetting.Off("WATCHDOG_USEC is not set"),
            null,
            _counters,
            _completion,
            TimeProvider.System,
            _logs.CreateLogger("watchdog"));

        await service.StartAsync(TestContext.Current.CancellationToken);
        await (service.ExecuteTask ?? Task.CompletedTask).WaitAsync(Patience, TestContext.Current.CancellationToken);
        var ping = await ReceiveOrNullAsync(Interval * 2);

        Assert.Null(ping);
        Assert.Contains(_logs.Entries, entry => entry.EventId == 2601);
    }

    [Fact]
    public void AgentHost_WithoutSystemd_ResolvesIdleWatchdog()
    {
        using var host = AgentProgram
            .CreateBuilder(["--replay", "synthetic:1?duration=10", "--speed", "2"], TextWriter.Null)
            .Build();

        var watchdog = Assert.Single(host.Services.GetServices<IHostedService>().OfType<SystemdWatchdogService>());

        // Outside systemd no notifier is registered, and WATCHDOG_USEC is unset in the test run.
        Assert.Null(host.Services.GetService<ISystemdNotifier>());
        Assert.Null(watchdog.Liveness);
    }

    [Fact]
    public void Service_Replay_AddsPacingDelayToLimit()
    {
        using var service = CreateService(blockDelay: TimeSpan.FromSeconds(0.25));

        Assert.NotNull(service.Liveness);
        Assert.Equal(Interval + TimeSpan.FromSeconds(0.25), service.Liveness.StallLimit);
        Assert.True(service.Liveness.SourceAlwaysReady);
    }

    private SystemdWatchdogService CreateService(TimeSpan? blockDelay) =>
        new(
            CreateNotifier(),
            WatchdogSetting.On(Interval),
            blockDelay,
            _counters,
            _completion,
            TimeProvider.System,
            _logs.CreateLogger("watchdog"));

    // SystemdNotifier reads NOTIFY_SOCKET when it is created; the variable is restored at once.
    private SystemdNotifier CreateNotifier()
    {
        var previous = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", _directory.File("notify"));
        try
        {
            var notifier = new SystemdNotifier();
            Assert.True(notifier.IsEnabled);
            return notifier;
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", previous);
        }
    }

    private async Task<string> ReceiveAsync() =>
        await ReceiveOrNullAsync(Patience) ?? throw new TimeoutException($"no notification within {Patience}");

    private async Task<string?> ReceiveOrNullAsync(TimeSpan wait)
    {
        var buffer = new byte[256];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Drain()
    {
        var buffer = new byte[256];
        while (_socket.Available > 0)
        {
            _socket.Receive(buffer);
        }
    }
}
