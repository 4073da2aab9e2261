namespace SsdEdge.Preprocessing;

/// <summary>
/// Steps that map one raw window to model input, in this order: per-channel filters at the raw
/// rate, resampling to the model rate, then per-window normalisation. The quality gate looks at
/// the raw samples before any step.
/// </summary>
public sealed record PreprocessingSpec
{
    /// <summary>Filters, applied in list order to the channel each names (<c>*</c> for all channels).</summary>
    public IReadOnlyList<FilterSpec> Filters { get; init; } = Array.Empty<FilterSpec>();

    /// <summary>Per-window, per-channel normalisation applied last.</summary>
    public NormalizationKind Normalization { get; init; } = NormalizationKind.ZScore;

    /// <summary>Limits a raw window must meet before it is scored.</summary>
    public QualityGateOptions Quality { get; init; } = new();
}

/// <summary>Per-window normalisation of each channel.</summary>
public enum NormalizationKind
{
    /// <summary>Leave the values as they are.</summary>
    None,

    /// <summary>Subtract the window mean and divide by the window standard deviation.</summary>
    ZScore,

    /// <summary>Map the window minimum to 0 and the maximum to 1.</summary>
    MinMax,
}

/// <summary>Type of an IIR filter.</summary>
public enum FilterKind
{
    /// <summary>Butterworth low-pass at <see cref="FilterSpec.CutoffHz"/>.</summary>
    LowPass,

    /// <summary>Butterworth high-pass at <see cref="FilterSpec.CutoffHz"/>.</summary>
    HighPass,

    /// <summary>Butterworth band-pass from <see cref="FilterSpec.CutoffHz"/> to <see cref="FilterSpec.HighCutoffHz"/>.</summary>
    BandPass,

    /// <summary>Second-order notch at <see cref="FilterSpec.CutoffHz"/> with quality factor <see cref="FilterSpec.QualityFactor"/>.</summary>
    Notch,
}

/// <summary>One filter step of a <see cref="PreprocessingSpec"/>.</summary>
/// <param name="Channel">Channel name the filter applies to, or <c>*</c> for every channel.</param>
/// <param name="Kind">Filter type.</param>
/// <param name="CutoffHz">Cut-off (low edge for band-pass, centre for notch), in Hz.</param>
/// <param name="HighCutoffHz">High edge of a band-pass, in Hz; unused otherwise.</param>
/// <param name="Order">Butterworth order (1 to 8); unused for notch.</param>
/// <param name="QualityFactor">Notch quality factor (centre frequency over bandwidth).</param>
public sealed record FilterSpec(
    string Channel,
    FilterKind Kind,
    double CutoffHz,
    double? HighCutoffHz = null,
    int Order = 2,
    double QualityFactor = 30);

/// <summary>Limits for the per-window quality gate, applied to raw samples.</summary>
public sealed record QualityGateOptions
{
    /// <summary>Maximum number of NaN or infinite samples per channel; any more rejects the window.</summary>
    public int MaxNonFinite { get; init; }

    /// <summary>Longest run of identical consecutive samples allowed, in seconds (0 disables).</summary>
    public double MaxFlatLineSeconds { get; init; } = 2.0;

    /// <summary>Longest run at the channel's minimum or maximum value allowed, in seconds (0 disables).</summary>
    public double MaxClippingSeconds { get; init; }

    /// <summary>Smallest standard deviation a channel may have, in its raw unit (0 disables).</summary>
    public double MinStandardDeviation { get; init; }
}
