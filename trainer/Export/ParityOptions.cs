namespace SsdEdge.Trainer.Export;

/// <summary>Settings of <see cref="ParityChecker"/>.</summary>
public sealed record ParityOptions
{
    /// <summary>Largest allowed absolute difference of any logit or probability.</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Batch sizes to run; more than one checks the symbolic batch dimension.</summary>
    public IReadOnlyList<int> BatchSizes { get; init; } = [1, 7];

    /// <summary>Seed of the standard-normal input windows (z-scored signals have this scale).</summary>
    public int Seed { get; init; } = 20250101;

    /// <summary>
    /// Real model inputs, (window, channel, time) in C order, checked before the random ones; null
    /// or empty checks random windows only.
    /// </summary>
    public float[]? RealWindows { get; init; }

    /// <summary>Where to write the report; null writes <c>parity.json</c> beside the model file.</summary>
    public string? ReportPath { get; init; }
}
