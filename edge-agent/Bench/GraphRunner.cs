using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SsdEdge.EdgeAgent.Inference;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// Runs an ONNX graph that carries no signal contract at batch 1, with the agent's session options
/// and the same pinned, bound buffers as <see cref="InferenceEngine"/>, so that a comparison
/// measures the graphs and not the calling code.
/// </summary>
/// <remarks>The graph needs one float input shaped (batch, channels, samples) and a float output
/// shaped (batch, classes); it reads <c>logits</c> or <c>probabilities</c> when present, else the
/// first output. Not thread-safe.</remarks>
public sealed class GraphRunner : IDisposable
{
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly float[] _inputBuffer;
    private readonly float[] _outputBuffer;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();

    /// <summary>Opens <paramref name="path"/> for windows of <paramref name="channels"/> ×
    /// <paramref name="samples"/> values.</summary>
    /// <exception cref="InvalidDataException">The graph cannot be loaded, or its input or output
    /// does not have the shape described above.</exception>
    public GraphRunner(string path, int threads, bool allowSpinning, int channels, int samples)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: file not found.");
        }

        _sessionOptions = OnnxModel.CreateSessionOptions(threads, allowSpinning);
        try
        {
            _session = new InferenceSession(path, _sessionOptions);
            var inputName = CheckInput(path, _session, channels, samples);
            var (outputName, classes) = FindOutput(path, _session);
            _inputBuffer = new float[channels * samples];
            _outputBuffer = new float[classes];
            _inputValue = OrtValue.CreateTensorValueFromMemory(_inputBuffer, [1, channels, samples]);
            _outputValue = OrtValue.CreateTensorValueFromMemory(_outputBuffer, [1, classes]);
            _binding = _session.CreateIoBinding();
            _binding.BindInput(inputName, _inputValue);
            _binding.BindOutput(outputName, _outputValue);
        }
        catch (OnnxRuntimeException ex)
        {
            Dispose();
            throw new InvalidDataException($"{path}: ONNX Runtime cannot load the graph: {ex.Message}", ex);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Output values of the last run.</summary>
    public ReadOnlySpan<float> Output => _outputBuffer;

    /// <summary>Copies <paramref name="input"/> in, runs the graph and returns the time taken, in ms.</summary>
    /// <exception cref="ArgumentException">The input has the wrong length.</exception>
    public double Run(ReadOnlySpan<float> input)
    {
        if (input.Length != _inputBuffer.Length)
        {
            throw new ArgumentException(
                $"The input must have {_inputBuffer.Length} values; got {input.Length}.", nameof(input));
        }

        var start = Stopwatch.GetTimestamp();
        input.CopyTo(_inputBuffer);
        _session.RunWithBinding(_runOptions, _binding);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _binding?.Dispose();
        _inputValue?.Dispose();
        _outputValue?.Dispose();
        _session?.Dispose();
        _runOptions.Dispose();
        _sessionOptions.Dispose();
    }

    private static string CheckInput(string path, InferenceSession session, int channels, int samples)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new InvalidDataException(
                $"{path}: expected one input, found {session.InputMetadata.Count}.");
        }

        var (name, metadata) = session.InputMetadata.First();
        var dims = metadata.Dimensions;
        var fits = metadata.IsTensor
            && metadata.ElementDataType == TensorElementType.Float
            && dims.Length == 3
            && (dims[0] < 0 || dims[0] == 1)
            && (dims[1] < 0 || dims[1] == channels)
            && (dims[2] < 0 || dims[2] == samples);
        if (!fits)
        {
            throw new InvalidDataException(
                $"{path}: input '{name}' is {metadata.ElementDataType} ({string.Join(", ", dims)}); "
                + $"the model to compare with takes float (batch, {channels}, {samples}).");
        }

        return name;
    }

    private static (string Name, int Classes) FindOutput(string path, InferenceSession session)
    {
        var outputs = session.OutputMetadata;
        var name = outputs.ContainsKey(OnnxModel.LogitsOutputName) ? OnnxModel.LogitsOutputName
            : outputs.ContainsKey(OnnxModel.ProbabilitiesOutputName) ? OnnxModel.ProbabilitiesOutputName
            : outputs.Keys.First();
        var metadata = outputs[name];
        var dims = metadata.Dimensions;
        if (!metadata.IsTensor
            || metadata.ElementDataType != TensorElementType.Float
            || dims.Length != 2
            || dims[1] <= 0)
        {
            throw new InvalidDataException(
                $"{path}: output '{name}' is {metadata.ElementDataType} ({string.Join(", ", dims)}); "
                + "expected float (batch, classes) with a fixed class count.");
        }

        return (name, dims[1]);
    }
}
