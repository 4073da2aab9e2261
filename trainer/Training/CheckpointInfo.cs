using SsdEdge.Trainer.Model;

namespace SsdEdge.Trainer.Training;

/// <summary>Contents of a checkpoint's JSON sidecar.</summary>
/// <param name="Format">Always <see cref="ModelCheckpoint.FormatName"/>.</param>
/// <param name="Version">Sidecar layout version.</param>
/// <param name="Config">Configuration the weights were trained with.</param>
/// <param name="ClassLabels">Class names by output index, when the caller recorded them.</param>
public sealed record CheckpointInfo(
    string Format,
    int Version,
    PainAttnNetConfig Config,
    IReadOnlyList<string>? ClassLabels);
