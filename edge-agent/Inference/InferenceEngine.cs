using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace SsdEdge.EdgeAgent.Inference;

/// <summary>
/// Runs one <see cref="OnnxModel"/> at batch size 1 over an input buffer it owns.
/// </summary>
/// <remarks>
/// The input tensor is created once over a float array that stays pinned while the engine lives,
/// so a run copies the window into it and allocates only the small probability array. An engine is
/// not thread-safe: create one per worker with <see cref="OnnxModel.CreateEngine"/>. The model must
/// outlive its engines.
/// </remarks>
public sealed class InferenceEngine : IDisposable
{
    private readonly InferenceSession _session;
    private readonly bool _outputIsLogits;
    private readonly int _classCount;
    private readonly float[] _inputBuffer;
    private readonly OrtValue _inputValue;
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputValues;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions;
    private bool _disposed;

    internal InferenceEngine(OnnxModel model)
    {
        var contract = model.Contract;
        _session = model.Session;
        _outputIsLogits = model.OutputIsLogits;
        _classCount = contract.ClassLabels.Count;
        _inputBuffer = new float[contract.Channels.Count * contract.WindowSamples];
        _inputValue = OrtValue.CreateTensorValueFromMemory(
            _inputBuffer,
            [1, contract.Channels.Count, contract.WindowSamples]);
        _inputNames = [model.InputName];
        _inputValues = [_inputValue];
        _outputNames = [model.OutputName];
        _runOptions = new RunOptions();
    }

    /// <summary>Values per model input: channels × samples, channel-major.</summary>
    public int InputLength => _inputBuffer.Length;

    /// <summary>
    /// Scores one window of model input (channel-major, <see cref="InputLength"/> values) and returns
    /// the class probabilities with the time the run took.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="modelInput"/> has the wrong length.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed to run the model.</exception>
    public InferenceResult Run(ReadOnlySpan<float> modelInput)
    {
        if (modelInput.Length != _inputBuffer.Length)
        {
            throw new ArgumentException(
                $"The model input must have {_inputBuffer.Length} values (channels x samples); "
                + $"got {modelInput.Length}.",
                nameof(modelInput));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);

        var start = Stopwatch.GetTimestamp();
        modelInput.CopyTo(_inputBuffer);
        var probabilities = new float[_classCount];
        using (var outputs = _session.Run(_runOptions, _inputNames, _inputValues, _outputNames))
        {
            var output = outputs[0].GetTensorDataAsSpan<float>();
            if (output.Length != _classCount)
            {
                throw new InvalidOperationException(
                    $"The model output '{_outputNames[0]}' contains {output.Length} values for one window; "
                    + $"the signal contract names {_classCount} classes.");
            }

            if (_outputIsLogits)
            {
                Softmax(output, probabilities);
            }
            else
            {
                output.CopyTo(probabilities);
            }
        }

        var latencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return new InferenceResult(probabilities, latencyMs);
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
        _inputValue.Dispose();
        _runOptions.Dispose();
    }
}
