using SsdEdge.EdgeAgent.Bench;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Preprocessing;
using SsdEdge.Streaming;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Bench;

/// <summary>
/// The per-window path a deployed agent runs every hop (windowing, preprocessing, inference) must
/// allocate nothing on the managed heap once warm, so scoring never triggers a garbage collection.
/// These count bytes allocated on the test thread; they do not time anything.
/// </summary>
public sealed class SteadyStateAllocationTests : IDisposable
{
    private const int WarmupCalls = 10;
    private const int MeasuredCalls = 200;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void InferenceEngineRun_SteadyState_AllocatesNothing()
    {
        using var model = OnnxModel.Load(
            TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract()), intraOpThreads: 1);
        using var engine = model.CreateEngine();
        var input = new float[engine.InputLength];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = MathF.Sin(i * 0.01f);
        }

        var probabilities = new float[engine.ClassCount];
        for (var i = 0; i < WarmupCalls; i++)
        {
            engine.Run(input, probabilities);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < MeasuredCalls; i++)
        {
            engine.Run(input, probabilities);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(float.IsFinite(probabilities[0]));
    }

    [Fact]
    public void InferenceEngineRun_SpanOverload_MatchesArrayResult()
    {
        using var model = OnnxModel.Load(
            TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract()), intraOpThreads: 1);
        using var engine = model.CreateEngine();
        var input = new float[engine.InputLength];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = MathF.Cos(i * 0.02f);
        }

        var probabilities = new float[engine.ClassCount];
        engine.Run(input, probabilities);
        var result = engine.Run(input);

        Assert.Equal(result.Probabilities, probabilities);
    }

    [Fact]
    public void InferenceEngineRun_WrongProbabilityLength_Throws()
    {
        using var model = OnnxModel.Load(
            TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract()), intraOpThreads: 1);
        using var engine = model.CreateEngine();

        var error = Assert.Throws<ArgumentException>(
            () => engine.Run(new float[engine.InputLength], new float[engine.ClassCount + 1]));

        Assert.Contains("one per class", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(1000)]
    public void WindowerAppendWithInference_SteadyState_AllocatesNothing(double deviceRateHz)
    {
        using var model = OnnxModel.Load(BundledModelPath(), intraOpThreads: 1);
        using var engine = model.CreateEngine();
        var feed = new SyntheticFeed(model.Contract, deviceRateHz, seconds: 30, seed: 3);
        var preprocessor = new WindowPreprocessor(model.Contract, deviceRateHz);
        var hopSamples = (int)deviceRateHz;
        var windower = new StreamingWindower(preprocessor, hopSamples);
        var probabilities = new float[engine.ClassCount];
        var scored = 0;
        WindowHandler onWindow = (in WindowReady window) =>
        {
            if (window.Quality.Accepted)
            {
                engine.Run(window.ModelInput, probabilities);
                scored++;
            }
        };
        windower.Append(feed.Read(0, preprocessor.RawWindowSamples), onWindow);
        var hops = new float[WarmupCalls + MeasuredCalls][];
        for (var i = 0; i < hops.Length; i++)
        {
            hops[i] = feed.Read(preprocessor.RawWindowSamples + ((long)i * hopSamples), hopSamples);
        }

        for (var i = 0; i < WarmupCalls; i++)
        {
            windower.Append(hops[i], onWindow);
        }

        var scoredBefore = scored;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = WarmupCalls; i < hops.Length; i++)
        {
            windower.Append(hops[i], onWindow);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(MeasuredCalls, scored - scoredBefore);
    }

    private static string BundledModelPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "models", "synthetic-demo.onnx");
        Assert.True(File.Exists(path), $"the bundled model is missing from the test output: {path}");
        return path;
    }
}
