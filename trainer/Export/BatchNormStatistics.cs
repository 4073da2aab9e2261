namespace SsdEdge.Trainer.Export;

/// <summary>Inference-time parameters of one BatchNorm layer, one value per channel.</summary>
/// <param name="Scale">Learnt scale (PyTorch <c>weight</c>, gamma).</param>
/// <param name="Shift">Learnt shift (PyTorch <c>bias</c>, beta).</param>
/// <param name="Mean">Running mean.</param>
/// <param name="Variance">Running (biased) variance.</param>
internal sealed record BatchNormStatistics(float[] Scale, float[] Shift, float[] Mean, float[] Variance);
