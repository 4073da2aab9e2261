using SsdEdge.Contracts;
using SsdEdge.EdgeAgent.Bench;
using SsdEdge.EdgeAgent.Inference;

namespace SsdEdge.Benchmarks;

/// <summary>Model and synthetic signals shared by the micro-benchmarks.</summary>
internal static class BenchInputs
{
    /// <summary>Environment variable that names the model to benchmark instead of the bundled one.</summary>
    public const string ModelVariable = "SSDEDGE_BENCH_MODEL";

    public const ulong Seed = 1;

    /// <summary>Sampling rate of the simulated device, in Hz.</summary>
    public const double DeviceRateHz = 512;

    /// <summary>
    /// Returns the model file: <see cref="ModelVariable"/> when set, else the bundled demo model
    /// beside the program or, from a BenchmarkDotNet child process, in the repository's
    /// <c>edge-agent/models</c> above the working directory.
    /// </summary>
    /// <exception cref="FileNotFoundException">No model was found.</exception>
    public static string ModelPath()
    {
        if (Environment.GetEnvironmentVariable(ModelVariable) is { Length: > 0 } path)
        {
            return path;
        }

        var besideProgram = Path.Combine(AppContext.BaseDirectory, "models", "synthetic-demo.onnx");
        if (File.Exists(besideProgram))
        {
            return besideProgram;
        }

        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null;
            directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "edge-agent", "models", "synthetic-demo.onnx");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"The bundled model synthetic-demo.onnx was not found; set {ModelVariable} to a model file.");
    }

    public static OnnxModel LoadModel() => OnnxModel.Load(ModelPath(), intraOpThreads: 1);

    public static SyntheticFeed Feed(SignalContract contract, double rateHz = DeviceRateHz) =>
        new(contract, rateHz, seconds: 30, Seed);
}
