using SsdEdge.Preprocessing;

namespace SsdEdge.Contracts;

/// <summary>
/// Everything a consumer of a trained model must know to turn raw sensor samples into model input
/// and model output into a decision. The trainer writes it into the exported ONNX file's metadata,
/// and the agent reads it back from there.
/// </summary>
public sealed record SignalContract
{
    /// <summary>Version of this contract's layout; readers reject versions they do not know.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Input channels in model order, each with the rate its raw samples arrive at.</summary>
    public required IReadOnlyList<ContractChannel> Channels { get; init; }

    /// <summary>Sampling rate of the model input, in Hz (raw windows are resampled to it).</summary>
    public required double ModelRateHz { get; init; }

    /// <summary>Window length at the model rate, in samples (the model's time axis).</summary>
    public required int WindowSamples { get; init; }

    /// <summary>Preprocessing from raw window samples to model input.</summary>
    public required PreprocessingSpec Preprocessing { get; init; }

    /// <summary>Class labels in the order of the model's outputs.</summary>
    public required IReadOnlyList<string> ClassLabels { get; init; }

    /// <summary>Index into <see cref="ClassLabels"/> of the class that means pain.</summary>
    public int PositiveClassIndex { get; init; } = 1;

    /// <summary>Probability of the positive class at or above which a window counts as pain.</summary>
    public double DecisionThreshold { get; init; } = 0.5;

    /// <summary>Model identifier, stable across copies of the same file (run id plus fold).</summary>
    public string ModelId { get; init; } = "unnamed";

    /// <summary>Training run that produced the model.</summary>
    public string RunId { get; init; } = "";

    /// <summary>Fold of the run that produced the model, or null for a model trained on all subjects.</summary>
    public int? Fold { get; init; }

    /// <summary>Run id of the teacher a distilled student learnt from, or null.</summary>
    public string? TeacherRunId { get; init; }

    /// <summary>Name of the program that wrote the contract.</summary>
    public string Producer { get; init; } = "ssdedge-trainer";

    /// <summary>Version of the program that wrote the contract.</summary>
    public string ProducerVersion { get; init; } = "";

    /// <summary>Creation time of the model file, UTC.</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Window length in seconds.</summary>
    public double WindowSeconds => WindowSamples / ModelRateHz;
}

/// <summary>One input channel of a model.</summary>
/// <param name="Name">Channel name that sources must use, such as <c>eda</c>.</param>
/// <param name="Kind">Modality, as <see cref="SsdEdge.Signals.ChannelKind"/> spells it.</param>
/// <param name="Unit">Unit of the raw samples, such as <c>uS</c> or <c>mV</c>.</param>
/// <param name="InputRateHz">Rate of the raw samples the model was trained from, in Hz.</param>
public sealed record ContractChannel(string Name, SsdEdge.Signals.ChannelKind Kind, string Unit, double InputRateHz);
