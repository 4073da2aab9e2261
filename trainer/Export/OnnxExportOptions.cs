namespace SsdEdge.Trainer.Export;

/// <summary>Choices for <see cref="OnnxExporter"/>.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Adds a third output, <c>features</c>, the representation that distillation works on: the
    /// encoder output after its final LayerNorm, (batch, embedding channels, feature steps), with
    /// early fusion, and the fusion head's ReLU output, (batch, hidden units), with late fusion.
    /// Off by default because a deployed classifier needs only the logits and probabilities.
    /// </summary>
    public bool IncludeFeatures { get; init; }

    /// <summary>
    /// Folds every BatchNorm into the convolution before it (true, the default and the fast form).
    /// False emits each BatchNorm as an inference-form <c>BatchNormalization</c> node after an
    /// unchanged convolution, which keeps the state-dict values as they are for inspection.
    /// </summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>Epsilon of every BatchNorm in the model (PyTorch's default is 1e-5).</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <summary>Epsilon of every LayerNorm in the model (PyTorch's default is 1e-5).</summary>
    public double LayerNormEpsilon { get; init; } = 1e-5;
}
