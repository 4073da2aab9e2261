using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>Resolves a device name from the options into a torch device.</summary>
public static class TrainingDevice
{
    /// <summary>
    /// Returns the device for <paramref name="name"/>: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, or
    /// <c>auto</c> for CUDA when it is available and the CPU otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of those forms.</exception>
    /// <exception cref="InvalidOperationException">CUDA was requested but is not available.</exception>
    public static Device Resolve(string name)
    {
        var parsed = Parse(name);
        if (parsed == "auto")
        {
            return cuda.is_available() ? CUDA : CPU;
        }

        if (parsed.StartsWith("cuda", StringComparison.Ordinal) && !cuda.is_available())
        {
            throw new InvalidOperationException(
                $"Device '{name}' was requested but CUDA is not available in this libtorch build; "
                + "use 'cpu' or 'auto', or build with SsdEdgeUseCuda=true on a CUDA host.");
        }

        return new Device(parsed);
    }

    internal static string Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.Trim().ToLowerInvariant();
        var valid = normalized is "cpu" or "cuda" or "auto"
            || (normalized.StartsWith("cuda:", StringComparison.Ordinal)
                && int.TryParse(normalized.AsSpan(5), out var index)
                && index >= 0);
        if (!valid)
        {
            throw new ArgumentException(
                $"Unknown device '{name}'; expected cpu, cuda, cuda:N or auto.",
                nameof(name));
        }

        return normalized;
    }
}
