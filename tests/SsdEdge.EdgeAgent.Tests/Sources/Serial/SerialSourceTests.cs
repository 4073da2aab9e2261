using System.Diagnostics;
using System.Globalization;
using System.IO.Ports;
using System.Text;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

/// <summary>Bad input, outages, silence and stopping of <see cref="SerialSource"/> over socat
/// pseudo-terminal pairs.</summary>
public sealed class SerialSourceTests : IDisposable
{
    private const int PortLost = 2004;
    private const int PortReopened = 2005;
    private const int PortSilent = 2006;
    private const int PortResumed = 2007;
    private const int InputRejected = 2010;
    private const int BufferFull = 2009;

    private readonly TempDirectory _directory = new();
    private readonly IngestCounters _counters = new();
    private readonly CollectingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public SerialSourceTests()
    {
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task BadLines_CountedAndKeepTimeSlots()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var options = LineDevice(pair.AgentPath);
        options.MaxLineBytes = 64;
        var text = new StringBuilder("\nECG,EDA\n");
        var expected = new List<float>();
        for (var i = 0; i < 300; i++)
        {
            var value = 10 + (i * 0.01f);
            var line = i switch
            {
                50 => "0.1,\u0001\u0002junk",
                100 => new string('7', 200),
                150 => "0.1,nan",
                200 => "0.1,2,3",
                250 => "0.1,abc",
                _ => Invariant($"0.1,{value}"),
            };
            text.Append(line).Append(i % 2 == 0 ? "\r\n" : "\n");
            expected.Add(i % 50 == 0 && i > 0 ? float.NaN : value);
        }

        using var source = CreateSource(options);
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteInChunks(pair, Encoding.UTF8.GetBytes(text.ToString()), maxChunk: 16);
        await collector.WaitForFramesAsync(300);

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), collector.SampleIndexes());
        Assert.Equal(expected, collector.FirstChannel());
        Assert.Equal(1, _counters.Rejected("serial-01", IngestRejection.Garbage));
        Assert.Equal(1, _counters.Rejected("serial-01", IngestRejection.OverlongLine));
        Assert.Equal(1, _counters.Rejected("serial-01", IngestRejection.NonFiniteSample));
        Assert.Equal(1, _counters.Rejected("serial-01", IngestRejection.WrongFieldCount));
        Assert.Equal(1, _counters.Rejected("serial-01", IngestRejection.NonNumericField));
        Assert.Equal(5, _logs.Entries.Count(entry => entry.EventId == InputRejected));
    }

    [Fact]
    public async Task GarbageBetweenPackets_CountedAndSurvived()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var options = LineDevice(pair.AgentPath);
        options.Protocol = SerialProtocol.Binary;
        options.Channels.Clear();
        options.Channels.Add(new SerialChannelOptions("eda"));
        using var stream = new MemoryStream();
        var samples = Enumerable.Range(0, 400).Select(i => (float)i).ToArray();
        for (var first = 0; first < samples.Length; first += 20)
        {
            var packet = BinaryFrameEncoder.Encode((uint)first, 1, samples.AsSpan(first, 20));
            if (first == 100)
            {
                packet[20] ^= 0xFF;
            }

            stream.Write(packet);
            stream.Write("noise"u8);
        }

        using var source = CreateSource(options);
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteInChunks(pair, stream.ToArray(), maxChunk: 100);
        await collector.WaitForFramesAsync(380);

        var expected = Enumerable.Range(0, 400).Where(i => i is < 100 or >= 120).Select(i => (long)i);
        Assert.Equal(expected, collector.SampleIndexes());
        Assert.Equal(1, _counters.Rejected("serial-01", IngestRejection.ChecksumMismatch));
        Assert.Equal(20 * 5, _counters.Rejected("serial-01", IngestRejection.Garbage));
    }

    [Fact]
    public async Task SequenceJumpsAndRepeats_ReportedInFirstSample()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var options = LineDevice(pair.AgentPath);
        options.SequenceField = 0;
        int[] counters = [0, 1, 2, 3, 10, 11, 12, 12, 13, 11, 12, 40];
        var text = "\n" + string.Concat(counters.Select(counter => Invariant($"{counter},{counter * 0.5}\n")));

        using var source = CreateSource(options);
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteInChunks(pair, Encoding.ASCII.GetBytes(text), maxChunk: 5);
        await collector.WaitForFramesAsync(counters.Length);

        Assert.Equal(counters.Select(counter => (long)counter), collector.SampleIndexes());
        var starts = collector.Blocks.Select(block => block.FirstSample).ToList();
        Assert.Contains(10L, starts);
        Assert.Contains(12L, starts);
        Assert.Contains(11L, starts);
        Assert.Contains(40L, starts);
    }

    [Fact]
    public async Task WrongRate_ArrivalTimestampsFollowDevice()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var options = LineDevice(pair.AgentPath);
        using var source = CreateSource(options);
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);

        // Configured at 100 Hz, the device sends 20 lines at 25 Hz.
        var written = new long[20];
        using (var device = pair.OpenDevice())
        {
            device.BaseStream.Write("\n"u8);
            for (var i = 0; i < written.Length; i++)
            {
                written[i] = Stopwatch.GetTimestamp();
                device.BaseStream.Write(Encoding.ASCII.GetBytes(Invariant($"0.1,{i}\n")));
                Thread.Sleep(40);
            }
        }

        await collector.WaitForFramesAsync(written.Length);

        var blocks = collector.Blocks;
        foreach (var block in blocks)
        {
            var last = (int)block.FirstSample + block.FrameCount - 1;
            Assert.True(block.ReceivedTimestamp >= written[last], $"block ending at {last} stamped before it was written");
        }

        var span = Stopwatch.GetElapsedTime(blocks[0].ReceivedTimestamp, blocks[^1].ReceivedTimestamp);
        Assert.InRange(span.TotalSeconds, 0.6, 5);
    }

    [Fact]
    public async Task PortVanishes_ReopensAndFollowsCounter()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var options = LineDevice(pair.AgentPath);
        options.SequenceField = 0;
        using var source = CreateSource(options);
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteLines(pair, Enumerable.Range(0, 100));
        await collector.WaitForFramesAsync(100);

        pair.Kill();
        await _logs.WhenLogged(PortLost).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(SerialPortState.Reconnecting, source.Status.State);
        var lost = _logs.Entries.First(entry => entry.EventId == PortLost);
        Assert.Null(lost.Exception);
        Assert.DoesNotContain(" at ", lost.Message, StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, entry => entry.EventId == 2013 && entry.Level == LogLevel.Debug && entry.Exception is not null);
        pair.Restart();
        await _logs.WhenLogged(PortReopened).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteLines(pair, Enumerable.Range(500, 100));
        await collector.WaitForFramesAsync(200);

        var expected = Enumerable.Range(0, 100).Concat(Enumerable.Range(500, 100)).Select(i => (long)i);
        Assert.Equal(expected, collector.SampleIndexes());
        Assert.Equal(1, source.Status.Reopens);
        Assert.Equal(SerialPortState.Connected, source.Status.State);
    }

    [Fact]
    public async Task PortVanishesWithoutCounter_NumberingJumps()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var options = LineDevice(pair.AgentPath);
        using var source = CreateSource(options);
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteLines(pair, Enumerable.Range(0, 50));
        await collector.WaitForFramesAsync(50);

        pair.Kill();
        await _logs.WhenLogged(PortLost).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        pair.Restart();
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteLines(pair, Enumerable.Range(0, 50));
        await collector.WaitForFramesAsync(100);

        var indexes = collector.SampleIndexes();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), indexes.Take(50));
        var resumed = indexes[50];
        Assert.True(resumed >= 50 + 30, $"numbering resumed at {resumed}, less than 0.3 s at 100 Hz after the outage");
        Assert.Equal(Enumerable.Range(0, 50).Select(i => resumed + i), indexes.Skip(50));
    }

    [Fact]
    public async Task MissingPortAtStart_OpensWhenItAppears()
    {
        var options = LineDevice(Path.Combine(_directory.Path, "agent"));
        using var source = CreateSource(options);
        await using var collector = BlockCollector.Start(source);
        await Wait.UntilAsync(() => source.Status.LastError is not null, "a failed open");
        Assert.Equal(SerialPortState.Connecting, source.Status.State);
        Assert.Contains("does not exist", source.Status.LastError, StringComparison.Ordinal);

        using var pair = SocatPair.Start(_directory.Path);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteLines(pair, Enumerable.Range(0, 10));
        await collector.WaitForFramesAsync(10);

        Assert.Equal(10, collector.Frames);
    }

    [Fact]
    public async Task SilentPort_LoggedOnceThenResumed()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var options = LineDevice(pair.AgentPath);
        options.SilenceSeconds = 0.3;
        using var source = CreateSource(options);
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);

        await _logs.WhenLogged(PortSilent).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(SerialPortState.Silent, source.Status.State);
        await Task.Delay(700, TestContext.Current.CancellationToken);
        WriteLines(pair, Enumerable.Range(0, 5));
        await _logs.WhenLogged(PortResumed).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await collector.WaitForFramesAsync(5);

        Assert.Equal(1, _logs.Entries.Count(entry => entry.EventId == PortSilent));
        Assert.Equal(SerialPortState.Connected, source.Status.State);
        Assert.NotNull(source.Status.LastDataTime);
    }

    [Fact]
    public async Task Cancel_MidStream_ReturnsWithinOneSecond()
    {
        using var pair = SocatPair.Start(_directory.Path);
        using var source = CreateSource(LineDevice(pair.AgentPath));
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(() => StreamUntilCancelled(pair, writing.Token), TestContext.Current.CancellationToken);
        await collector.WaitForFramesAsync(200);

        var stopwatch = Stopwatch.StartNew();
        await collector.StopAsync();
        stopwatch.Stop();
        await writing.CancelAsync();
        await writer;

        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 0, 1);
        Assert.Equal(SerialPortState.Stopped, source.Status.State);
    }

    [Fact]
    public async Task Dispose_MidStream_EndsEnumeration()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var source = CreateSource(LineDevice(pair.AgentPath));
        await using var collector = BlockCollector.Start(source);
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(() => StreamUntilCancelled(pair, writing.Token), TestContext.Current.CancellationToken);
        await collector.WaitForFramesAsync(200);

        var stopwatch = Stopwatch.StartNew();
        source.Dispose();
        await collector.Reading.WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        stopwatch.Stop();
        await writing.CancelAsync();
        await writer;

        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 0, 1);
        Assert.True(collector.Reading.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task SlowConsumer_DropsOldestAndCounts()
    {
        using var pair = SocatPair.Start(_directory.Path);
        var options = LineDevice(pair.AgentPath);

        // At 1 Hz every read that completes a line is flushed as its own block.
        options.SamplingRateHz = 1;
        using var source = CreateSource(options);
        await using var blocks = source.ReadAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(
            TestContext.Current.CancellationToken);
        var first = blocks.MoveNextAsync();
        await Wait.ForStateAsync(source, SerialPortState.Connected);
        WriteLines(pair, Enumerable.Range(0, 1));
        Assert.True(await first);

        // Lines are written one by one, unread, until the queue overflows. A loaded machine may
        // merge several lines into one read, so the number of lines needed varies.
        var lines = 0;
        using (var device = pair.OpenDevice())
        {
            while (Dropped() == 0 && lines < 20_000)
            {
                lines++;
                device.BaseStream.Write(Encoding.ASCII.GetBytes(Invariant($"0.1,{lines}\n")));
                Thread.Sleep(1);
            }
        }

        await Wait.UntilAsync(() => source.Status.FramesDecoded == lines + 1, "every line decoded");
        long consumed = blocks.Current.FrameCount;
        var firstSamples = new List<long>();
        while (consumed + Dropped() < lines + 1)
        {
            Assert.True(await blocks.MoveNextAsync().AsTask().WaitAsync(
                TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
            consumed += blocks.Current.FrameCount;
            firstSamples.Add(blocks.Current.FirstSample);
        }

        Assert.True(Dropped() > 0);
        Assert.Contains(_logs.Entries, entry => entry.EventId == BufferFull);
        Assert.Equal(firstSamples.Order(), firstSamples);
        Assert.Equal(lines, blocks.Current.FirstSample + blocks.Current.FrameCount - 1);
        Assert.Equal(lines + 1, consumed + Dropped());

        long Dropped() => _counters.Rejected("serial-01", IngestRejection.BufferFull);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static SerialDeviceOptions LineDevice(string port)
    {
        var options = new SerialDeviceOptions
        {
            DeviceId = "serial-01",
            Port = port,
            SamplingRateHz = 100,
            ReopenDelaySeconds = 0.05,
            MaxReopenDelaySeconds = 0.2,
        };
        options.Channels.Add(new SerialChannelOptions("eda", 1));
        return options;
    }

    private SerialSource CreateSource(SerialDeviceOptions options) =>
        new(options, _counters, TimeProvider.System, _loggerFactory.CreateLogger<SerialSource>());

    /// <summary>Writes a blank line, then one line per counter: "counter,counter/10".</summary>
    private static void WriteLines(SocatPair pair, IEnumerable<int> counters)
    {
        var text = "\n" + string.Concat(counters.Select(counter => Invariant($"{counter},{counter / 10.0}\n")));
        WriteInChunks(pair, Encoding.ASCII.GetBytes(text), maxChunk: 64);
    }

    private static void WriteInChunks(SocatPair pair, byte[] bytes, int maxChunk)
    {
        using var device = pair.OpenDevice();
        var random = new Random(bytes.Length);
        for (var offset = 0; offset < bytes.Length;)
        {
            var count = Math.Min(random.Next(1, maxChunk + 1), bytes.Length - offset);
            device.BaseStream.Write(bytes, offset, count);
            offset += count;
        }
    }

    private static void StreamUntilCancelled(SocatPair pair, CancellationToken cancellationToken)
    {
        using SerialPort device = pair.OpenDevice();
        var line = "0.1,5.5\n"u8.ToArray();
        while (!cancellationToken.IsCancellationRequested)
        {
            device.BaseStream.Write(line);
            Thread.Sleep(1);
        }
    }
}
