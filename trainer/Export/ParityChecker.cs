using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.OnnxRuntime;
using SsdEdge.Contracts;

namespace SsdEdge.Trainer.Export;

/// <summary>
/// Runs the same input windows through an exported ONNX model in ONNX Runtime and through the
/// reference implementation (the TorchSharp model), and compares logits and probabilities.
/// </summary>
/// <remarks>
/// Every batch size in <see cref="ParityOptions.BatchSizes"/> runs with graph optimisation both
/// disabled (<c>ORT_DISABLE_ALL</c>) and fully enabled (<c>ORT_ENABLE_ALL</c>), because
/// optimisations such as fusions change rounding. The inputs are seeded standard-normal windows
/// of the model's input shape. Reference probabilities are the softmax of the reference logits,
/// computed in double precision. The model needs the outputs <c>logits</c> and
/// <c>probabilities</c>, as <see cref="OnnxExporter"/> writes them.
/// </remarks>
public static class ParityChecker
{
    /// <summary>File name of the report written beside the model by default.</summary>
    public const string ReportFileName = "parity.json";

    private static readonly GraphOptimizationLevel[] Levels =
    [
        GraphOptimizationLevel.ORT_DISABLE_ALL,
        GraphOptimizationLevel.ORT_ENABLE_ALL,
    ];

    private static readonly JsonSerializerOptions ReportJsonOptions = new(SignalContractJson.Options)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Measures the differences, writes the report, and throws if any exceeds the tolerance.</summary>
    /// <param name="onnxPath">The exported model.</param>
    /// <param name="forwardLogits">
    /// The reference forward pass: takes windows in C order (batch, channels, samples) and the batch
    /// size, and returns the logits in C order (batch, classes). It runs in inference mode.
    /// </param>
    /// <param name="options">Tolerance, batch sizes, seed and report path; null for the defaults.</param>
    /// <returns>The report, when every setting passed.</returns>
    /// <exception cref="OnnxExportException">
    /// A difference exceeds the tolerance, or an output is missing or misshapen.
    /// </exception>
    public static ParityReport Check(
        string onnxPath,
        Func<float[], int, float[]> forwardLogits,
        ParityOptions? options = null)
    {
        var report = Measure(onnxPath, forwardLogits, options);
        if (!report.Passed)
        {
            var failures = report.Results
                .Where(result => !result.Passed)
                .Select(result => string.Create(
                    CultureInfo.InvariantCulture,
                    $"{result.OptimizationLevel} batch {result.BatchSize}: logits {result.MaxLogitDifference:G3}, "
                    + $"probabilities {result.MaxProbabilityDifference:G3}"));
            var tolerance = report.Tolerance.ToString("G3", CultureInfo.InvariantCulture);
            throw new OnnxExportException(
                $"{onnxPath}: ONNX Runtime and the reference differ by more than {tolerance} "
                + $"({string.Join("; ", failures)}). The export does not reproduce the model.");
        }

        return report;
    }

    /// <summary>Measures the differences and writes the report without judging them.</summary>
    /// <exception cref="OnnxExportException">An output is missing or misshapen.</exception>
    public static ParityReport Measure(
        string onnxPath,
        Func<float[], int, float[]> forwardLogits,
        ParityOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        ArgumentNullException.ThrowIfNull(forwardLogits);
        options ??= new ParityOptions();
        if (options.BatchSizes.Count == 0 || options.BatchSizes.Any(size => size < 1))
        {
            throw new ArgumentException(
                $"Parity batch sizes must be positive and not empty; got [{string.Join(", ", options.BatchSizes)}].",
                nameof(options));
        }

        var (windowLength, classes) = ReadShape(onnxPath);
        var real = options.RealWindows ?? Array.Empty<float>();
        if (real.Length % windowLength != 0)
        {
            throw new ArgumentException(
                $"Real parity windows hold {real.Length} values, not a multiple of the model's {windowLength} "
                + "values per window.",
                nameof(options));
        }

        // Real windows come first, so the small batches run on real signals; one extra batch of
        // every window also covers the seeded random ones.
        var random = StandardNormal(options.BatchSizes.Max() * windowLength, options.Seed);
        var windows = real.Concat(random).ToArray();
        var batchSizes = options.BatchSizes.ToList();
        if (real.Length > 0)
        {
            batchSizes.Add(windows.Length / windowLength);
        }

        // The reference runs once per batch size; ONNX Runtime once per level and batch size.
        var referenceLogits = new Dictionary<int, float[]>();
        foreach (var batchSize in batchSizes.Distinct())
        {
            var batch = windows[..(batchSize * windowLength)];
            var logits = forwardLogits(batch, batchSize);
            if (logits is null || logits.Length != batchSize * classes)
            {
                throw new OnnxExportException(
                    $"The reference forward pass returned {logits?.Length ?? 0} logits for a batch of {batchSize}; "
                    + $"expected {batchSize * classes} ({classes} classes per window).");
            }

            referenceLogits[batchSize] = logits;
        }

        var results = new List<ParityResult>();
        foreach (var level in Levels)
        {
            using var sessionOptions = new SessionOptions { GraphOptimizationLevel = level };
            using var session = new InferenceSession(onnxPath, sessionOptions);
            foreach (var batchSize in batchSizes)
            {
                var batch = windows[..(batchSize * windowLength)];
                var (logits, probabilities) = RunOnnx(session, batch, batchSize, windowLength);
                var expectedLogits = referenceLogits[batchSize];
                var logitDifference = MaxAbsoluteDifference(logits, expectedLogits);
                var probabilityDifference = MaxAbsoluteDifference(probabilities, Softmax(expectedLogits, classes));
                var passed = logitDifference <= options.Tolerance && probabilityDifference <= options.Tolerance;
                results.Add(new ParityResult(
                    level.ToString(), batchSize, logitDifference, probabilityDifference, passed));
            }
        }

        var report = new ParityReport(onnxPath, options.Tolerance, results);
        var modelDirectory = Path.GetDirectoryName(Path.GetFullPath(onnxPath))!;
        WriteReport(report, options.ReportPath ?? Path.Combine(modelDirectory, ReportFileName));
        return report;
    }

    // Input (batch, channels, samples) and output (batch, classes) dimensions from the model.
    private static (int WindowLength, int Classes) ReadShape(string onnxPath)
    {
        using var session = new InferenceSession(onnxPath);
        var input = session.InputMetadata.Values.First();
        if (!session.OutputMetadata.TryGetValue("logits", out var logits)
            || !session.OutputMetadata.ContainsKey("probabilities"))
        {
            throw new OnnxExportException(
                $"{onnxPath}: the model needs outputs 'logits' and 'probabilities'; it has "
                + $"{string.Join(", ", session.OutputMetadata.Keys)}.");
        }

        var inputDims = input.Dimensions;
        var logitDims = logits.Dimensions;
        if (inputDims.Length != 3 || inputDims[1] < 1 || inputDims[2] < 1 || logitDims.Length != 2 || logitDims[1] < 1)
        {
            throw new OnnxExportException(
                $"{onnxPath}: expected input (batch, channels, samples) and logits (batch, classes) "
                + "with fixed sizes except the batch; "
                + $"got ({string.Join(", ", inputDims)}) and ({string.Join(", ", logits.Dimensions)}).");
        }

        return (inputDims[1] * inputDims[2], logits.Dimensions[1]);
    }

    private static (float[] Logits, float[] Probabilities) RunOnnx(
        InferenceSession session,
        float[] batch,
        int batchSize,
        int windowLength)
    {
        var inputMetadata = session.InputMetadata.First();
        long[] shape = [batchSize, inputMetadata.Value.Dimensions[1], windowLength / inputMetadata.Value.Dimensions[1]];
        using var input = OrtValue.CreateTensorValueFromMemory(batch, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputMetadata.Key], [input], ["logits", "probabilities"]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    private static float[] StandardNormal(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller; 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
            var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            values[i] = (float)(radius * Math.Cos(2.0 * Math.PI * random.NextDouble()));
        }

        return values;
    }

    private static float[] Softmax(float[] logits, int classes)
    {
        var probabilities = new float[logits.Length];
        for (var row = 0; row < logits.Length / classes; row++)
        {
            var slice = logits.AsSpan(row * classes, classes);
            double max = float.NegativeInfinity;
            foreach (var logit in slice)
            {
                max = Math.Max(max, logit);
            }

            var sum = 0.0;
            foreach (var logit in slice)
            {
                sum += Math.Exp(logit - max);
            }

            for (var c = 0; c < classes; c++)
            {
                probabilities[(row * classes) + c] = (float)(Math.Exp(slice[c] - max) / sum);
            }
        }

        return probabilities;
    }

    // NaN on either side makes the difference NaN, which never passes a tolerance check.
    private static double MaxAbsoluteDifference(float[] actual, float[] expected)
    {
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var difference = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(difference))
            {
                return double.NaN;
            }

            max = Math.Max(max, difference);
        }

        return max;
    }

    /// <summary>Writes <paramref name="report"/> as JSON to <paramref name="path"/>.</summary>
    public static void WriteReport(ParityReport report, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var document = new
        {
            report.ModelPath,
            report.Tolerance,
            report.Passed,
            report.MaxLogitDifference,
            report.MaxProbabilityDifference,
            report.Results,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, ReportJsonOptions));
    }
}
