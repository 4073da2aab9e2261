using System.Globalization;
using System.Text;
using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.EdgeAgent;
using SsdEdge.Preprocessing;
using SsdEdge.Streaming;
using SsdEdge.Tests;
using SsdEdge.Trainer.Tests.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.EndToEnd;

/// <summary>
/// The chain on real FMOV recordings with live ingest: train a teacher with a subject held out,
/// distil a student, export it, stream the held-out recording into the agent through a serial
/// pseudo-terminal and through Mosquitto at once, and compare every window's probability, from the
/// agent's JSON Lines and from the broker, with the trainer's <c>predict</c> on the same window.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class LiveChainTests : IClassFixture<ChainModels>, IDisposable
{
    private const double Tolerance = 1e-4;
    private const string AgentId = "chain";
    private const string SerialDevice = "serial-09";
    private const string MqttDevice = "mqtt-09";
    private const double StreamSpeed = 8;

    // Fields of an alert event, as docs/alerts.md and its schema list them.
    private static readonly string[] AlertFields =
    [
        "schema", "id", "type", "agentId", "deviceId", "modelId", "windowEndSeconds", "windowEndSample",
        "windowEndUtc", "probability", "quality", "threshold", "clearThreshold", "latencyMs",
    ];

    private readonly ChainModels _models;
    private readonly string _work = Directory.CreateTempSubdirectory("ssdedge-chain-").FullName;

    public LiveChainTests(ChainModels models)
    {
        _models = models;
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task SerialAndMqtt_HeldOutSubject_MatchPredict()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var fmov = TestData.PathOf("fmov");
        var recordingFile = Path.Combine(fmov, $"{ChainModels.HeldOutSubject}_100hz.tsv.gz");
        using var broker = MosquittoProcess.Start(_work);
        using var serial = PseudoTerminalPair.Start(_work);
        var model = _models.FmovStudent(fmov);

        var expected = ChainModels.PredictAgentWindows(
            $"fmov:{recordingFile}", ChainModels.HeldOutSubject, model, Path.Combine(_work, "offline"));
        var contract = OnnxContractReader.ReadContract(model.OnnxPath);
        var channels = contract.Channels.Select(channel => channel.Name).ToArray();
        var recording = FmovReader.Read(recordingFile).Recordings[0];
        var rawWindow = new WindowPreprocessor(contract, recording.SamplingRateHz).RawWindowSamples;
        var grid = StreamingWindower.WindowStarts(recording.Length, rawWindow, (int)recording.SamplingRateHz)
            .Select(start => start + rawWindow)
            .ToArray();
        var expectedByEnd = expected.ToDictionary(pair => pair.Key.EndSample, pair => pair.Value);

        // One epoch teaches the model little, so its probabilities carry no meaning for an alert.
        // The threshold sits at the lowest positive-class probability predict gives for these windows
        // and one hit raises: each device's first scored window must raise, whatever the model learnt.
        var lowest = expected.Values.Min(probabilities => probabilities[contract.PositiveClassIndex]);
        var threshold = Math.Max(1e-6, Math.Floor(lowest * 1e6) / 1e6);

        await using var subscriber = await BrokerSubscriber.ConnectAsync(broker.Port, $"ssdedge/{AgentId}/#", cancellationToken);
        var output = Path.Combine(_work, "windows.jsonl");
        string[] args =
        [
            "--model", model.OnnxPath,
            "--output", output,
            "--Agent:DurationSeconds=300",
            "--Logging:LogLevel:Default=Warning",
            $"--Serial:Devices:0:DeviceId={SerialDevice}",
            $"--Serial:Devices:0:Port={serial.AgentPath}",
            "--Serial:Devices:0:SamplingRateHz=100",
            "--Serial:Devices:0:SequenceField=0",
            $"--Serial:Devices:0:Channels:{channels[0]}=1",
            $"--Serial:Devices:0:Channels:{channels[1]}=2",
            $"--Serial:Devices:0:Channels:{channels[2]}=3",
            "--Mqtt:Enabled=true",
            "--Mqtt:Host=127.0.0.1",
            $"--Mqtt:Port={broker.Port}",
            "--Publish:Host=127.0.0.1",
            $"--Publish:Port={broker.Port}",
            $"--Publish:AgentId={AgentId}",
            $"--Publish:OutboxDirectory={Path.Combine(_work, "outbox")}",
            "--Metrics:Port=0",
            string.Create(CultureInfo.InvariantCulture, $"--Alerts:Threshold={threshold}"),
            string.Create(CultureInfo.InvariantCulture, $"--Alerts:ClearThreshold={threshold / 2}"),
            "--Alerts:RaiseCount=1",
            "--Alerts:WindowCount=1",
        ];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var errors = new StringWriter();
        var agent = Task.Run(() => AgentProgram.RunAsync(args, TextWriter.Null, errors, stop.Token), cancellationToken);

        var serialWriter = Task.Run(
            () => LiveStreams.WriteSerial(serial, recording, channels, StreamSpeed, seed: 11, stop.Token),
            cancellationToken);
        var mqttPublisher = LiveStreams.PublishMqttAsync(
            broker.Port,
            MqttDevice,
            recording,
            channels,
            rawWindow,
            () => ChainModels.ReadAgentWindows(output).Any(window => window.Device == MqttDevice),
            StreamSpeed,
            seed: 12,
            stop.Token);

        // Live sources never end by themselves: stop the agent once the writers are done and every window
        // is out and published. The last samples after the last window end produce no window.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (DateTime.UtcNow < deadline && !agent.IsCompleted)
        {
            var written = ChainModels.ReadAgentWindows(output);
            var published = BrokerWindows(subscriber.Messages, contract.ClassLabels);
            var done = serialWriter.IsCompleted && mqttPublisher.IsCompleted && new[] { SerialDevice, MqttDevice }.All(device =>
                written.Count(window => window.Device == device) >= grid.Length
                && published.Count(window => window.Device == device) >= grid.Length)
                && subscriber.Messages.Any(message => message.Topic.EndsWith("/alert", StringComparison.Ordinal));
            if (done)
            {
                break;
            }

            await Task.Delay(200, cancellationToken);
        }

        var writersFinished = serialWriter.IsCompletedSuccessfully && mqttPublisher.IsCompletedSuccessfully;
        await stop.CancelAsync();
        var exitCode = await agent;
        await Task.WhenAll(serialWriter, mqttPublisher).ContinueWith(_ => { }, TaskScheduler.Default);

        var agentWindows = ChainModels.ReadAgentWindows(output);
        var brokerWindows = BrokerWindows(subscriber.Messages, contract.ClassLabels);
        Assert.True(exitCode == 0, $"agent exit code {exitCode}: {errors}");
        Assert.True(writersFinished, $"the writers did not finish: serial {serialWriter.Status} {serialWriter.Exception?.InnerException}, "
            + $"MQTT {mqttPublisher.Status} {mqttPublisher.Exception?.InnerException}");
        foreach (var device in new[] { SerialDevice, MqttDevice })
        {
            var written = agentWindows.Where(window => window.Device == device).ToArray();
            Assert.Equal(grid, written.Select(window => window.EndSample).ToArray());
            var scored = written.Where(window => window.Outcome == "scored").ToArray();
            Assert.Equal(expectedByEnd.Keys.Order(), scored.Select(window => window.EndSample).Order());
            var fileDifference = ChainModels.MaxDifference(
                scored.Select(window => (expectedByEnd[window.EndSample], window.Probabilities!)));
            Assert.True(fileDifference <= Tolerance, $"{device}: JSON Lines and predict differ by {fileDifference:G3}");

            // QoS 1 may deliver a window twice; each end sample counts once.
            var published = brokerWindows.Where(window => window.Device == device)
                .DistinctBy(window => window.EndSample)
                .ToArray();
            Assert.Equal(grid, published.Select(window => window.EndSample).Order().ToArray());
            var publishedScored = published.Where(window => window.Outcome == "scored").ToArray();
            Assert.Equal(expectedByEnd.Keys.Order(), publishedScored.Select(window => window.EndSample).Order());
            var brokerDifference = ChainModels.MaxDifference(
                publishedScored.Select(window => (expectedByEnd[window.EndSample], window.Probabilities!)));
            Assert.True(brokerDifference <= Tolerance, $"{device}: broker and predict differ by {brokerDifference:G3}");
        }

        var alerts = subscriber.Messages.Where(message => message.Topic.EndsWith("/alert", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(alerts);
        using var alert = JsonDocument.Parse(alerts[0].Payload);
        foreach (var field in AlertFields)
        {
            Assert.True(alert.RootElement.TryGetProperty(field, out _), $"alert lacks '{field}': {alerts[0].Payload}");
        }

        Assert.Equal("raise", alert.RootElement.GetProperty("type").GetString());
        var alertDevice = alert.RootElement.GetProperty("deviceId").GetString()!;
        Assert.Equal($"ssdedge/{AgentId}/{alertDevice}/alert", alerts[0].Topic);
        var alertEnd = alert.RootElement.GetProperty("windowEndSample").GetInt64();
        var alertProbability = alert.RootElement.GetProperty("probability").GetDouble();
        Assert.True(
            Math.Abs(alertProbability - expectedByEnd[alertEnd][contract.PositiveClassIndex]) <= Tolerance,
            $"alert probability {alertProbability} differs from predict at window end {alertEnd}");
    }

    [Fact]
    public async Task CsvReplay_HeldOutSubject_MatchesPredict()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var fmov = TestData.PathOf("fmov");
        var recordingFile = Path.Combine(fmov, $"{ChainModels.HeldOutSubject}_100hz.tsv.gz");
        var model = _models.FmovStudent(fmov);
        var contract = OnnxContractReader.ReadContract(model.OnnxPath);
        var channels = contract.Channels.Select(channel => channel.Name).ToArray();

        // A user's own recording: a header that names the model's channels, one row per sample, and
        // a marker column, which the reader takes as stimulus onsets rather than a channel.
        var recording = FmovReader.Read(recordingFile).Recordings[0];
        var csv = Path.Combine(_work, "patient-07.csv");
        WriteCsv(csv, recording, channels);
        var source = $"csv:{csv}?rate=100";

        var expected = ChainModels.PredictAgentWindows(source, "patient-07", model, Path.Combine(_work, "offline"));
        var output = Path.Combine(_work, "windows.jsonl");
        var exitCode = await AgentProgram.RunAsync(
            [
                "--model", model.OnnxPath, "--replay", source, "--output", output,
                "--Publish:Enabled=false", "--Metrics:Port=0", "--Logging:LogLevel:Default=Warning",
            ],
            TextWriter.Null,
            TextWriter.Null,
            cancellationToken);

        var agentWindows = ChainModels.ReadAgentWindows(output);
        var scored = agentWindows.Where(window => window.Outcome == "scored").ToArray();
        var rawWindow = new WindowPreprocessor(contract, recording.SamplingRateHz).RawWindowSamples;
        var grid = StreamingWindower.WindowStarts(recording.Length, rawWindow, (int)recording.SamplingRateHz)
            .Select(start => start + rawWindow);
        Assert.Equal(0, exitCode);
        Assert.Equal(grid, agentWindows.Select(window => window.EndSample));
        Assert.Equal(
            expected.Keys.Select(key => (key.Recording, key.EndSample)).Order(),
            scored.Select(window => (window.Device, window.EndSample)).Order());
        var difference = ChainModels.MaxDifference(
            scored.Select(window => (expected[(window.Device, window.EndSample)], window.Probabilities!)));
        Assert.True(difference <= Tolerance, $"agent and predict differ by {difference:G3}");
    }

    private static void WriteCsv(string path, SsdEdge.Signals.Recording recording, IReadOnlyList<string> channels)
    {
        var columns = channels.Select(name => recording.Samples[recording.IndexOfChannel(name)]).ToArray();
        var onsets = recording.Events.Select(onset => onset.SampleIndex).ToHashSet();
        var text = new StringBuilder("time,").AppendJoin(',', channels).Append(",marker\n");
        for (var i = 0; i < recording.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i / recording.SamplingRateHz:0.00}");
            foreach (var column in columns)
            {
                text.Append(',').Append(column[i].ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append(onsets.Contains(i) ? ",0\n" : ",5\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    // The window message gives probabilities as an object from class label to probability.
    private static List<AgentWindow> BrokerWindows(
        IEnumerable<(string Topic, string Payload)> messages,
        IReadOnlyList<string> classLabels)
    {
        var windows = new List<AgentWindow>();
        foreach (var (topic, payload) in messages)
        {
            if (!topic.EndsWith("/window", StringComparison.Ordinal))
            {
                continue;
            }

            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var probabilities = root.GetProperty("probabilities");
            windows.Add(new AgentWindow(
                root.GetProperty("deviceId").GetString()!,
                root.GetProperty("windowEndSample").GetInt64(),
                root.GetProperty("outcome").GetString()!,
                probabilities.EnumerateObject().Any()
                    ? classLabels.Select(label => probabilities.GetProperty(label).GetSingle()).ToArray()
                    : null));
        }

        return windows;
    }
}
