using SsdEdge.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>Copies windows into input and label tensors of a batch.</summary>
internal static class WindowBatches
{
    /// <summary>
    /// Creates a (count, channels, samples) tensor on <paramref name="device"/> from windows in C order.
    /// </summary>
    public static Tensor Inputs(
        ReadOnlySpan<float> values,
        IReadOnlyList<int> windowIndices,
        int channels,
        int samples,
        Device device)
    {
        var windowSize = channels * samples;
        var buffer = new float[windowIndices.Count * windowSize];
        for (var i = 0; i < windowIndices.Count; i++)
        {
            values.Slice(windowIndices[i] * windowSize, windowSize).CopyTo(buffer.AsSpan(i * windowSize));
        }

        using var onCpu = tensor(buffer, [windowIndices.Count, channels, samples]);
        return onCpu.to(device);
    }

    /// <summary>Creates an int64 label tensor on <paramref name="device"/>.</summary>
    public static Tensor Labels(int[] labels, IReadOnlyList<int> windowIndices, Device device)
    {
        var buffer = new long[windowIndices.Count];
        for (var i = 0; i < windowIndices.Count; i++)
        {
            buffer[i] = labels[windowIndices[i]];
        }

        using var onCpu = tensor(buffer, [windowIndices.Count]);
        return onCpu.to(device);
    }

    /// <summary>Checks that a dataset fits the model's input shape and class count.</summary>
    /// <exception cref="ArgumentException">The shapes or class counts differ.</exception>
    public static void CheckCompatible(WindowDataset data, Model.PainAttnNetConfig config, string role)
    {
        if (data.ChannelCount != config.InputChannels || data.WindowSamples != config.WindowSamples)
        {
            throw new ArgumentException(
                $"The {role} set has windows of {data.ChannelCount}x{data.WindowSamples} but the model expects "
                + $"{config.InputChannels}x{config.WindowSamples} (channels x samples).",
                role);
        }

        if (data.ClassLabels.Count != config.Classes)
        {
            throw new ArgumentException(
                $"The {role} set has {data.ClassLabels.Count} classes ({string.Join(", ", data.ClassLabels)}) "
                + $"but the model has {config.Classes} outputs.",
                role);
        }
    }
}
