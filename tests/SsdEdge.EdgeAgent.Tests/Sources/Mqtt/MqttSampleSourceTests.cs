using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.Datasets;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Preprocessing;
using SsdEdge.Synthetic;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Mqtt;

/// <summary>The agent's MQTT source against a real Mosquitto broker.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class MqttSampleSourceTests : IDisposable
{
    private const string Recording = "recordings/neurokit_bio_eventrelated_100hz.csv";

    /// <summary>Log event ids asserted on, as the MQTT and pipeline log classes declare them.</summary>
    private const int MqttConnectedEvent = 2100;
    private const int RateMismatchEvent = 1309;
    private const int ConnectRejectedEvent = 2101;
    private const int ConnectFailedEvent = 2102;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Channels of the bundled demo model, in its order.</summary>
    private static readonly string[] DemoChannels = ["eda", "ecg", "emg_corrugator", "emg_trapezius"];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RandomChunks_EqualOfflineReplay(bool binary)
    {
        var recordingPath = TestData.PathOf(Recording);
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var recording = RecordingFiles.Read($"csv:{recordingPath}?rate=100").Recordings.Single();
        var eda = recording.Samples[IndexOf(recording, "eda")];
        var offline = ProcessOffline(model, eda, rateHz: 100);

        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Cancel);
        var port = broker.Port.ToString(CultureInfo.InvariantCulture);
        await using var agent = RunningAgent.Start(
            ["--model", model, "--mqtt-host", "127.0.0.1", "--mqtt-port", port, "--mqtt-rate", "100"], Cancel);
        await agent.Logs.WhenLogged(MqttConnectedEvent).WaitAsync(Timeout, Cancel);
        await using var publisher = await TestPublisher.ConnectAsync(broker.Port, Cancel);

        var random = new Random(17);
        var topic = TestPublisher.TopicOf("neurokit");
        for (var first = 0; first < eda.Length;)
        {
            var chunk = eda.AsSpan(first, Math.Min(random.Next(1, 301), eda.Length - first)).ToArray();
            var payload = binary
                ? TestPublisher.Binary(first, [chunk])
                : TestPublisher.Json(first, 100, [("eda", chunk)]);
            await publisher.PublishAsync(topic, payload, Cancel);
            first += chunk.Length;
        }

        await RunningAgent.WaitUntilAsync(
            () => agent.Windows.Of("neurokit").Count >= offline.Count, Timeout, $"{offline.Count} windows", Cancel);
        var live = agent.Windows.Of("neurokit");
        Assert.Equal(offline.Select(result => result.EndSample), live.Select(result => result.EndSample));
        Assert.Equal(offline.Select(result => result.Outcome), live.Select(result => result.Outcome));
        for (var i = 0; i < offline.Count; i++)
        {
            Assert.Equal(Bits(offline[i].Probabilities), Bits(live[i].Probabilities));
        }

        Assert.Contains(live, result => result.Outcome == WindowOutcome.Scored);
        Assert.Empty(agent.Counters.RejectedSnapshot());
        Assert.Equal(0, agent.Counters.Gaps("neurokit"));
    }

    [Fact]
    public async Task BadInput_CountedAndSurvived()
    {
        var columns = Synthetic(20_000, seed: 3);
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Cancel);
        var port = broker.Port.ToString(CultureInfo.InvariantCulture);
        await using var agent = RunningAgent.Start(
            ["--mqtt-host", "127.0.0.1", "--mqtt-port", port, "--rate-check-seconds", "0"], Cancel);
        await agent.Logs.WhenLogged(MqttConnectedEvent).WaitAsync(Timeout, Cancel);
        await using var publisher = await TestPublisher.ConnectAsync(broker.Port, Cancel);
        var topic = TestPublisher.TopicOf("wrist-07");

        // Samples 0 to 5999 arrive in order.
        for (var first = 0; first < 6000; first += 500)
        {
            await publisher.PublishAsync(topic, Json(columns, first, 500), Cancel);
        }

        // Each of these is dropped and counted; none stops the agent.
        await publisher.PublishAsync(topic, "{\"seq\": 6000, \"channels\": "u8.ToArray(), Cancel);
        await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(new string(' ', 300 * 1024) + "{}"), Cancel);
        var withTemperature = DemoChannels.Select((name, c) => (name, columns[c][..10])).Append(("temp", new float[10])).ToList();
        await publisher.PublishAsync(topic, TestPublisher.Json(6000, 512, withTemperature), Cancel);
        var unequal = DemoChannels.Select((name, c) => (name, columns[c][..(c == 0 ? 10 : 9)])).ToList();
        await publisher.PublishAsync(topic, TestPublisher.Json(6000, 512, unequal), Cancel);
        var binaryColumns = columns.Select(column => column[..10]).ToList();
        await publisher.PublishAsync(topic, TestPublisher.Binary(6000, binaryColumns, declaredFrames: 11), Cancel);

        // A repeat of samples 5500 to 5999, then a jump over 6000 to 7999.
        await publisher.PublishAsync(topic, Json(columns, 5500, 500), Cancel);
        for (var first = 8000; first < 20_000; first += 500)
        {
            var withNull = first == 14_000 ? 100 : -1;
            await publisher.PublishAsync(topic, Json(columns, first, 500, nullAt: withNull), Cancel);
        }

        // Windows of the restarted stream end at 8000 + 2816 + k * 512; the last at 19520.
        await RunningAgent.WaitUntilAsync(
            () => agent.Windows.Of("wrist-07").Any(result => result.EndSample == 19_520), Timeout, "the last window", Cancel);
        var counters = agent.Counters;
        Assert.Equal(3, counters.Rejected("wrist-07", IngestRejection.InvalidPayload));
        Assert.Equal(1, counters.Rejected("wrist-07", IngestRejection.OversizedPayload));
        Assert.Equal(1, counters.Rejected("wrist-07", IngestRejection.UnknownChannel));
        Assert.Equal(0, counters.Rejected("wrist-07", IngestRejection.UnknownDevice));
        Assert.Equal(500, counters.Rejected("wrist-07", IngestRejection.DuplicateSample));
        Assert.Equal(1, counters.Rejected("wrist-07", IngestRejection.NonFiniteSample));
        Assert.Equal(1, counters.Gaps("wrist-07"));
        Assert.Equal(2000, counters.MissingSamples("wrist-07"));

        var windows = agent.Windows.Of("wrist-07");
        Assert.All(windows, result => Assert.False(
            result.EndSample - 2816 < 8000 && result.EndSample > 6000, $"window ending at {result.EndSample} spans the gap"));
        var withMissingSample = windows.Where(result => result.EndSample - 2816 <= 14_100 && result.EndSample > 14_100).ToList();
        Assert.NotEmpty(withMissingSample);
        Assert.All(withMissingSample, result => Assert.True(result.Quality.Issues.HasFlag(QualityIssues.NonFinite)));
        Assert.All(withMissingSample, result => Assert.Equal(WindowOutcome.RejectedByQualityGate, result.Outcome));

        var outcome = await agent.StopAsync(Timeout);
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(1, outcome.Summary.Gaps);
        Assert.True(outcome.Summary.WindowsLostToGaps > 0, "no window counted as lost to the gap");
        Assert.Equal(500, outcome.Summary.DuplicateSamples);
    }

    [Fact]
    public async Task DeviceAtWrongRate_Reported()
    {
        var columns = Synthetic(8000, seed: 4);
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Cancel);
        var port = broker.Port.ToString(CultureInfo.InvariantCulture);
        await using var agent = RunningAgent.Start(
            ["--mqtt-host", "127.0.0.1", "--mqtt-port", port, "--rate-check-seconds", "2", "--rate-tolerance", "0.2"],
            Cancel);
        await agent.Logs.WhenLogged(MqttConnectedEvent).WaitAsync(Timeout, Cancel);
        await using var publisher = await TestPublisher.ConnectAsync(broker.Port, Cancel);

        // For 4 s of wall-clock time, fast-01 sends twice its declared 512 Hz and steady-01 sends
        // 512 Hz, both every 100 ms on a schedule kept against the clock.
        var start = TimeProvider.System.GetTimestamp();
        long fastSent = 0;
        long steadySent = 0;
        for (var tick = 1; tick <= 40; tick++)
        {
            var due = TimeSpan.FromMilliseconds(100 * tick) - TimeProvider.System.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, Cancel);
            }

            var steadyUntil = (long)Math.Round(tick * 51.2);
            await publisher.PublishAsync(
                TestPublisher.TopicOf("steady-01"), Json(columns, (int)steadySent, (int)(steadyUntil - steadySent)), Cancel);
            steadySent = steadyUntil;
            var fastUntil = (long)Math.Round(tick * 102.4);
            await publisher.PublishAsync(
                TestPublisher.TopicOf("fast-01"), Json(columns, (int)fastSent, (int)(fastUntil - fastSent)), Cancel);
            fastSent = fastUntil;
        }

        await RunningAgent.WaitUntilAsync(
            () => agent.Counters.Received("steady-01") >= steadySent && agent.Counters.Received("fast-01") >= fastSent,
            Timeout,
            "every block",
            Cancel);
        Assert.Equal(1, agent.Counters.RateMismatches("fast-01"));
        Assert.NotNull(agent.Counters.ActiveRateMismatch("fast-01"));
        Assert.Equal(0, agent.Counters.RateMismatches("steady-01"));
        Assert.Single(agent.Logs.Entries, entry => entry.EventId == RateMismatchEvent);
    }

    [Fact]
    public async Task BrokerRestart_ReconnectsAndResubscribes()
    {
        var columns = Synthetic(12_000, seed: 5);
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Cancel);
        var port = broker.Port.ToString(CultureInfo.InvariantCulture);
        await using var agent = RunningAgent.Start(["--mqtt-host", "127.0.0.1", "--mqtt-port", port], Cancel);
        await agent.Logs.WhenLogged(MqttConnectedEvent).WaitAsync(Timeout, Cancel);
        var topic = TestPublisher.TopicOf("wrist-09");
        await using (var publisher = await TestPublisher.ConnectAsync(broker.Port, Cancel))
        {
            for (var first = 0; first < 6000; first += 500)
            {
                await publisher.PublishAsync(topic, Json(columns, first, 500), Cancel);
            }
        }

        await RunningAgent.WaitUntilAsync(
            () => agent.Counters.Received("wrist-09") == 6000, Timeout, "the first 6000 samples", Cancel);
        await broker.RestartAsync(Cancel);
        await RunningAgent.WaitUntilAsync(
            () => agent.Logs.Entries.Count(entry => entry.EventId == MqttConnectedEvent) >= 2,
            Timeout,
            "the second subscription",
            Cancel);
        await using (var publisher = await TestPublisher.ConnectAsync(broker.Port, Cancel))
        {
            for (var first = 6000; first < 12_000; first += 500)
            {
                await publisher.PublishAsync(topic, Json(columns, first, 500), Cancel);
            }
        }

        // Windows end at 2816 + k * 512 over the whole, unbroken counter: the last at 11520.
        await RunningAgent.WaitUntilAsync(
            () => agent.Windows.Of("wrist-09").Any(result => result.EndSample == 11_520), Timeout, "the last window", Cancel);
        Assert.Equal(0, agent.Counters.Gaps("wrist-09"));
        Assert.Equal(18, agent.Windows.Of("wrist-09").Count);
    }

    [Fact]
    public async Task TlsWithCaFile_ReceivesSamples()
    {
        var columns = Synthetic(1000, seed: 6);
        var certificates = TestCertificates.Create(_directory.File("certificates"));
        await using var broker = await MosquittoBroker.StartAsync(
            tls: (certificates.ServerCertificateFile, certificates.ServerKeyFile), cancellationToken: Cancel);
        var tlsPort = broker.TlsPort!.Value.ToString(CultureInfo.InvariantCulture);
        await using var agent = RunningAgent.Start(
            ["--mqtt-host", "127.0.0.1", "--mqtt-port", tlsPort, "--mqtt-tls", "true",
                "--mqtt-ca-file", certificates.AuthorityFile],
            Cancel);
        await agent.Logs.WhenLogged(MqttConnectedEvent).WaitAsync(Timeout, Cancel);

        // The device publishes on the plain listener; the agent reads through the TLS one.
        await using var publisher = await TestPublisher.ConnectAsync(broker.Port, Cancel);
        await publisher.PublishAsync(TestPublisher.TopicOf("wrist-tls"), Json(columns, 0, 1000), Cancel);

        await RunningAgent.WaitUntilAsync(
            () => agent.Counters.Received("wrist-tls") == 1000, Timeout, "the samples sent over TLS", Cancel);
        Assert.Equal(0, agent.Counters.Gaps("wrist-tls"));
    }

    [Fact]
    public async Task TlsWithOtherAuthority_NeverConnects()
    {
        var certificates = TestCertificates.Create(_directory.File("certificates"));
        await using var broker = await MosquittoBroker.StartAsync(
            tls: (certificates.ServerCertificateFile, certificates.ServerKeyFile), cancellationToken: Cancel);
        var tlsPort = broker.TlsPort!.Value.ToString(CultureInfo.InvariantCulture);
        await using var agent = RunningAgent.Start(
            ["--mqtt-host", "127.0.0.1", "--mqtt-port", tlsPort, "--mqtt-tls", "true",
                "--mqtt-ca-file", certificates.OtherAuthorityFile],
            Cancel);

        await RunningAgent.WaitUntilAsync(
            () => agent.Logs.Entries.Count(entry => entry.EventId == ConnectFailedEvent) >= 2,
            Timeout,
            "two failed TLS connection attempts",
            Cancel);
        Assert.DoesNotContain(agent.Logs.Entries, entry => entry.EventId == MqttConnectedEvent);
        Assert.False(agent.Completion.Outcome.IsCompleted, "the agent stopped");
    }

    [Fact]
    public async Task RejectedConnack_LoggedAndRetried()
    {
        await using var broker = await MosquittoBroker.StartAsync(allowAnonymous: false, cancellationToken: Cancel);
        var port = broker.Port.ToString(CultureInfo.InvariantCulture);
        await using var agent = RunningAgent.Start(["--mqtt-host", "127.0.0.1", "--mqtt-port", port], Cancel);

        // Mosquitto rejects an anonymous client with CONNACK "not authorized"; the agent retries.
        await RunningAgent.WaitUntilAsync(
            () => agent.Logs.Entries.Count(entry => entry.EventId is ConnectRejectedEvent or ConnectFailedEvent) >= 2,
            Timeout,
            "two refused connection attempts",
            Cancel);
        var rejected = agent.Logs.Entries.First(entry => entry.EventId is ConnectRejectedEvent or ConnectFailedEvent);
        Assert.Equal(ConnectRejectedEvent, rejected.EventId);
        Assert.Contains("NotAuthorized", rejected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(agent.Logs.Entries, entry => entry.EventId == MqttConnectedEvent);
        Assert.False(agent.Completion.Outcome.IsCompleted, "the agent stopped");
    }

    private static byte[] Json(float[][] columns, int first, int count, int nullAt = -1)
    {
        var channels = DemoChannels
            .Select((name, c) =>
            {
                var samples = columns[c].AsSpan(first, count).ToArray();
                if (c == 0 && nullAt >= 0)
                {
                    samples[nullAt] = float.NaN;
                }

                return (name, samples);
            })
            .ToList();
        return TestPublisher.Json(first, 512, channels);
    }

    /// <summary>Columns of a synthetic subject in the demo model's channel order, at 512 Hz.</summary>
    private static float[][] Synthetic(int length, ulong seed)
    {
        var options = new SyntheticOptions { Seed = seed, SubjectCount = 1, SamplingRateHz = 512 };
        var simulator = SyntheticPhysiology.CreateSimulator(options, 0);
        var all = simulator.NextBlock(length);
        var names = simulator.Channels.Select(channel => channel.Name).ToList();
        return DemoChannels.Select(name => all[names.IndexOf(name)]).ToArray();
    }

    private static List<WindowResult> ProcessOffline(string modelPath, float[] samples, double rateHz)
    {
        using var model = OnnxModel.Load(modelPath, intraOpThreads: 1);
        using var engine = model.CreateEngine();
        var sink = new CollectingSink();
        var device = new DeviceDescriptor("neurokit", ["eda"], rateHz);
        var pipeline = new DevicePipeline(device, model.Contract, engine, 1, [sink], new RunStatistics(), NullLogger.Instance);
        pipeline.Process(new SampleBlock(device, 0, samples));
        return sink.Results;
    }

    private static int IndexOf(Signals.Recording recording, string channel)
    {
        for (var c = 0; c < recording.Channels.Count; c++)
        {
            if (string.Equals(recording.Channels[c].Name, channel, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        throw new InvalidOperationException($"The recording has no channel '{channel}'.");
    }

    private static int[] Bits(IReadOnlyList<float> values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
