namespace SsdEdge.Trainer.Model;

/// <summary>
/// Multiply-accumulates of one PainAttnNet window, by stage. For a late-fusion model the MSCN,
/// SE-ResNet and encoder figures are sums over all its trunks.
/// </summary>
/// <param name="Mscn">MSCN convolutions and its time-axis linear layers.</param>
/// <param name="SeResNet">The SE-ResNet block's 1×1 convolutions.</param>
/// <param name="PerEncoderLayer">One encoder layer: TCNs, attention projections and products, MLP.</param>
/// <param name="EncoderLayerStart">
/// The part of one encoder layer before its first dropout: TCNs, input projections, scores.
/// </param>
/// <param name="EncoderLayers">Number of encoder layers.</param>
/// <param name="Head">The linear classifier.</param>
/// <param name="Fusion">The late-fusion head's Linear, 0 with early fusion.</param>
public sealed record PainAttnNetStageComplexity(
    long Mscn,
    long SeResNet,
    long PerEncoderLayer,
    long EncoderLayerStart,
    int EncoderLayers,
    long Head,
    long Fusion = 0)
{
    /// <summary>Total multiply-accumulates per window.</summary>
    public long Total => Mscn + SeResNet + (PerEncoderLayer * EncoderLayers) + Fusion + Head;

    /// <summary>
    /// Work of the part that runs once per batch when <paramref name="prefixEncoderLayers"/>
    /// whole encoder layers and the next layer's start follow the MSCN and SE-ResNet there; 0
    /// when the prefix is empty (null).
    /// </summary>
    public long Prefix(int? prefixEncoderLayers) => prefixEncoderLayers is { } layers
        ? Mscn + SeResNet + (PerEncoderLayer * layers) + EncoderLayerStart
        : 0;

    /// <summary>
    /// Work of the part that runs once per batch when only a late-fusion model's fusion dropout
    /// runs per pass: everything but the classifier. The dropout itself has no multiply-accumulates.
    /// </summary>
    public long PrefixBeforeFusionDropout => Total - Head;

    /// <summary>Work of the representation part after that prefix, which runs once per pass.</summary>
    public long Suffix(int? prefixEncoderLayers) => Total - Head - Prefix(prefixEncoderLayers);
}
