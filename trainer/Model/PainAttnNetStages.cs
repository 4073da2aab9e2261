using static TorchSharp.torch;

namespace SsdEdge.Trainer.Model;

/// <summary>Outputs of every PainAttnNet stage for one batch; disposing this disposes all four.</summary>
/// <param name="Mscn">MSCN output, (B, 192, feature steps).</param>
/// <param name="SeResNet">SE-ResNet output, (B, embedding channels, feature steps).</param>
/// <param name="Features">Encoder output after the final LayerNorm, (B, embedding channels, feature steps).</param>
/// <param name="Logits">Class logits, (B, classes).</param>
public sealed record PainAttnNetStages(Tensor Mscn, Tensor SeResNet, Tensor Features, Tensor Logits) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Mscn.Dispose();
        SeResNet.Dispose();
        Features.Dispose();
        Logits.Dispose();
    }
}
