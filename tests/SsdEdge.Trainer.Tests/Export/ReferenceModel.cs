using System.Collections;
using Microsoft.ML.OnnxRuntime;
using SsdEdge.Contracts;
using SsdEdge.Numerics;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;
using SsdEdge.Tests;
using SsdEdge.Trainer.Export;
using SsdEdge.Trainer.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Export;

/// <summary>The published PainAttnNet weights and tensors, and helpers to run a model in ONNX Runtime.</summary>
internal static class ReferenceModel
{
    public static PainAttnNetConfig Config { get; } = new();

    /// <summary>Reads the reference state dict; the caller disposes the tensors.</summary>
    public static Dictionary<string, Tensor> LoadStateDict()
    {
        var table = PyTorchUnpickler.UnpickleStateDict(TestData.PathOf("reference/painattnnet_reference.pt"));
        var stateDict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            stateDict.Add((string)entry.Key, (Tensor)entry.Value!);
        }

        return stateDict;
    }

    public static NpyArray ReadTensor(string name) => NpyFile.Read(TestData.PathOf($"reference/{name}"));

    /// <summary>One EDA channel at 512 Hz, 2816-sample windows, two classes.</summary>
    public static SignalContract Contract() => new()
    {
        Channels = [new ContractChannel("eda", ChannelKind.Eda, "uS", 512)],
        ModelRateHz = 512,
        WindowSamples = 2816,
        Preprocessing = new PreprocessingSpec
        {
            Filters = [new FilterSpec("eda", FilterKind.LowPass, 5.0, Order: 4)],
        },
        ClassLabels = ["no_pain", "pain"],
        DecisionThreshold = 0.6,
        ModelId = "reference-fold0",
        RunId = "reference",
        Fold = 0,
        ProducerVersion = "1.2.3-test",
        CreatedUtc = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    public static byte[] Export(OnnxExportOptions? options = null)
    {
        var stateDict = LoadStateDict();
        try
        {
            return OnnxExporter.Export(stateDict, Config, Contract(), options);
        }
        finally
        {
            DisposeAll(stateDict);
        }
    }

    public static void DisposeAll(Dictionary<string, Tensor> stateDict)
    {
        foreach (var tensor in stateDict.Values)
        {
            tensor.Dispose();
        }
    }

    /// <summary>Runs <paramref name="model"/> on one batch and returns the named outputs.</summary>
    public static float[][] Run(
        byte[] model,
        GraphOptimizationLevel level,
        float[] input,
        long[] shape,
        params string[] outputNames)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = level, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(
            runOptions, [session.InputMetadata.Keys.First()], [inputValue], outputNames);
        return results.Select(result => result.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }

    public static double MaxAbsoluteDifference(float[] actual, float[] expected)
    {
        if (actual.Length != expected.Length)
        {
            return double.PositiveInfinity;
        }

        var max = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var difference = Math.Abs((double)actual[i] - expected[i]);
            max = double.IsNaN(difference) ? double.NaN : Math.Max(max, difference);
            if (double.IsNaN(max))
            {
                return max;
            }
        }

        return max;
    }
}
