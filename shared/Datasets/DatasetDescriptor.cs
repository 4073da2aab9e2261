using SsdEdge.Preprocessing;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// A dataset opened from a source string, with the defaults a trainer needs to turn it into model
/// windows: channels, preprocessing, model rate and window length, and the labelling task.
/// </summary>
/// <param name="Source">The parsed source.</param>
/// <param name="Recordings">Every recording read.</param>
/// <param name="Problems">Rows and files skipped while reading.</param>
/// <param name="Channels">Default model channels, in model order.</param>
/// <param name="Preprocessing">Suggested preprocessing from raw window to model input.</param>
/// <param name="ModelRateHz">Suggested model sampling rate, in Hz.</param>
/// <param name="ModelWindowSamples">Suggested model window length, in samples at the model rate.</param>
/// <param name="Task">Default labelling task, or null when the source carries no labels or events.</param>
public sealed record DatasetDescriptor(
    RecordingSource Source,
    IReadOnlyList<Recording> Recordings,
    IReadOnlyList<RowProblem> Problems,
    IReadOnlyList<string> Channels,
    PreprocessingSpec Preprocessing,
    double ModelRateHz,
    int ModelWindowSamples,
    IWindowTask? Task)
{
    /// <summary>Model window length in seconds.</summary>
    public double WindowSeconds => ModelWindowSamples / ModelRateHz;
}
