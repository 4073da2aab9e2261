using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Export;
using SsdEdge.Trainer.Model;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Export;

public sealed class OnnxExporterTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<GraphOptimizationLevel> OptimizationLevels { get; } =
    [
        GraphOptimizationLevel.ORT_DISABLE_ALL,
        GraphOptimizationLevel.ORT_ENABLE_ALL,
    ];

    [Theory]
    [MemberData(nameof(OptimizationLevels))]
    public void Export_ReferenceWeights_MatchesReferenceLogits(GraphOptimizationLevel level)
    {
        var model = ReferenceModel.Export();
        var input = ReferenceModel.ReadTensor("input.npy");
        var expected = ReferenceModel.ReadTensor("logits.npy");

        var logits = ReferenceModel.Run(model, level, input.Data, [4, 1, 2816], "logits")[0];

        Assert.InRange(ReferenceModel.MaxAbsoluteDifference(logits, expected.Data), 0, Tolerance);
    }

    [Theory]
    [MemberData(nameof(OptimizationLevels))]
    public void Export_WithFeatures_MatchesReferenceFeatures(GraphOptimizationLevel level)
    {
        var model = ReferenceModel.Export(new OnnxExportOptions { IncludeFeatures = true });
        var input = ReferenceModel.ReadTensor("input.npy");
        var expected = ReferenceModel.ReadTensor("features.npy");

        var features = ReferenceModel.Run(model, level, input.Data, [4, 1, 2816], "features")[0];

        Assert.InRange(ReferenceModel.MaxAbsoluteDifference(features, expected.Data), 0, Tolerance);
    }

    [Fact]
    public void Export_UnfoldedBatchNorm_MatchesReferenceLogits()
    {
        var model = ReferenceModel.Export(new OnnxExportOptions { FoldBatchNorm = false });
        var input = ReferenceModel.ReadTensor("input.npy");
        var expected = ReferenceModel.ReadTensor("logits.npy");

        var logits = ReferenceModel.Run(
            model, GraphOptimizationLevel.ORT_DISABLE_ALL, input.Data, [4, 1, 2816], "logits")[0];

        Assert.InRange(ReferenceModel.MaxAbsoluteDifference(logits, expected.Data), 0, Tolerance);
        // 24 BatchNorms, less the 4 of the value TCNs, which share the key TCNs' weights.
        Assert.Equal(20, ModelProto.Parser.ParseFrom(model).Graph.Node.Count(n => n.OpType == "BatchNormalization"));
    }

    [Fact]
    public void Export_ReferenceWeights_ProbabilitiesAreSoftmaxOfLogits()
    {
        var model = ReferenceModel.Export();
        var input = ReferenceModel.ReadTensor("input.npy");

        var outputs = ReferenceModel.Run(
            model, GraphOptimizationLevel.ORT_ENABLE_ALL, input.Data, [4, 1, 2816], "logits", "probabilities");

        for (var row = 0; row < 4; row++)
        {
            var logit0 = outputs[0][row * 2];
            var logit1 = outputs[0][(row * 2) + 1];
            var expectedPain = 1.0 / (1.0 + Math.Exp(logit0 - logit1));
            Assert.Equal(expectedPain, outputs[1][(row * 2) + 1], 1e-6);
        }
    }

    [Fact]
    public void Export_BatchOfSeven_MatchesSingleWindowRuns()
    {
        var model = ReferenceModel.Export();
        var random = new Random(7);
        var batch = new float[7 * 2816];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var together = ReferenceModel.Run(
            model, GraphOptimizationLevel.ORT_ENABLE_ALL, batch, [7, 1, 2816], "logits")[0];

        for (var row = 0; row < 7; row++)
        {
            var window = batch.AsSpan(row * 2816, 2816).ToArray();
            var alone = ReferenceModel.Run(
                model, GraphOptimizationLevel.ORT_ENABLE_ALL, window, [1, 1, 2816], "logits")[0];
            Assert.InRange(ReferenceModel.MaxAbsoluteDifference(alone, together[(row * 2)..((row * 2) + 2)]), 0, 1e-5);
        }
    }

    [Fact]
    public void Export_Model_DeclaresOpset17AndIrVersion8()
    {
        var model = ModelProto.Parser.ParseFrom(ReferenceModel.Export());

        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
        Assert.Equal("ssdedge-trainer", model.ProducerName);
        Assert.Equal("1.2.3-test", model.ProducerVersion);
        Assert.Contains("PainAttnNet", model.DocString, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_Model_HasSymbolicBatchDimension()
    {
        var bytes = ReferenceModel.Export(new OnnxExportOptions { IncludeFeatures = true });
        var graph = ModelProto.Parser.ParseFrom(bytes).Graph;

        var input = Assert.Single(graph.Input);
        Assert.Equal("input", input.Name);
        Assert.Equal(["batch", "1", "2816"], Dims(input));
        Assert.Equal(["logits", "probabilities", "features"], graph.Output.Select(o => o.Name));
        Assert.Equal(["batch", "2"], Dims(graph.Output[0]));
        Assert.Equal(["batch", "2"], Dims(graph.Output[1]));
        Assert.Equal(["batch", "30", "75"], Dims(graph.Output[2]));
    }

    [Fact]
    public void Export_WithoutFeatures_HasTwoOutputs()
    {
        var graph = ModelProto.Parser.ParseFrom(ReferenceModel.Export()).Graph;

        Assert.Equal(["logits", "probabilities"], graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void Export_FoldedModel_HasNoBatchNorm()
    {
        var graph = ModelProto.Parser.ParseFrom(ReferenceModel.Export()).Graph;
        var opTypes = graph.Node.Select(n => n.OpType).ToHashSet();

        Assert.DoesNotContain("BatchNormalization", opTypes);
        Assert.DoesNotContain("Dropout", opTypes);
        Assert.DoesNotContain("Constant", opTypes);
        Assert.Equal(3, graph.Node.Count(n => n.OpType == "LayerNormalization"));
        Assert.Equal(3, graph.Node.Count(n => n.OpType == "Softmax"));
        Assert.Equal(9, graph.Node.Count(n => n.OpType == "Erf"));
        Assert.Contains(graph.Initializer, i => i.Name == "mscn.short_scale.0.weight_folded");
        Assert.Contains(graph.Initializer, i => i.Name == "mscn.short_scale.0.bias_folded");
        Assert.Contains(graph.Initializer, i => i.Name == "mscn.fc_short.weight_transposed");
    }

    [Fact]
    public void Export_SharedTcnWeights_ComputedOnce()
    {
        // The published model registers one TCN object as both self_attn.tcn.0 and .1.
        var graph = ModelProto.Parser.ParseFrom(ReferenceModel.Export()).Graph;

        Assert.Equal(8, graph.Node.Count(n => n.OpType == "Slice"));
        Assert.Equal(20, graph.Node.Count(n => n.OpType == "Conv"));
        Assert.DoesNotContain(
            graph.Initializer,
            i => i.Name.StartsWith("encoderWrapper.layers.0.self_attn.tcn.1.", StringComparison.Ordinal));
    }

    [Fact]
    public void Export_DistinctKeyAndValueTcn_KeepsBoth()
    {
        var stateDict = ReferenceModel.LoadStateDict();
        try
        {
            var key = "encoderWrapper.layers.0.self_attn.tcn.1.conv1.weight";
            var changed = stateDict[key] * 1.5f;
            stateDict[key].Dispose();
            stateDict[key] = changed;

            var graph = OnnxExporter.BuildModel(stateDict, ReferenceModel.Config, ReferenceModel.Contract()).Graph;

            Assert.Equal(10, graph.Node.Count(n => n.OpType == "Slice"));
            Assert.Contains(
                graph.Initializer,
                i => i.Name == "encoderWrapper.layers.0.self_attn.tcn.1.conv1.weight_folded");
        }
        finally
        {
            ReferenceModel.DisposeAll(stateDict);
        }
    }

    [Fact]
    public void Export_ReduceMean_UsesAxesAttribute()
    {
        var graph = ModelProto.Parser.ParseFrom(ReferenceModel.Export()).Graph;

        var reduceMean = Assert.Single(graph.Node, n => n.OpType == "ReduceMean");
        Assert.Equal([2L], reduceMean.Attribute.Single(a => a.Name == "axes").Ints);
        Assert.Single(reduceMean.Input);
    }

    [Fact]
    public void Export_Model_StoresContractAndFlatKeys()
    {
        var model = ModelProto.Parser.ParseFrom(ReferenceModel.Export());
        var metadata = model.MetadataProps.ToDictionary(e => e.Key, e => e.Value);

        var contract = SignalContractJson.Deserialize(metadata[SignalContractJson.MetadataKey], "metadata");
        Assert.Equal("reference-fold0", contract.ModelId);
        Assert.Equal("eda", metadata["ssdedge.channels"]);
        Assert.Equal("512", metadata["ssdedge.sampling_rate_hz"]);
        Assert.Equal("2816", metadata["ssdedge.window_samples"]);
        Assert.Equal("no_pain,pain", metadata["ssdedge.class_labels"]);
        Assert.Equal("0.6", metadata["ssdedge.decision_threshold"]);
        Assert.Equal("reference-fold0", metadata["ssdedge.model_id"]);
        Assert.Equal("1.2.3-test", metadata["ssdedge.producer_version"]);
    }

    [Fact]
    public void Export_SameWeightsTwice_WritesIdenticalBytes()
    {
        var first = ReferenceModel.Export();
        var second = ReferenceModel.Export();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Export_MissingWeight_ThrowsNamingKey()
    {
        var stateDict = ReferenceModel.LoadStateDict();
        try
        {
            stateDict.Remove("seresnet.layer.0.bn2.running_var", out var removed);
            removed!.Dispose();

            var error = Assert.Throws<OnnxExportException>(
                () => OnnxExporter.Export(stateDict, ReferenceModel.Config, ReferenceModel.Contract()));

            Assert.Contains("'seresnet.layer.0.bn2.running_var'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            ReferenceModel.DisposeAll(stateDict);
        }
    }

    [Fact]
    public void Export_WrongShape_ThrowsWithBothShapes()
    {
        var stateDict = ReferenceModel.LoadStateDict();
        try
        {
            stateDict["mscn.fc_short.weight"].Dispose();
            stateDict["mscn.fc_short.weight"] = zeros(75, 61);

            var error = Assert.Throws<OnnxExportException>(
                () => OnnxExporter.Export(stateDict, ReferenceModel.Config, ReferenceModel.Contract()));

            Assert.Contains("(75, 61)", error.Message, StringComparison.Ordinal);
            Assert.Contains("(75, 60)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            ReferenceModel.DisposeAll(stateDict);
        }
    }

    [Fact]
    public void Export_UnknownExtraWeight_ThrowsNamingIt()
    {
        var stateDict = ReferenceModel.LoadStateDict();
        try
        {
            stateDict["fusion.fc.weight"] = zeros(2, 4);

            var error = Assert.Throws<OnnxExportException>(
                () => OnnxExporter.Export(stateDict, ReferenceModel.Config, ReferenceModel.Contract()));

            Assert.Contains("fusion.fc.weight", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            ReferenceModel.DisposeAll(stateDict);
        }
    }

    [Fact]
    public void Export_ContractChannelMismatch_Throws()
    {
        var contract = ReferenceModel.Contract() with
        {
            Channels =
            [
                new ContractChannel("eda", Signals.ChannelKind.Eda, "uS", 512),
                new ContractChannel("ecg", Signals.ChannelKind.Ecg, "mV", 512),
            ],
        };
        var stateDict = ReferenceModel.LoadStateDict();
        try
        {
            var error = Assert.Throws<OnnxExportException>(
                () => OnnxExporter.Export(stateDict, ReferenceModel.Config, contract));

            Assert.Contains("2 channels", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            ReferenceModel.DisposeAll(stateDict);
        }
    }

    [Fact]
    public void Export_ThreeChannelConfig_Runs()
    {
        var config = new PainAttnNetConfig { InputChannels = 3, WindowSamples = 2560, Classes = 3 };
        var stateDict = RandomStateDict(config);
        var contract = ReferenceModel.Contract() with
        {
            Channels =
            [
                new ContractChannel("eda", Signals.ChannelKind.Eda, "uS", 512),
                new ContractChannel("ecg", Signals.ChannelKind.Ecg, "mV", 512),
                new ContractChannel("emg", Signals.ChannelKind.Emg, "mV", 512),
            ],
            WindowSamples = 2560,
            ClassLabels = ["none", "low", "high"],
        };
        try
        {
            var model = OnnxExporter.Export(stateDict, config, contract);
            var probabilities = ReferenceModel.Run(
                model,
                GraphOptimizationLevel.ORT_ENABLE_ALL,
                new float[2 * 3 * 2560],
                [2, 3, 2560],
                "probabilities")[0];

            Assert.Equal(6, probabilities.Length);
            Assert.Equal(1.0, probabilities[0] + probabilities[1] + probabilities[2], 1e-5);
        }
        finally
        {
            ReferenceModel.DisposeAll(stateDict);
        }
    }

    [Fact]
    public void Export_Model_PassesOnnxCheckerWhenAvailable()
    {
        const string Python = "/usr/bin/python3";
        if (!File.Exists(Python) || RunProcess(Python, "-c", "import onnx").ExitCode != 0)
        {
            Assert.Skip("/usr/bin/python3 with the onnx module (Debian python3-onnx) is not installed.");
        }

        var path = Path.Combine(Path.GetTempPath(), $"ssdedge-checker-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, ReferenceModel.Export(new OnnxExportOptions { IncludeFeatures = true }));
            var script = "import onnx, sys; "
                + "onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)";

            var (exitCode, output) = RunProcess(Python, "-c", script, path);

            Assert.True(exitCode == 0, $"onnx.checker rejected the model: {output}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string[] Dims(ValueInfoProto value) => value.Type.TensorType.Shape.Dim
        .Select(d => string.IsNullOrEmpty(d.DimParam)
            ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : d.DimParam)
        .ToArray();

    // Every entry the reference lists, with the shapes that a model of this config has.
    private static Dictionary<string, Tensor> RandomStateDict(PainAttnNetConfig config)
    {
        var reference = ReferenceModel.LoadStateDict();
        var (shortLength, mediumLength, longLength) = config.BranchLengths();
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var generator = manual_seed(3);
        foreach (var (key, tensor) in reference)
        {
            var shape = tensor.shape.ToArray();
            if (key.EndsWith("scale.0.weight", StringComparison.Ordinal))
            {
                shape[1] = config.InputChannels;
            }

            shape = key switch
            {
                "mscn.fc_short.weight" => [config.FeatureSteps, shortLength],
                "mscn.fc_medium.weight" => [config.FeatureSteps, mediumLength],
                "mscn.fc_long.weight" => [config.FeatureSteps, longLength],
                "fc.weight" => [config.Classes, config.FeatureLength],
                "fc.bias" => [config.Classes],
                _ => shape,
            };
            result[key] = key.EndsWith("running_var", StringComparison.Ordinal)
                ? rand(shape, generator: generator) + 0.5
                : tensor.dtype == ScalarType.Float32 ? randn(shape, generator: generator) * 0.1 : tensor.clone();
        }

        ReferenceModel.DisposeAll(reference);
        return result;
    }

    private static (int ExitCode, string Output) RunProcess(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
