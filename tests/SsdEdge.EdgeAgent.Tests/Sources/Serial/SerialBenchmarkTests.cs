using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.Datasets;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

/// <summary>
/// Decoder throughput on real recordings, and the latency from a line written to the device end
/// of a pseudo-terminal until its block reaches the consumer. It only reports, because speed
/// depends on the machine. Runs when <c>SSDEDGE_RUN_BENCHMARKS=1</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class SerialBenchmarkTests : IDisposable
{
    private const int Repetitions = 20;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void LineDecoder_NeuroKitFile_PrintsThroughput()
    {
        SkipUnlessEnabled();
        var bytes = File.ReadAllBytes(TestData.PathOf("recordings/neurokit_bio_eventrelated_100hz.csv"));
        var options = new SerialDeviceOptions { DeviceId = "bench", Port = "unset", SamplingRateHz = 100 };
        options.Channels.Add(new SerialChannelOptions("eda", 1));

        var (seconds, frames) = Measure(() => new LineProtocolDecoder(options, new IngestCounters(), NullLogger.Instance), bytes, 1);

        Report("line protocol, NeuroKit CSV", bytes.Length, frames, seconds);
        Assert.Equal(15_000, frames);
    }

    [Fact]
    public void BinaryDecoder_PluxRecording_PrintsThroughput()
    {
        SkipUnlessEnabled();
        var recording = RecordingFiles.Read($"opensignals:{TestData.PathOf("recordings/plux_eda_hot_surface_1000hz.txt")}")
            .Recordings[0];
        var bytes = BinaryFrameEncoder.EncodeStream(0, 1, recording.Samples[0], framesPerPacket: 50);

        var (seconds, frames) = Measure(() => new BinaryFrameDecoder("bench", 1, new IngestCounters(), NullLogger.Instance), bytes, 1);

        Report("binary protocol, PLUX EDA, 50 frames per packet", bytes.Length, frames, seconds);
        Assert.Equal(recording.Length, frames);
    }

    [Fact]
    public async Task SerialSource_LinesAt100Hz_PrintsArrivalLatency()
    {
        SkipUnlessEnabled();
        using var pair = SocatPair.Start(_directory.Path);
        var options = new SerialDeviceOptions { DeviceId = "bench", Port = pair.AgentPath, SamplingRateHz = 100 };
        options.Channels.Add(new SerialChannelOptions("eda", 1));
        options.SequenceField = 0;
        const int Lines = 300;
        var written = new long[Lines];
        var latencies = new List<double>();
        using var source = new SerialSource(options, new IngestCounters(), TimeProvider.System, NullLogger<SerialSource>.Instance);
        await using var collector = BlockCollector.Start(source, block =>
        {
            var consumed = Stopwatch.GetTimestamp();
            var last = block.FirstSample + block.FrameCount - 1;
            latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref written[last]), consumed).TotalMilliseconds);
        });
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        using (var device = pair.OpenDevice())
        {
            device.BaseStream.Write("\n"u8);
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Lines; i++)
            {
                while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < i * 10.0)
                {
                    Thread.Sleep(1);
                }

                Volatile.Write(ref written[i], Stopwatch.GetTimestamp());
                device.BaseStream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{i},{i * 0.01}\n")));
            }
        }

        await collector.WaitForFramesAsync(Lines);
        await collector.StopAsync();
        var sorted = latencies.Order().ToArray();
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"serial source, {Lines} lines at 100 Hz over a pseudo-terminal, {sorted.Length} blocks: latency from write "
            + $"to consumer median {sorted[sorted.Length / 2]:F1} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F1} ms, "
            + $"max {sorted[^1]:F1} ms");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
    }

    private static void SkipUnlessEnabled()
    {
        if (Environment.GetEnvironmentVariable("SSDEDGE_RUN_BENCHMARKS") != "1")
        {
            Assert.Skip("Set SSDEDGE_RUN_BENCHMARKS=1 to run serial benchmarks.");
        }
    }

    /// <summary>Decodes <paramref name="bytes"/> in 4 KiB chunks, as the port delivers them, and
    /// returns the median time of one pass and the frames it produced.</summary>
    private static (double Seconds, int Frames) Measure(Func<ISerialDecoder> create, byte[] bytes, int channels)
    {
        var times = new double[Repetitions];
        var frames = 0;
        for (var r = 0; r < Repetitions; r++)
        {
            var decoder = create();
            var output = new DecodedFrames(channels);
            frames = 0;
            var start = Stopwatch.GetTimestamp();
            for (var offset = 0; offset < bytes.Length; offset += 4096)
            {
                decoder.Decode(bytes.AsSpan(offset, Math.Min(4096, bytes.Length - offset)), output);
                frames += output.Count;
                output.Clear();
            }

            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        return (times.Order().ElementAt(Repetitions / 2), frames);
    }

    private static void Report(string description, int bytes, int frames, double seconds)
    {
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"{description}: {bytes / 1e6:F2} MB, {frames} frames, median of {Repetitions} passes {seconds * 1000:F2} ms = "
            + $"{bytes / seconds / 1e6:F1} MB/s, {frames / seconds / 1e6:F2} M frames/s");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
    }
}
