using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace SsdEdge.EdgeAgent.Inference;

/// <summary>
/// Runs one <see cref="OnnxModel"/> at batch size 1 over input and output buffers it owns.
/// </summary>
/// <remarks>
/// The input and output tensors are created once over float arrays that stay pinned while the
/// engine lives, and bound to the session with an <see cref="OrtIoBinding"/>, so
/// <see cref="Run(ReadOnlySpan{float}, Span{float})"/> copies the window in and the scores out and
/// allocates nothing on the managed heap. An engine is not thread-safe: create one per worker with
/// <see cref="OnnxModel.CreateEngine"/>. The model must outlive its engines.
/// </remarks>
public sealed class InferenceEngine : IDisposable
{
    private readonly InferenceSession _session;
    private readonly bool _outputIsLogits;
    private readonly float[] _inputBuffer;
    private readonly float[] _outputBuffer;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private bool _disposed;

    internal InferenceEngine(OnnxModel model)
    {
        var contract = model.Contract;
        _session = model.Session;
        _outputIsLogits = model.OutputIsLogits;
        _inputBuffer = new float[contract.Channels.Count * contract.WindowSamples];
        _outputBuffer = new float[contract.ClassLabels.Count];
        _inputValue = OrtValue.CreateTensorValueFromMemory(
            _inputBuffer,
            [1, contract.Channels.Count, contract.WindowSamples]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_outputBuffer, [1, _outputBuffer.Length]);
        _runOptions = new RunOptions();
        _binding = _session.CreateIoBinding();
        _binding.BindInput(model.InputName, _inputValue);
        _binding.BindOutput(model.OutputName, _outputValue);
    }

    /// <summary>Values per model input: channels × samples, channel-major.</summary>
    public int InputLength => _inputBuffer.Length;

    /// <summary>Class probabilities per window: one per contract class label.</summary>
    public int ClassCount => _outputBuffer.Length;

    /// <summary>
    /// Scores one window of model input (channel-major, <see cref="InputLength"/> values) and returns
    /// the class probabilities in a new array with the time the run took.
    /// </summary>
    /// <remarks>Allocates the returned result; a caller that scores every hop and keeps nothing
    /// uses <see cref="Run(ReadOnlySpan{float}, Span{float})"/> instead.</remarks>
    /// <exception cref="ArgumentException"><paramref name="modelInput"/> has the wrong length.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed to run the model, for example
    /// because its output is not (1, <see cref="ClassCount"/>).</exception>
    public InferenceResult Run(ReadOnlySpan<float> modelInput)
    {
        var probabilities = new float[_outputBuffer.Length];
        var latencyMs = Run(modelInput, probabilities);
        return new InferenceResult(probabilities, latencyMs);
    }

    /// <summary>
    /// Scores one window of model input (channel-major, <see cref="InputLength"/> values), writes
    /// the class probabilities to <paramref name="probabilities"/> and returns the time the run
    /// took, in ms. Allocates nothing on the managed heap.
    /// </summary>
    /// <remarks>A probability is non-finite when the model itself produced NaN or infinity; the
    /// caller checks before use.</remarks>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed to run the model, for example
    /// because its output is not (1, <see cref="ClassCount"/>).</exception>
    public double Run(ReadOnlySpan<float> modelInput, Span<float> probabilities)
    {
        if (modelInput.Length != _inputBuffer.Length)
        {
            throw new ArgumentException(
                $"The model input must have {_inputBuffer.Length} values (channels x samples); "
                + $"got {modelInput.Length}.",
                nameof(modelInput));
        }

        if (probabilities.Length != _outputBuffer.Length)
        {
            throw new ArgumentException(
                $"The probability span must have {_outputBuffer.Length} values, one per class; "
                + $"got {probabilities.Length}.",
                nameof(probabilities));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);

        var start = Stopwatch.GetTimestamp();
        modelInput.CopyTo(_inputBuffer);
        _session.RunWithBinding(_runOptions, _binding);
        if (_outputIsLogits)
        {
            Softmax(_outputBuffer, probabilities);
        }
        else
        {
            _outputBuffer.CopyTo(probabilities);
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Writes the softmax of <paramref name="logits"/> to <paramref name="probabilities"/>.</summary>
    /// <remarks>Subtracts the maximum first and sums in double, so large logits cannot overflow.</remarks>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        if (probabilities.Length != logits.Length)
        {
            throw new ArgumentException(
                $"The output span has {probabilities.Length} values, but {logits.Length} logits need as many.",
                nameof(probabilities));
        }

        var max = float.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }

        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] = (float)(Math.Exp(logits[i] - max) / sum);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _binding.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
    }
}
