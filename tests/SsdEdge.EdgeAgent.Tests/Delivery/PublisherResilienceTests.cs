using System.Diagnostics;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Observability;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Delivery;

/// <summary>The publisher against a real Mosquitto that is stopped, killed and paused mid-stream.</summary>
public sealed class PublisherResilienceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task BrokerStopKillPause_EveryAlertDelivered()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var brokerDirectory = Directory.CreateDirectory(_directory.File("broker")).FullName;
        using var broker = await MosquittoBroker.StartAsync(brokerDirectory, persistence: true, cancellationToken: TestContext.Current.CancellationToken);
        await using var subscriber = new TestSubscriber(broker.Port, "ssdedge/#");
        await subscriber.StartAsync();
        await using var stack = new DeliveryHarness(
            _directory.File("outbox"), DeliveryHarness.FastPublish(broker.Port), DeliveryHarness.FlippingAlerts());
        await stack.Publisher.StartAsync(cancellationToken);

        // 1,600 windows over two devices flip the alert each time: 1,600 raise and clear events,
        // produced at about 100 per second while the broker is broken three ways.
        const int Windows = 1600;
        var producer = Task.Run(
            async () =>
            {
                for (var i = 0; i < Windows; i++)
                {
                    var device = i % 2 == 0 ? "wrist-left" : "wrist-right";
                    stack.Sink.Write(DeliveryHarness.Window(device, i / 2, (i / 2) % 2 == 0 ? 0.9 : 0.1));
                    await Task.Delay(TimeSpan.FromMilliseconds(8), cancellationToken);
                }
            },
            cancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        await broker.StartProcessAsync(TestContext.Current.CancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await broker.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        await broker.StartProcessAsync(TestContext.Current.CancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await broker.PauseAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var disconnectedWhilePaused = stack.Health.Broker != BrokerState.Connected;
        await broker.ResumeAsync();

        await producer;
        var expected = stack.LoggedAlertIds();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && expected.Any(id => !subscriber.AlertIds.ContainsKey(id)))
        {
            await Task.Delay(200, cancellationToken);
        }

        var missing = expected.Where(id => !subscriber.AlertIds.ContainsKey(id)).ToList();
        Assert.True(expected.Count >= 1500, $"only {expected.Count} alerts were raised or cleared");
        Assert.True(missing.Count == 0, $"{missing.Count} of {expected.Count} alerts never arrived");
        Assert.Equal(0, stack.Outbox.AlertCount);
        Assert.True(disconnectedWhilePaused, "the publisher did not notice the paused broker");
        Assert.Contains(stack.Logs.Entries, entry => entry.EventId == 2343);
        var (_, latencySum, latencyCount) = stack.Metrics.AlertLatency.Snapshot();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{expected.Count} alerts, {subscriber.AlertIds.Values.Count(count => count > 1)} delivered more "
            + $"than once; mean latency to PUBACK {latencySum / latencyCount * 1000:F0} ms over the outages");
    }
}
