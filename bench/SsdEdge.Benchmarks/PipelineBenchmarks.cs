using BenchmarkDotNet.Attributes;
using SsdEdge.EdgeAgent.Bench;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.Preprocessing;
using SsdEdge.Streaming;

namespace SsdEdge.Benchmarks;

/// <summary>The per-window steady state of the agent: preprocessing, windowing and inference on
/// the bundled model (or the model named by <c>SSDEDGE_BENCH_MODEL</c>).</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks : IDisposable
{
    private OnnxModel? _model;
    private InferenceEngine? _engine;
    private WindowPreprocessor? _preprocessor;
    private StreamingWindower? _windower;
    private WindowHandler? _onWindow;
    private float[] _rawWindow = [];
    private float[] _modelInput = [];
    private float[] _hop = [];
    private float[] _probabilities = [];

    /// <summary>Loads the model and cuts one window and one hop from the synthetic feed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _model = BenchInputs.LoadModel();
        _engine = _model.CreateEngine();
        var contract = _model.Contract;
        var feed = BenchInputs.Feed(contract);
        _preprocessor = new WindowPreprocessor(contract, feed.RateHz);
        _rawWindow = feed.ReadChannelMajor(_preprocessor.RawWindowSamples, _preprocessor.RawWindowSamples);
        _modelInput = new float[_preprocessor.ChannelCount * _preprocessor.ModelWindowSamples];
        _preprocessor.Process(_rawWindow, _modelInput);
        _probabilities = new float[_engine.ClassCount];

        var hopSamples = (int)feed.RateHz;
        _windower = new StreamingWindower(_preprocessor, hopSamples);
        _onWindow = static (in WindowReady _) => { };
        _windower.Append(feed.Read(0, _preprocessor.RawWindowSamples), _onWindow);
        _hop = feed.Read(_preprocessor.RawWindowSamples, hopSamples);
    }

    /// <summary>Quality gate, filters, resampling and normalisation of one raw window.</summary>
    [Benchmark]
    public QualityReport PreprocessWindow() => _preprocessor!.Process(_rawWindow, _modelInput);

    /// <summary>One hop appended to the streaming windower, which completes and preprocesses one window.</summary>
    [Benchmark]
    public void WindowerAppendHop() => _windower!.Append(_hop, _onWindow!);

    /// <summary>One batch-1 inference through the agent's engine, softmax included.</summary>
    [Benchmark]
    public double InferenceRun() => _engine!.Run(_modelInput, _probabilities);

    /// <inheritdoc />
    [GlobalCleanup]
    public void Dispose()
    {
        _engine?.Dispose();
        _model?.Dispose();
        GC.SuppressFinalize(this);
    }
}
