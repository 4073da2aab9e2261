using System.Globalization;
using SsdEdge.Numerics;
using SsdEdge.Tests;
using SsdEdge.Trainer.Model;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Model;

public sealed class PainAttnNetTests
{
    private const float ReferenceTolerance = 1e-5f;

    [Fact]
    public void StateDict_DefaultConfig_MatchesReferenceKeysAndShapes()
    {
        var expected = File.ReadAllLines(TestData.PathOf("reference/state_dict_keys.txt"))
            .Where(line => line.Length > 0)
            .Select(ParseKeyLine)
            .ToList();
        using var model = new PainAttnNet(new PainAttnNetConfig());

        var actual = model.state_dict()
            .Select(entry => (entry.Key, Shape: string.Join("x", entry.Value.shape), Type: entry.Value.dtype))
            .ToList();

        Assert.Equal(194, expected.Count);
        Assert.Equal(expected.Select(entry => entry.Key).Order(), actual.Select(entry => entry.Key).Order());
        foreach (var (key, shape, type) in expected)
        {
            var match = actual.Single(entry => entry.Key == key);
            Assert.True(shape == match.Shape, $"{key}: reference shape {shape}, model shape {match.Shape}.");
            Assert.True(type == match.Type, $"{key}: reference dtype {type}, model dtype {match.Type}.");
        }
    }

    [Fact]
    public void ParameterCount_DefaultConfig_Is558308()
    {
        using var model = new PainAttnNet(new PainAttnNetConfig());

        Assert.Equal(558_308, model.ParameterCount);
    }

    [Theory]
    [InlineData("mscn")]
    [InlineData("seresnet")]
    [InlineData("features")]
    [InlineData("logits")]
    public void ForwardStages_ReferenceWeights_MatchReferenceTensors(string stage)
    {
        var input = NpyFile.Read(TestData.PathOf("reference/input.npy"));
        var expected = NpyFile.Read(TestData.PathOf($"reference/{stage}.npy"));
        using var scope = NewDisposeScope();
        using var model = LoadReferenceModel();

        using var noGrad = no_grad();
        var inputTensor = tensor(input.Data, input.Shape.Select(size => (long)size).ToArray());
        using var stages = model.ForwardStages(inputTensor);
        var output = stage switch
        {
            "mscn" => stages.Mscn,
            "seresnet" => stages.SeResNet,
            "features" => stages.Features,
            _ => stages.Logits,
        };

        Assert.Equal(expected.Shape.Select(size => (long)size), output.shape);
        var actual = output.contiguous().data<float>().ToArray();
        var worst = MaxAbsoluteDifference(expected.Data, actual);
        Assert.True(worst <= ReferenceTolerance, $"{stage}: max |difference| {worst:G3} > {ReferenceTolerance:G3}.");
    }

    [Fact]
    public void Forward_ThreeChannels1536Samples_ReturnsLogitsAndFeatures()
    {
        var config = new PainAttnNetConfig { InputChannels = 3, WindowSamples = 1536, Classes = 5 };
        using var scope = NewDisposeScope();
        using var model = new PainAttnNet(config);
        model.eval();
        var input = randn(2, 3, 1536);

        var logits = model.forward(input);
        var features = model.ExtractFeatures(input);

        Assert.Equal([2L, 5L], logits.shape);
        Assert.Equal([2L, 30L, 75L], features.shape);
        Assert.False(logits.isnan().any().item<bool>(), "logits contain NaN.");
    }

    [Fact]
    public void BranchLengths_DefaultConfig_AreReferenceLengths()
    {
        var lengths = new PainAttnNetConfig().BranchLengths();

        Assert.Equal((60, 12, 3), lengths);
    }

    [Fact]
    public void BranchLengths_1536Samples_AreDerived()
    {
        var lengths = new PainAttnNetConfig { WindowSamples = 1536 }.BranchLengths();

        Assert.Equal((33, 8, 2), lengths);
    }

    [Fact]
    public void Forward_WrongWindowLength_ThrowsWithShapes()
    {
        using var model = new PainAttnNet(new PainAttnNetConfig());
        using var input = zeros(1, 1, 1000);

        var error = Assert.Throws<ArgumentException>(() => model.forward(input));

        Assert.Contains("(batch, 1, 2816)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(1, 1, 1000)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WindowTooShort_Throws()
    {
        var config = new PainAttnNetConfig { WindowSamples = 200 };

        var error = Assert.Throws<ArgumentException>(() => new PainAttnNet(config));

        Assert.Contains("200 samples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_AttentionModule_DropoutChangesFeatures()
    {
        using var scope = NewDisposeScope();
        using var model = new PainAttnNet(new PainAttnNetConfig { WindowSamples = 1024 });
        model.eval();
        var attention = model.named_modules()
            .Single(entry => entry.name == "encoderWrapper.layers.0.self_attn.multihead_attention")
            .module;
        var input = randn(2, 1, 1024);
        using var noGrad = no_grad();
        var deterministic = model.ExtractFeatures(input);

        attention.train();
        var stochastic = model.ExtractFeatures(input);

        Assert.False(deterministic.allclose(stochastic), "attention dropout had no effect in training mode.");
    }

    internal static PainAttnNet LoadReferenceModel()
    {
        var model = new PainAttnNet(new PainAttnNetConfig());
        model.load_py(TestData.PathOf("reference/painattnnet_reference.pt"));
        model.eval();
        return model;
    }

    private static (string Key, string Shape, ScalarType Type) ParseKeyLine(string line)
    {
        var parts = line.Split(' ');
        var shape = parts[1] == "scalar" ? string.Empty : parts[1];
        var type = parts[2] switch
        {
            "float32" => ScalarType.Float32,
            "int64" => ScalarType.Int64,
            _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Unknown dtype in '{line}'.")),
        };
        return (parts[0], shape, type);
    }

    private static float MaxAbsoluteDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        return worst;
    }
}
