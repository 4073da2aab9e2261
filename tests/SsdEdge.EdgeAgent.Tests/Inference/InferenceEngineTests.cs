using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Numerics;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Inference;

public sealed class InferenceEngineTests : IDisposable
{
    private const double ProbabilityTolerance = 1e-4;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Run_ReferenceInputs_MatchReferenceLogitsAfterSoftmax()
    {
        var input = NpyFile.Read(TestData.PathOf("reference/input.npy"));
        var logits = NpyFile.Read(TestData.PathOf("reference/logits.npy"));
        using var model = OnnxModel.Load(
            TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract()), intraOpThreads: 1);
        using var engine = model.CreateEngine();
        var windows = input.Shape[0];
        var classes = logits.Shape[1];

        for (var w = 0; w < windows; w++)
        {
            var result = engine.Run(input.Data.AsSpan(w * engine.InputLength, engine.InputLength));

            var expected = new float[classes];
            InferenceEngine.Softmax(logits.Data.AsSpan(w * classes, classes), expected);
            for (var c = 0; c < classes; c++)
            {
                Assert.True(
                    Math.Abs(result.Probabilities[c] - expected[c]) <= ProbabilityTolerance,
                    $"window {w}, class {c}: got {result.Probabilities[c]}, expected {expected[c]}");
            }
        }
    }

    [Fact]
    public void Run_ReferenceInput_ReportsPositiveLatency()
    {
        var input = NpyFile.Read(TestData.PathOf("reference/input.npy"));
        using var model = OnnxModel.Load(
            TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract()), intraOpThreads: 1);
        using var engine = model.CreateEngine();

        var result = engine.Run(input.Data.AsSpan(0, engine.InputLength));

        Assert.True(result.LatencyMs > 0, $"latency {result.LatencyMs} ms");
        Assert.True(result.IsFinite);
    }

    [Fact]
    public void Run_SameInputTwice_GivesSameProbabilities()
    {
        var input = NpyFile.Read(TestData.PathOf("reference/input.npy"));
        using var model = OnnxModel.Load(
            TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract()), intraOpThreads: 1);
        using var engine = model.CreateEngine();

        var first = engine.Run(input.Data.AsSpan(0, engine.InputLength));
        _ = engine.Run(input.Data.AsSpan(engine.InputLength, engine.InputLength));
        var again = engine.Run(input.Data.AsSpan(0, engine.InputLength));

        Assert.Equal(first.Probabilities, again.Probabilities);
    }

    [Fact]
    public void Run_WrongInputLength_ThrowsNamingLengths()
    {
        using var model = OnnxModel.Load(
            TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract()), intraOpThreads: 1);
        using var engine = model.CreateEngine();

        var error = Assert.Throws<ArgumentException>(() => engine.Run(new float[100]));

        Assert.Contains("2816", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Softmax_LogOfThree_GivesQuarterAndThreeQuarters()
    {
        var probabilities = new float[2];

        InferenceEngine.Softmax([0f, MathF.Log(3f)], probabilities);

        Assert.Equal(0.25f, probabilities[0], 1e-6f);
        Assert.Equal(0.75f, probabilities[1], 1e-6f);
    }

    [Fact]
    public void Softmax_LargeLogits_StaysFinite()
    {
        var probabilities = new float[3];

        InferenceEngine.Softmax([1000f, 1000f, -1000f], probabilities);

        Assert.Equal(0.5f, probabilities[0], 1e-6f);
        Assert.Equal(0.5f, probabilities[1], 1e-6f);
        Assert.Equal(0f, probabilities[2], 1e-6f);
    }
}
