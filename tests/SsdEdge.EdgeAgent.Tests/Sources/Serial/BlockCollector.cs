using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

/// <summary>Enumerates a serial source on a background task, keeping every block and passing it to
/// an optional handler (such as a device pipeline) as it arrives.</summary>
public sealed class BlockCollector : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SampleBlock> _blocks = [];
    private readonly CancellationTokenSource _cancel = new();
    private long _frames;

    private BlockCollector(SerialSource source, Action<SampleBlock>? onBlock)
    {
        Source = source;
        Reading = Task.Run(async () =>
        {
            await foreach (var block in source.ReadAsync(_cancel.Token))
            {
                onBlock?.Invoke(block);
                lock (_gate)
                {
                    _blocks.Add(block);
                    _frames += block.FrameCount;
                }
            }
        });
    }

    public SerialSource Source { get; }

    /// <summary>The enumeration; it ends when cancelled, when the source is disposed, or on an error.</summary>
    public Task Reading { get; }

    public long Frames
    {
        get
        {
            lock (_gate)
            {
                return _frames;
            }
        }
    }

    public IReadOnlyList<SampleBlock> Blocks
    {
        get
        {
            lock (_gate)
            {
                return _blocks.ToList();
            }
        }
    }

    public static BlockCollector Start(SerialSource source, Action<SampleBlock>? onBlock = null) => new(source, onBlock);

    /// <summary>Every frame's sample index, in arrival order.</summary>
    public List<long> SampleIndexes() =>
        Blocks.SelectMany(block => Enumerable.Range(0, block.FrameCount).Select(f => block.FirstSample + f)).ToList();

    /// <summary>Every sample of channel 0, in arrival order.</summary>
    public List<float> FirstChannel() =>
        Blocks.SelectMany(block => Enumerable.Range(0, block.FrameCount)
            .Select(f => block.Frames.Span[f * block.Device.ChannelCount])).ToList();

    /// <summary>Waits until <paramref name="count"/> frames arrived; fails after the timeout.</summary>
    public Task WaitForFramesAsync(long count, double seconds = 10) =>
        Wait.UntilAsync(() => Frames >= count || Reading.IsCompleted, $"{count} frames (got {Frames})", seconds);

    /// <summary>Cancels the enumeration and waits for it.</summary>
    public async Task StopAsync()
    {
        await _cancel.CancelAsync();
        try
        {
            await Reading;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _cancel.Dispose();
    }
}

/// <summary>Polls a condition until it is true or a timeout passes.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string description, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {seconds} s waiting for {description}.");
            }

            await Task.Delay(10);
        }
    }

    public static Task ForStateAsync(SerialSource source, SerialPortState state, double seconds = 5) =>
        UntilAsync(() => source.Status.State == state, $"state {state} (now {source.Status.State})", seconds);
}
