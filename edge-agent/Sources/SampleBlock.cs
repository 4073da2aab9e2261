using System.Diagnostics;

namespace SsdEdge.EdgeAgent.Sources;

/// <summary>Consecutive frames from one device.</summary>
/// <param name="Device">Device that produced the frames.</param>
/// <param name="FirstSample">Index of the first frame, counted by the device from the start of its
/// stream; a jump from the previous block's end marks a gap.</param>
/// <param name="Frames">Samples interleaved by frame (t0c0, t0c1, ..., t1c0, ...) in the order of
/// <see cref="DeviceDescriptor.ChannelNames"/>. The block owns this memory.</param>
public sealed record SampleBlock(DeviceDescriptor Device, long FirstSample, ReadOnlyMemory<float> Frames)
{
    /// <summary>Number of frames (samples per channel) in the block.</summary>
    public int FrameCount => Frames.Length / Device.ChannelCount;

    /// <summary>
    /// <see cref="Stopwatch.GetTimestamp"/> when the block's last frame reached the agent; by
    /// default, when the block was created. Latencies of windows and alerts count from it.
    /// </summary>
    public long ReceivedTimestamp { get; init; } = Stopwatch.GetTimestamp();
}
