using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SsdEdge.Contracts;

namespace SsdEdge.EdgeAgent.Inference;

/// <summary>
/// An ONNX model file opened once for the life of the process, with the signal contract it carries
/// in its <c>metadata_props</c> and the names of the input and output the agent uses.
/// </summary>
/// <remarks>
/// The model must have one float input shaped (batch, channels, samples) whose fixed dimensions match
/// the contract, and an output named <c>probabilities</c> or, failing that, <c>logits</c>, with one
/// value per class label. The session is thread-safe; each worker creates its own
/// <see cref="InferenceEngine"/> with <see cref="CreateEngine"/>.
/// </remarks>
public sealed class OnnxModel : IDisposable
{
    /// <summary>Output name of a model that ends with a softmax.</summary>
    public const string ProbabilitiesOutputName = "probabilities";

    /// <summary>Output name of a model that ends before the softmax; the engine applies it.</summary>
    public const string LogitsOutputName = "logits";

    // ONNX Runtime session configuration key; its default value "1" lets idle intra-op threads spin.
    private const string AllowSpinningKey = "session.intra_op.allow_spinning";

    private readonly SessionOptions _sessionOptions;
    private bool _disposed;

    private OnnxModel(
        string path,
        SessionOptions sessionOptions,
        InferenceSession session,
        SignalContract contract,
        string inputName,
        string outputName,
        double loadMilliseconds)
    {
        Path = path;
        _sessionOptions = sessionOptions;
        Session = session;
        Contract = contract;
        InputName = inputName;
        OutputName = outputName;
        LoadMilliseconds = loadMilliseconds;
    }

    /// <summary>Model file as given to <see cref="Load(string, int, bool)"/>.</summary>
    public string Path { get; }

    /// <summary>Signal contract read from the model's metadata.</summary>
    public SignalContract Contract { get; }

    /// <summary>Name of the model input, as the session reports it.</summary>
    public string InputName { get; }

    /// <summary>Name of the output the engine reads: <see cref="ProbabilitiesOutputName"/> or
    /// <see cref="LogitsOutputName"/>.</summary>
    public string OutputName { get; }

    /// <summary>Whether the output is logits, so the engine applies a softmax to it.</summary>
    public bool OutputIsLogits => OutputName == LogitsOutputName;

    /// <summary>Time taken to open the session and check the model, in ms.</summary>
    public double LoadMilliseconds { get; }

    internal InferenceSession Session { get; }

    /// <summary>
    /// Opens <paramref name="path"/> with <paramref name="intraOpThreads"/> threads per inference,
    /// all graph optimisations and sequential execution, then checks it against its contract.
    /// Idle intra-op threads spin, which is ONNX Runtime's default.
    /// </summary>
    /// <exception cref="ModelLoadException">The file is missing or unreadable, carries no valid
    /// contract, or its input or output disagrees with the contract.</exception>
    public static OnnxModel Load(string path, int intraOpThreads) =>
        Load(path, intraOpThreads, allowSpinning: true);

    /// <summary>
    /// Opens <paramref name="path"/> like <see cref="Load(string, int)"/>, with idle intra-op threads
    /// spinning only when <paramref name="allowSpinning"/> is true.
    /// </summary>
    /// <param name="path">ONNX model file.</param>
    /// <param name="intraOpThreads">Threads per inference.</param>
    /// <param name="allowSpinning">Whether idle intra-op threads busy-wait for work
    /// (session option <c>session.intra_op.allow_spinning</c>). Spinning shortens the wake-up but
    /// burns CPU between windows, and it matters only with more than one thread.</param>
    /// <exception cref="ModelLoadException">The file is missing or unreadable, carries no valid
    /// contract, or its input or output disagrees with the contract.</exception>
    public static OnnxModel Load(string path, int intraOpThreads, bool allowSpinning)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intraOpThreads);

        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, "model file not found.");
        }

        var start = Stopwatch.GetTimestamp();
        var sessionOptions = CreateSessionOptions(intraOpThreads, allowSpinning);
        InferenceSession? session = null;
        try
        {
            session = OpenSession(path, sessionOptions);
            var contract = ReadContract(path, session);
            var inputName = CheckInput(path, session, contract);
            var outputName = FindOutput(path, session, contract);
            var loadMilliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return new OnnxModel(path, sessionOptions, session, contract, inputName, outputName, loadMilliseconds);
        }
        catch
        {
            session?.Dispose();
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the session options every agent session uses: <paramref name="intraOpThreads"/>
    /// threads per inference, all graph optimisations, sequential execution, and intra-op spinning
    /// only when <paramref name="allowSpinning"/> is true. The caller disposes the result.
    /// </summary>
    public static SessionOptions CreateSessionOptions(int intraOpThreads, bool allowSpinning)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intraOpThreads);
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        sessionOptions.AddSessionConfigEntry(AllowSpinningKey, allowSpinning ? "1" : "0");
        return sessionOptions;
    }

    /// <summary>Creates an engine with its own input and output buffers; use one per worker thread.</summary>
    public InferenceEngine CreateEngine()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new InferenceEngine(this);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Session.Dispose();
        _sessionOptions.Dispose();
    }

    private static InferenceSession OpenSession(string path, SessionOptions sessionOptions)
    {
        try
        {
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException(path, $"ONNX Runtime cannot load the file: {ex.Message}", ex);
        }
    }

    private static SignalContract ReadContract(string path, InferenceSession session)
    {
        var metadata = session.ModelMetadata.CustomMetadataMap;
        if (!metadata.TryGetValue(SignalContractJson.MetadataKey, out var json))
        {
            var keys = metadata.Count == 0 ? "none" : string.Join(", ", metadata.Keys);
            throw new ModelLoadException(
                path,
                $"the model carries no signal contract: metadata key '{SignalContractJson.MetadataKey}' is "
                + $"missing (keys present: {keys}). Export the model with ssdedge-trainer, which embeds it.");
        }

        try
        {
            return SignalContractJson.Deserialize(json, path);
        }
        catch (InvalidDataException ex)
        {
            // The reader names the file too, and the exception's message names it once.
            var detail = ex.Message.StartsWith(path + ": ", StringComparison.Ordinal)
                ? ex.Message[(path.Length + 2)..]
                : ex.Message;
            throw new ModelLoadException(path, $"the embedded signal contract is invalid: {detail}", ex);
        }
    }

    private static string CheckInput(string path, InferenceSession session, SignalContract contract)
    {
        var inputs = session.InputMetadata;
        if (inputs.Count != 1)
        {
            throw new ModelLoadException(
                path,
                $"expected one model input, found {inputs.Count} ({string.Join(", ", inputs.Keys)}).");
        }

        var (name, metadata) = inputs.First();
        var channels = contract.Channels.Count;
        var samples = contract.WindowSamples;
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float)
        {
            throw new ModelLoadException(
                path,
                $"input '{name}' must be a float tensor; it is {metadata.OnnxValueType} "
                + $"of {metadata.ElementDataType}.");
        }

        var dims = metadata.Dimensions;
        var shapeText = FormatShape(dims);
        var batchFits = dims.Length == 3 && (dims[0] < 0 || dims[0] == 1);

        // A symbolic dimension (reported as -1) accepts any size; a fixed one must match the contract.
        var channelsFit = dims.Length == 3 && (dims[1] < 0 || dims[1] == channels);
        var samplesFit = dims.Length == 3 && (dims[2] < 0 || dims[2] == samples);
        if (!batchFits || !channelsFit || !samplesFit)
        {
            throw new ModelLoadException(
                path,
                $"input '{name}' has shape {shapeText}, but the signal contract needs "
                + $"(batch, {channels}, {samples}): "
                + $"{channels} channel(s) ({string.Join(", ", contract.Channels.Select(c => c.Name))}) "
                + $"of {samples} samples at {contract.ModelRateHz} Hz.");
        }

        return name;
    }

    private static string FindOutput(string path, InferenceSession session, SignalContract contract)
    {
        var outputs = session.OutputMetadata;
        string name;
        if (outputs.ContainsKey(ProbabilitiesOutputName))
        {
            name = ProbabilitiesOutputName;
        }
        else if (outputs.ContainsKey(LogitsOutputName))
        {
            name = LogitsOutputName;
        }
        else
        {
            throw new ModelLoadException(
                path,
                $"the model has no output named '{ProbabilitiesOutputName}' or '{LogitsOutputName}'; "
                + $"its outputs are: {string.Join(", ", outputs.Keys)}.");
        }

        var metadata = outputs[name];
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float)
        {
            throw new ModelLoadException(
                path,
                $"output '{name}' must be a float tensor; it is {metadata.OnnxValueType} "
                + $"of {metadata.ElementDataType}.");
        }

        var dims = metadata.Dimensions;
        var classes = contract.ClassLabels.Count;
        if (dims.Length != 2 || (dims[1] >= 0 && dims[1] != classes))
        {
            throw new ModelLoadException(
                path,
                $"output '{name}' has shape {FormatShape(dims)}, but the signal contract names {classes} "
                + $"classes ({string.Join(", ", contract.ClassLabels)}), so (batch, {classes}) is expected.");
        }

        return name;
    }

    private static string FormatShape(int[] dims)
    {
        var parts = dims.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture));
        return "(" + string.Join(", ", parts) + ")";
    }
}
