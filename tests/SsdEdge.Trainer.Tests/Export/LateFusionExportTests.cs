using Microsoft.ML.OnnxRuntime;
using Onnx;
using SsdEdge.Contracts;
using SsdEdge.Signals;
using SsdEdge.Trainer.Export;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Export;

/// <summary>The ONNX graph of a late-fusion model reproduces the TorchSharp model.</summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class LateFusionExportTests : IDisposable
{
    private const int Window = 1024;

    private static readonly PainAttnNetConfig LateConfig = new()
    {
        InputChannels = 3,
        WindowSamples = Window,
        Classes = 3,
        Fusion = PainAttnNetFusion.Late,
        FusionHiddenUnits = 32,
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-late-export-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Export_LateModel_PassesParity(bool foldBatchNorm)
    {
        using var model = TrainedLikeModel(31);
        var path = Path.Combine(_directory, "late.onnx");
        OnnxExporter.ExportToFile(
            model.state_dict(), LateConfig, Contract(), path, new OnnxExportOptions { FoldBatchNorm = foldBatchNorm });
        var predictor = new Predictor(model);

        var report = ParityChecker.Check(path, (batch, _) => predictor.Predict(batch).Logits);

        Assert.True(report.Passed);
        Assert.Equal(4, report.Results.Count);
        Assert.InRange(report.MaxProbabilityDifference, 0, new ParityOptions().Tolerance);
        Assert.InRange(report.MaxLogitDifference, 0, new ParityOptions().Tolerance);
    }

    [Fact]
    public void Export_LateModel_HasOneTrunkPerChannel()
    {
        using var model = TrainedLikeModel(32);

        var graph = OnnxExporter.BuildModel(model.state_dict(), LateConfig, Contract()).Graph;

        // Initializers with equal values are stored once, so only random weights are looked up.
        var initializers = graph.Initializer.Select(tensor => tensor.Name).ToHashSet(StringComparer.Ordinal);
        for (var channel = 0; channel < 3; channel++)
        {
            Assert.Contains($"trunks.{channel}.mscn.short_scale.0.weight_folded", initializers);
            Assert.Contains($"trunks.{channel}.encoderWrapper.layers.1.feed_forward.w_2.weight_transposed", initializers);
            Assert.Contains(graph.Node, node => node.Name == $"trunks.{channel}.input" && node.OpType == "Slice");
        }

        Assert.Contains("fusion.0.weight", initializers);
        Assert.Contains(graph.Node, node => node.Name == "fusion.concat" && node.OpType == "Concat");
        Assert.Contains(graph.Node, node => node.Name == "fusion.1" && node.OpType == "Relu");
        Assert.DoesNotContain("mscn.short_scale.0.weight_folded", initializers);
        Assert.DoesNotContain("encoderWrapper.norm.weight", initializers);
        Assert.Equal(["logits", "probabilities"], graph.Output.Select(output => output.Name));
    }

    [Fact]
    public void Export_LateFeatures_MatchExtractFeatures()
    {
        using var model = TrainedLikeModel(33);
        var bytes = OnnxExporter.Export(
            model.state_dict(), LateConfig, Contract(), new OnnxExportOptions { IncludeFeatures = true });
        var random = new Random(5);
        var input = Enumerable.Range(0, 2 * 3 * Window).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var expected = new Predictor(model).Predict(input, includeFeatures: true).Features!;

        var features = ReferenceModel.Run(
            bytes, GraphOptimizationLevel.ORT_ENABLE_ALL, input, [2, 3, Window], "features")[0];
        var output = ModelProto.Parser.ParseFrom(bytes).Graph.Output.Single(value => value.Name == "features");

        Assert.Equal(2 * 32, features.Length);
        Assert.Equal(2, output.Type.TensorType.Shape.Dim.Count);
        Assert.Equal(32, output.Type.TensorType.Shape.Dim[1].DimValue);
        Assert.InRange(ReferenceModel.MaxAbsoluteDifference(features, expected), 0, 1e-4);
    }

    // A late model with random weights and non-trivial BatchNorm statistics, in eval mode.
    private static PainAttnNet TrainedLikeModel(int seed)
    {
        manual_seed(seed);
        var model = new PainAttnNet(LateConfig);
        using (no_grad())
        {
            foreach (var (name, buffer) in model.named_buffers())
            {
                if (name.EndsWith("running_mean", StringComparison.Ordinal))
                {
                    buffer.copy_(randn_like(buffer) * 0.1);
                }
                else if (name.EndsWith("running_var", StringComparison.Ordinal))
                {
                    buffer.copy_(rand_like(buffer) + 0.5);
                }
            }
        }

        model.eval();
        return model;
    }

    private static SignalContract Contract() => ReferenceModel.Contract() with
    {
        Channels =
        [
            new ContractChannel("eda", ChannelKind.Eda, "uS", 512),
            new ContractChannel("ecg", ChannelKind.Ecg, "mV", 512),
            new ContractChannel("emg", ChannelKind.Emg, "mV", 512),
        ],
        WindowSamples = Window,
        ClassLabels = ["none", "low", "high"],
        PositiveClassIndex = 2,
    };
}
