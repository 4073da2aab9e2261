using static TorchSharp.torch;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// The deterministic start of an encoder layer, everything before its first dropout; disposing
/// this disposes all three tensors.
/// </summary>
/// <param name="Query">Query TCN output, (B, channels, time).</param>
/// <param name="AttentionWeights">Softmax attention weights, (B, heads, time, time).</param>
/// <param name="Values">Projected values, (B, heads, time, channels / heads).</param>
public sealed record EncoderLayerPrefix(Tensor Query, Tensor AttentionWeights, Tensor Values) : IDisposable
{
    /// <summary>Stacks <paramref name="times"/> copies along the batch axis, copy-major.</summary>
    public EncoderLayerPrefix Repeat(int times) => new(
        Query.repeat(times, 1, 1),
        AttentionWeights.repeat(times, 1, 1, 1),
        Values.repeat(times, 1, 1, 1));

    /// <inheritdoc/>
    public void Dispose()
    {
        Query.Dispose();
        AttentionWeights.Dispose();
        Values.Dispose();
    }
}
