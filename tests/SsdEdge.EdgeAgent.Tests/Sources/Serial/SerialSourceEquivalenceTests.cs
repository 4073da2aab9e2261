using System.Globalization;
using System.IO.Ports;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.Datasets;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Signals;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

/// <summary>
/// Streams real recordings over a pseudo-terminal pair through <see cref="SerialSource"/> and a
/// device pipeline, and compares every window with the replay of the same file.
/// </summary>
public sealed class SerialSourceEquivalenceTests : IDisposable
{
    private const string NeuroKit = "recordings/neurokit_bio_eventrelated_100hz.csv";
    private const string Plux = "recordings/plux_eda_hot_surface_1000hz.txt";
    private const double HopSeconds = 1;

    private readonly TempDirectory _directory = new();
    private readonly IngestCounters _counters = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task NeuroKitLines_MatchReplay()
    {
        var path = TestData.PathOf(NeuroKit);
        var recording = RecordingFiles.Read($"csv:{path}?rate=100").Recordings[0];
        var options = Device("neurokit", 100);
        options.Channels.Add(new SerialChannelOptions("eda", 1));

        // A device that boots prints a blank line, then the file itself: header and rows.
        byte[] stream = [.. "\r\n"u8, .. File.ReadAllBytes(path)];

        await AssertSameWindowsAsync(recording, options, stream, seed: 1);
    }

    [Fact]
    public async Task PluxLinesWithCounter_MatchReplay()
    {
        var path = TestData.PathOf(Plux);
        var recording = RecordingFiles.Read($"opensignals:{path}").Recordings[0];
        var eda = Eda(recording);
        var counters = ReadSequenceColumn(path);
        Assert.Equal(eda.Length, counters.Count);
        var options = Device("plux-line", 1000);
        options.Channels.Add(new SerialChannelOptions("eda"));
        options.SequenceField = 0;
        options.SequenceModulo = 16;

        var text = new StringBuilder("\n");
        for (var i = 0; i < eda.Length; i++)
        {
            // The double of a float prints exactly, so the line parses back to the same float.
            text.Append(CultureInfo.InvariantCulture, $"{counters[i]}\t{((double)eda[i]).ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        await AssertSameWindowsAsync(recording, options, Encoding.ASCII.GetBytes(text.ToString()), seed: 2);
    }

    [Fact]
    public async Task PluxBinary_MatchReplay()
    {
        var path = TestData.PathOf(Plux);
        var recording = RecordingFiles.Read($"opensignals:{path}").Recordings[0];
        var eda = Eda(recording);
        var options = Device("plux-binary", 1000);
        options.Protocol = SerialProtocol.Binary;
        options.Channels.Add(new SerialChannelOptions("eda"));

        var random = new Random(3);
        using var stream = new MemoryStream();
        for (var first = 0; first < eda.Length;)
        {
            var count = Math.Min(random.Next(1, 65), eda.Length - first);
            stream.Write(BinaryFrameEncoder.Encode((uint)first, 1, eda.AsSpan(first, count)));
            first += count;
        }

        await AssertSameWindowsAsync(recording, options, stream.ToArray(), seed: 4);
    }

    private static SerialDeviceOptions Device(string id, double rate) => new()
    {
        DeviceId = id,
        Port = "unset",
        SamplingRateHz = rate,
        ReopenDelaySeconds = 0.05,
    };

    private static float[] Eda(Recording recording)
    {
        var index = recording.Channels.ToList().FindIndex(channel => channel.Name == "eda");
        Assert.True(index >= 0, "The recording has no eda channel.");
        return recording.Samples[index];
    }

    /// <summary>Reads the nSeq column, the first field of each data row of an OpenSignals file.</summary>
    private static List<int> ReadSequenceColumn(string path) =>
        File.ReadLines(path)
            .Where(line => !line.StartsWith('#') && line.Trim().Length > 0)
            .Select(line => int.Parse(line.Split('\t')[0], CultureInfo.InvariantCulture))
            .ToList();

    private async Task AssertSameWindowsAsync(Recording recording, SerialDeviceOptions options, byte[] stream, int seed)
    {
        var contract = TestModels.EdaContract();
        using var model = OnnxModel.Load(TestModels.WriteWithContract(_directory.Path, contract), intraOpThreads: 1);
        var offline = await ReplayAsync(recording, model);
        var live = await StreamAsync(options, stream, recording.Length, model, seed);

        Assert.NotEmpty(offline);
        Assert.Contains(offline, result => result.Outcome == WindowOutcome.Scored);
        Assert.Equal(offline.Count, live.Count);
        for (var i = 0; i < offline.Count; i++)
        {
            Assert.Equal(offline[i].EndSample, live[i].EndSample);
            Assert.Equal(offline[i].Outcome, live[i].Outcome);
            Assert.Equal(offline[i].Quality, live[i].Quality);
            Assert.Equal(Bits(offline[i].Probabilities), Bits(live[i].Probabilities));
        }

        Assert.Empty(_counters.RejectedSnapshot());
    }

    private static async Task<List<WindowResult>> ReplayAsync(Recording recording, OnnxModel model)
    {
        var sink = new CollectingSink();
        using var engine = model.CreateEngine();
        var replay = new ReplaySource(
            "offline", [recording], ["eda"], new ReplayPacing(0, 0.1), TimeProvider.System,
            NullLogger<ReplaySource>.Instance);
        DevicePipeline? pipeline = null;
        await foreach (var block in replay.ReadAsync(CancellationToken.None))
        {
            pipeline ??= new DevicePipeline(
                block.Device, model.Contract, engine, HopSeconds, [sink], new RunStatistics(), NullLogger.Instance);
            pipeline.Process(block);
        }

        return sink.Results;
    }

    private async Task<List<WindowResult>> StreamAsync(
        SerialDeviceOptions options,
        byte[] stream,
        int frames,
        OnnxModel model,
        int seed)
    {
        using var pair = SocatPair.Start(_directory.Path);
        options.Port = pair.AgentPath;
        var sink = new CollectingSink();
        using var engine = model.CreateEngine();
        using var source = new SerialSource(options, _counters, TimeProvider.System, NullLogger<SerialSource>.Instance);
        var pipeline = new DevicePipeline(
            source.Device, model.Contract, engine, HopSeconds, [sink], new RunStatistics(), NullLogger.Instance);
        await using (var collector = BlockCollector.Start(source, pipeline.Process))
        {
            await Wait.ForStateAsync(source, SerialPortState.Connected);
            using (var device = pair.OpenDevice())
            {
                WriteInRandomChunks(device, stream, seed);
            }

            await collector.WaitForFramesAsync(frames, seconds: 60);
            Assert.Equal(Enumerable.Range(0, frames).Select(i => (long)i), collector.SampleIndexes());
        }

        return sink.Results;
    }

    private static void WriteInRandomChunks(SerialPort device, byte[] stream, int seed)
    {
        var random = new Random(seed);
        for (var offset = 0; offset < stream.Length;)
        {
            var count = Math.Min(random.Next(1, 513), stream.Length - offset);
            device.BaseStream.Write(stream, offset, count);
            offset += count;
        }
    }

    private static int[] Bits(IReadOnlyList<float> values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
