using System.Diagnostics;
using System.Text.Json;
using MQTTnet;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Observability;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Delivery;

/// <summary>Credentials, status and Home Assistant discovery against a real Mosquitto.</summary>
public sealed class PublisherConnectionTests : IDisposable
{
    private const string Secret = "s3cret-Passw0rd";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WrongPassword_TurnsHealthUnhealthy()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var broker = await MosquittoBroker.StartAsync(
            Directory.CreateDirectory(_directory.File("broker")).FullName, credentials: ("agent", Secret), persistence: true, cancellationToken: TestContext.Current.CancellationToken);
        var publish = DeliveryHarness.FastPublish(broker.Port);
        publish.Username = "agent";
        publish.Password = "wrong-password";
        await using var harness = new DeliveryHarness(_directory.File("outbox"), publish, DeliveryHarness.FlippingAlerts());
        harness.Sink.Write(DeliveryHarness.Window("wrist", 0, 0.9));

        await harness.Publisher.StartAsync(cancellationToken);
        await WaitForAsync(() => harness.Health.Broker == BrokerState.Rejected, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);

        var report = harness.Health.Evaluate();
        Assert.Equal(HealthState.Unhealthy, report.State);
        Assert.Contains(report.Reasons, reason => reason.StartsWith("broker rejected the connection", StringComparison.Ordinal));
        var rejections = harness.Logs.Entries.Where(entry => entry.EventId == 2342).ToList();
        var line = Assert.Single(rejections);
        // Mosquitto 2.0 rejects a wrong password with NotAuthorized (0x87), other brokers with 0x86.
        Assert.Matches("CONNACK reason (BadUserNameOrPassword|NotAuthorized)", line.Message);
        Assert.Contains("Publish:Password", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Entries, entry => entry.Message.Contains("wrong-password", StringComparison.Ordinal));
        Assert.Equal(1, harness.Outbox.AlertCount);
        Assert.Contains("ssdedge_health{state=\"unhealthy\"} 1", harness.Metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RightPassword_ConnectsAndPublishes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var broker = await MosquittoBroker.StartAsync(
            Directory.CreateDirectory(_directory.File("broker")).FullName, credentials: ("agent", Secret), persistence: true, cancellationToken: TestContext.Current.CancellationToken);
        var publish = DeliveryHarness.FastPublish(broker.Port);
        publish.Username = "agent";
        publish.Password = Secret;
        await using var harness = new DeliveryHarness(_directory.File("outbox"), publish, DeliveryHarness.FlippingAlerts());
        harness.Sink.Write(DeliveryHarness.Window("wrist", 0, 0.9));

        await harness.Publisher.StartAsync(cancellationToken);
        await WaitForAsync(() => harness.Outbox.Count == 0, cancellationToken);

        Assert.Equal(BrokerState.Connected, harness.Health.Broker);
        Assert.Equal(1, harness.Metrics.Published(OutboxKind.Alert));
    }

    [Fact]
    public async Task TlsWithCaFile_ConnectsAndPublishes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (broker, harness) = await StartTlsAsync(certificates => certificates.AuthorityFile, cancellationToken);
        using (broker)
        await using (harness)
        {
            await harness.Publisher.StartAsync(cancellationToken);
            await WaitForAsync(() => harness.Outbox.Count == 0, cancellationToken);

            Assert.Equal(BrokerState.Connected, harness.Health.Broker);
            Assert.Equal(1, harness.Metrics.Published(OutboxKind.Alert));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TlsUntrustedAuthority_KeepsAlertUnsent(bool otherCaFile)
    {
        // Another authority's file, or none, so that the system's roots (which lack the test
        // authority) decide.
        var cancellationToken = TestContext.Current.CancellationToken;
        var (broker, harness) = await StartTlsAsync(
            certificates => otherCaFile ? certificates.OtherAuthorityFile : "", cancellationToken);
        using (broker)
        await using (harness)
        {
            await harness.Publisher.StartAsync(cancellationToken);

            // Several connection attempts at a 1 s maximum backoff.
            await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);
            Assert.NotEqual(BrokerState.Connected, harness.Health.Broker);
            Assert.Equal(1, harness.Outbox.AlertCount);
            Assert.Equal(0, harness.Metrics.Published(OutboxKind.Alert));
        }
    }

    [Fact]
    public async Task Connect_PublishesRetainedStatusAndState()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var broker = await MosquittoBroker.StartAsync(Directory.CreateDirectory(_directory.File("broker")).FullName, persistence: true, cancellationToken: TestContext.Current.CancellationToken);
        await using (var harness = new DeliveryHarness(
            _directory.File("outbox"), DeliveryHarness.FastPublish(broker.Port), DeliveryHarness.FlippingAlerts()))
        {
            harness.Health.ReportModelLoaded(DeliveryHarness.Contract.ModelId);
            harness.Sink.Write(DeliveryHarness.Window("wrist", 0, 0.9));
            await harness.Publisher.StartAsync(cancellationToken);
            await WaitForAsync(() => harness.Outbox.Count == 0, cancellationToken);
        }

        // A subscriber that connects later receives the retained state and the offline status of the
        // publisher's clean shutdown.
        await using var late = new TestSubscriber(broker.Port, "ssdedge/test-agent/#", "late-subscriber");
        await late.StartAsync();
        await WaitForAsync(() => late.Messages.Count >= 2, cancellationToken);
        var status = late.Messages.Single(message => message.Topic == "ssdedge/test-agent/status");
        var state = late.Messages.Single(message => message.Topic == "ssdedge/test-agent/wrist/state");
        using var statusJson = JsonDocument.Parse(status.Payload);
        using var stateJson = JsonDocument.Parse(state.Payload);
        Assert.True(status.Retain);
        Assert.Equal("offline", statusJson.RootElement.GetProperty("state").GetString());
        Assert.True(state.Retain);
        Assert.Equal("raised", stateJson.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task HomeAssistantOnline_RepublishesDiscovery()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var broker = await MosquittoBroker.StartAsync(Directory.CreateDirectory(_directory.File("broker")).FullName, persistence: true, cancellationToken: TestContext.Current.CancellationToken);
        var publish = DeliveryHarness.FastPublish(broker.Port);
        publish.HomeAssistant.Enabled = true;
        await using var watcher = new TestSubscriber(broker.Port, "homeassistant/+/+/+/config", "discovery-watcher");
        await watcher.StartAsync();
        await using var harness = new DeliveryHarness(_directory.File("outbox"), publish, DeliveryHarness.FlippingAlerts());
        harness.Sink.Write(DeliveryHarness.Window("wrist/1", 0, 0.9));
        await harness.Publisher.StartAsync(cancellationToken);
        await WaitForAsync(() => watcher.Messages.Count >= 3, cancellationToken);
        var first = watcher.Messages.Count;

        var announcer = new MqttClientFactory().CreateMqttClient();
        await announcer.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build(), cancellationToken);
        await announcer.PublishStringAsync("homeassistant/status", "online", cancellationToken: cancellationToken);
        await WaitForAsync(() => watcher.Messages.Count >= first + 3, cancellationToken);
        await announcer.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
        announcer.Dispose();

        Assert.Equal(3, first);
        var binary = watcher.Messages.First(message => message.Topic.Contains("/binary_sensor/", StringComparison.Ordinal));
        Assert.Equal("homeassistant/binary_sensor/test-agent/wrist_1_pain/config", binary.Topic);
        using var config = JsonDocument.Parse(binary.Payload);
        Assert.Equal("ssdedge/test-agent/wrist_1/state", config.RootElement.GetProperty("state_topic").GetString());
        var availability = config.RootElement.GetProperty("availability")[0];
        Assert.Equal("ssdedge/test-agent/status", availability.GetProperty("topic").GetString());
        Assert.Contains(harness.Logs.Entries, entry => entry.EventId == 2346);
    }

    // A Mosquitto with a TLS listener for the test authority's broker certificate, and a harness
    // whose publisher connects to that listener trusting the chosen CA file, with one alert waiting.
    private async Task<(MosquittoBroker Broker, DeliveryHarness Harness)> StartTlsAsync(
        Func<TestCertificates, string> caFile, CancellationToken cancellationToken)
    {
        var certificates = TestCertificates.Create(_directory.File("certificates"));
        var broker = await MosquittoBroker.StartAsync(
            Directory.CreateDirectory(_directory.File("broker")).FullName,
            tls: (certificates.ServerCertificateFile, certificates.ServerKeyFile),
            cancellationToken: cancellationToken);
        var publish = DeliveryHarness.FastPublish(broker.TlsPort!.Value);
        publish.Host = "127.0.0.1";
        publish.UseTls = true;
        publish.CaFile = caFile(certificates);
        var harness = new DeliveryHarness(_directory.File("outbox"), publish, DeliveryHarness.FlippingAlerts());
        harness.Sink.Write(DeliveryHarness.Window("wrist", 0, 0.9));
        return (broker, harness);
    }

    internal static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken, double seconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                Assert.Fail($"condition not met within {seconds} s");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
