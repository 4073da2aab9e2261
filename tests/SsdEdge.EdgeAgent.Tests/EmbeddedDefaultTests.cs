using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>The agent started without settings: bundled model, embedded broker, simulator.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed partial class EmbeddedDefaultTests
{
    /// <summary>Log event ids asserted on, as the MQTT and simulator log classes declare them.</summary>
    private const int MqttConnectedEvent = 2100;
    private const int MqttDeviceSeenEvent = 2106;
    private const int BrokerStartedEvent = 2107;
    private const int SimulatorConnectedEvent = 2201;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task DefaultRun_PrintsLiveWindowsThroughBroker()
    {
        using var output = new StringWriter();
        var logs = new CollectingLoggerProvider();

        // Only the duration is given, so that the run ends; everything else is the default.
        var builder = AgentProgram.CreateBuilder(["--duration", "9"], output);
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
        Assert.True(outcome.Summary.WindowsScored >= 1, $"{outcome.Summary.WindowsScored} windows scored");
    }

    [GeneratedRegex(@"^sim-01 \d+\.\d{3}s no_pain=[01]\.\d{6} pain=[01]\.\d{6} quality=ok alert=(yes|no) latency=\d+\.\d{3}ms\r?$")]
    private static partial Regex WindowLine();
}
