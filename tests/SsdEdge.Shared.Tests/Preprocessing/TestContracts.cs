using SsdEdge.Contracts;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;

namespace SsdEdge.Tests.Preprocessing;

/// <summary>Contracts and recordings shared by the preprocessing and streaming tests.</summary>
internal static class TestContracts
{
    public const double RawRateHz = 100;

    /// <summary>
    /// Three channels at 100 Hz, 5.5 s windows at 512 Hz (550 raw samples, 2816 model samples),
    /// a 20 Hz low-pass on every channel and a 0.5 Hz high-pass on the two EMG channels.
    /// </summary>
    public static SignalContract ThreeChannel(
        IReadOnlyList<FilterSpec>? filters = null,
        NormalizationKind normalization = NormalizationKind.ZScore,
        QualityGateOptions? quality = null) => new()
        {
            Channels =
            [
                new ContractChannel("eda", ChannelKind.Eda, "uS", RawRateHz),
                new ContractChannel("emg_corrugator", ChannelKind.Emg, "mV", RawRateHz),
                new ContractChannel("emg_zygomaticus", ChannelKind.Emg, "mV", RawRateHz),
            ],
            ModelRateHz = 512,
            WindowSamples = 2816,
            Preprocessing = new PreprocessingSpec
            {
                Filters = filters ??
                [
                    new FilterSpec("*", FilterKind.LowPass, 20, Order: 4),
                    new FilterSpec("emg_corrugator", FilterKind.HighPass, 0.5),
                    new FilterSpec("emg_zygomaticus", FilterKind.HighPass, 0.5),
                ],
                Normalization = normalization,
                Quality = quality ?? new QualityGateOptions
                {
                    MaxFlatLineSeconds = 2,
                    MaxClippingSeconds = 1,
                    MinStandardDeviation = 1e-4,
                },
            },
            ClassLabels = ["no_pain", "pain"],
        };

    /// <summary>
    /// A deterministic 3-channel recording, channel-major: a slow skin-conductance wave, and two
    /// EMG-like channels of seeded noise plus a sine each.
    /// </summary>
    public static float[][] Recording(int length, int seed)
    {
        var random = new Random(seed);
        var eda = new float[length];
        var corrugator = new float[length];
        var zygomaticus = new float[length];
        for (var t = 0; t < length; t++)
        {
            var seconds = t / RawRateHz;
            eda[t] = (float)(5 + (0.5 * Math.Sin(2 * Math.PI * 0.05 * seconds)) + (0.02 * Noise(random)));
            corrugator[t] = (float)((0.05 * Math.Sin(2 * Math.PI * 3 * seconds)) + (0.1 * Noise(random)));
            zygomaticus[t] = (float)((0.02 * Math.Sin(2 * Math.PI * 7.5 * seconds)) + (0.05 * Noise(random)));
        }

        return [eda, corrugator, zygomaticus];
    }

    /// <summary>Cuts samples [start, start + length) of every channel into one channel-major window.</summary>
    public static float[] ChannelMajorWindow(float[][] channels, long start, int length)
    {
        var window = new float[channels.Length * length];
        for (var c = 0; c < channels.Length; c++)
        {
            Array.Copy(channels[c], start, window, c * length, length);
        }

        return window;
    }

    /// <summary>Interleaves channel-major arrays by sample: t0c0, t0c1, ..., t1c0, ...</summary>
    public static float[] Interleave(float[][] channels)
    {
        var length = channels[0].Length;
        var frames = new float[channels.Length * length];
        for (var t = 0; t < length; t++)
        {
            for (var c = 0; c < channels.Length; c++)
            {
                frames[(t * channels.Length) + c] = channels[c][t];
            }
        }

        return frames;
    }

    private static double Noise(Random random) => (random.NextDouble() * 2) - 1;
}
