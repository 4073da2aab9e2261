using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>The agent started without settings: bundled model, embedded broker, simulator.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed partial class EmbeddedDefaultTests : IDisposable
{
    /// <summary>Log event ids asserted on, as the MQTT, simulator and delivery log classes declare them.</summary>
    private const int MqttConnectedEvent = 2100;
    private const int MqttDeviceSeenEvent = 2106;
    private const int BrokerStartedEvent = 2107;
    private const int BrokerPortTakenEvent = 2108;
    private const int SimulatorConnectedEvent = 2201;
    private const int PublisherConnectedEvent = 2340;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task DefaultRun_PrintsLiveWindowsThroughBroker()
    {
        using var output = new StringWriter();
        var logs = new CollectingLoggerProvider();

        // Only the duration is given, so that the run ends, and the outbox and metrics are moved
        // off the machine's shared state; everything else is the default.
        var builder = AgentProgram.CreateBuilder(
            ["--duration", "9", $"--Publish:OutboxDirectory={_directory.File("outbox")}", "--Metrics:Port=0"], output);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        using var host = builder.Build();
        var completion = host.Services.GetRequiredService<AgentCompletion>();
        await host.RunAsync(TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        var outcome = await completion.Outcome;
        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.ErrorMessage);
        Assert.Contains(logs.Entries, entry => entry.EventId == BrokerStartedEvent);
        Assert.Contains(logs.Entries, entry => entry.EventId == SimulatorConnectedEvent);
        Assert.Contains(logs.Entries, entry => entry.EventId == MqttConnectedEvent);
        Assert.Contains(
            logs.Entries,
            entry => entry.EventId == MqttDeviceSeenEvent && entry.Message.Contains("sim-01", StringComparison.Ordinal));

        // A 5.5 s window at real time: the first line comes once 5.5 s of signal have arrived.
        var windows = output.ToString().Split('\n').Where(line => line.StartsWith("sim-01 ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(windows);
        Assert.All(windows, line => Assert.Matches(WindowLine(), line));

        // The simulator waits for the subscription, so no sample is lost and the first window
        // ends exactly one window length (2816 samples at 512 Hz) into the stream.
        Assert.StartsWith("sim-01 5.500s ", windows[0], StringComparison.Ordinal);
        Assert.True(outcome.Summary.WindowsScored >= 1, $"{outcome.Summary.WindowsScored} windows scored");
    }

    [Fact]
    public async Task DefaultRun_PortTaken_PublishesOnBrokersActualPort()
    {
        // Hold 1883 so the embedded broker must move; if another program holds it, it is taken anyway.
        using var holder = TryListen(1883);
        using var output = new StringWriter();
        var logs = new CollectingLoggerProvider();
        var builder = AgentProgram.CreateBuilder(
            ["--duration", "9", $"--Publish:OutboxDirectory={_directory.File("outbox")}", "--Metrics:Port=0"], output);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        using var host = builder.Build();
        var completion = host.Services.GetRequiredService<AgentCompletion>();
        var agentId = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PublishOptions>>()
            .Value.EffectiveAgentId;
        var broker = host.Services.GetRequiredService<EmbeddedMqttBroker>();

        var run = host.RunAsync(TestContext.Current.CancellationToken);
        var (_, port) = await broker.GetEndpointAsync(TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);
        await using var subscriber = new TestSubscriber(port, "ssdedge/#", "embedded-port-test");
        await subscriber.StartAsync();
        await run.WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        var outcome = await completion.Outcome;
        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.ErrorMessage);
        Assert.NotEqual(1883, port);
        Assert.Contains(logs.Entries, entry => entry.EventId == BrokerPortTakenEvent);
        var connected = Assert.Single(logs.Entries, entry => entry.EventId == PublisherConnectedEvent);
        Assert.Contains($"127.0.0.1:{port}", connected.Message, StringComparison.Ordinal);
        var messages = subscriber.Messages;
        Assert.Contains(messages, message => message.Topic == $"ssdedge/{agentId}/status");
        Assert.Contains(messages, message => message.Topic == $"ssdedge/{agentId}/sim-01/window");
        Assert.Contains(messages, message => message.Topic == $"ssdedge/{agentId}/sim-01/state");
    }

    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
    }

    [GeneratedRegex(@"^sim-01 \d+\.\d{3}s no_pain=[01]\.\d{6} pain=[01]\.\d{6} quality=ok above=(yes|no) latency=\d+\.\d{3}ms\r?$")]
    private static partial Regex WindowLine();
}
