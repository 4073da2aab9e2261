using SsdEdge.Contracts;
using SsdEdge.Synthetic;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// A fixed stretch of synthetic physiology in a contract's channel order, interleaved by frame,
/// that benchmark devices replay from any position and wrap around.
/// </summary>
/// <remarks>
/// Channels the simulator generates (eda, ecg, emg_trapezius, emg_corrugator, emg_zygomaticus) are
/// taken from one simulated subject; any other contract channel gets seeded Gaussian noise of unit
/// standard deviation. The frames depend only on the seed, the rate and the length.
/// </remarks>
public sealed class SyntheticFeed
{
    private readonly float[] _frames;

    /// <summary>Generates <paramref name="seconds"/> of frames at <paramref name="rateHz"/>.</summary>
    public SyntheticFeed(SignalContract contract, double rateHz, double seconds, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rateHz);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);

        ChannelNames = contract.Channels.Select(channel => channel.Name).ToArray();
        RateHz = rateHz;
        FrameCount = checked((int)Math.Ceiling(seconds * rateHz));

        var options = new SyntheticOptions { Seed = seed, SamplingRateHz = rateHz };
        var simulator = new PhysiologySimulator(SubjectProfile.Draw(seed, 0), options, seed);
        var generated = simulator.NextBlock(FrameCount);
        var simulatorNames = simulator.Channels.Select(channel => channel.Name).ToList();
        var noise = new Xoshiro256StarStar(Xoshiro256StarStar.DeriveSeed(seed, 1));

        var channels = ChannelNames.Count;
        _frames = new float[FrameCount * channels];
        for (var c = 0; c < channels; c++)
        {
            var source = simulatorNames.FindIndex(
                name => string.Equals(name, ChannelNames[c], StringComparison.OrdinalIgnoreCase));
            for (var t = 0; t < FrameCount; t++)
            {
                _frames[(t * channels) + c] = source >= 0 ? generated[source][t] : (float)noise.NextGaussian();
            }
        }
    }

    /// <summary>Channels of each frame, in contract order.</summary>
    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Sampling rate of every channel, in Hz.</summary>
    public double RateHz { get; }

    /// <summary>Frames (samples per channel) before the feed wraps around.</summary>
    public int FrameCount { get; }

    /// <summary>Returns <paramref name="frameCount"/> frames starting at frame
    /// <paramref name="start"/>, wrapped around the end, copied into a new array.</summary>
    public float[] Read(long start, int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        var channels = ChannelNames.Count;
        var result = new float[frameCount * channels];
        CopyTo(start, result);
        return result;
    }

    /// <summary>Fills <paramref name="destination"/> with whole frames starting at frame
    /// <paramref name="start"/>, wrapped around the end.</summary>
    /// <exception cref="ArgumentException">The destination is not a whole number of frames.</exception>
    public void CopyTo(long start, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        var channels = ChannelNames.Count;
        if (destination.Length % channels != 0)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} values, not a multiple of {channels} channels.",
                nameof(destination));
        }

        var position = (int)(start % FrameCount);
        var written = 0;
        while (written < destination.Length)
        {
            var available = (FrameCount - position) * channels;
            var count = Math.Min(available, destination.Length - written);
            _frames.AsSpan(position * channels, count).CopyTo(destination[written..]);
            written += count;
            position = 0;
        }
    }

    /// <summary>Returns the frames of the window ending at frame <paramref name="end"/> of the stream,
    /// channel-major (all samples of channel 0, then channel 1, ...), as a preprocessor expects.</summary>
    public float[] ReadChannelMajor(long end, int windowSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(end, windowSamples);
        var interleaved = Read(end - windowSamples, windowSamples);
        var channels = ChannelNames.Count;
        var result = new float[interleaved.Length];
        for (var t = 0; t < windowSamples; t++)
        {
            for (var c = 0; c < channels; c++)
            {
                result[(c * windowSamples) + t] = interleaved[(t * channels) + c];
            }
        }

        return result;
    }
}
