namespace SsdEdge.Trainer.Export;

/// <summary>Largest differences between ONNX Runtime and the reference for one setting.</summary>
/// <param name="OptimizationLevel">ONNX Runtime graph optimisation level, such as <c>ORT_ENABLE_ALL</c>.</param>
/// <param name="BatchSize">Windows per run.</param>
/// <param name="MaxLogitDifference">Largest absolute logit difference; NaN when either side produced NaN.</param>
/// <param name="MaxProbabilityDifference">Largest absolute probability difference; NaN likewise.</param>
/// <param name="Passed">True when both differences are at or below the tolerance.</param>
public sealed record ParityResult(
    string OptimizationLevel,
    int BatchSize,
    double MaxLogitDifference,
    double MaxProbabilityDifference,
    bool Passed);
