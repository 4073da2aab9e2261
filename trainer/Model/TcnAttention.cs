using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Attention of an encoder layer: key and value come from their own temporal convolution blocks
/// (<c>tcn.0</c>, <c>tcn.1</c>), the query is used as given, and multi-head attention runs over the
/// time steps. Inputs and output are (B, channels, time).
/// </summary>
internal sealed class TcnAttention : Module<Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "tcn")]
    private readonly ModuleList<TemporalConvBlock> _tcn;

    [ComponentName(Name = "multihead_attention")]
    private readonly MultiHeadAttention _multiheadAttention;

    public TcnAttention(int channels, int heads, double dropout)
        : base(nameof(TcnAttention))
    {
        _tcn = ModuleList(new TemporalConvBlock(channels), new TemporalConvBlock(channels));
        _multiheadAttention = new MultiHeadAttention(channels, heads, dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor query, Tensor key, Tensor value)
    {
        var (weights, values) = Weights(query, key, value);
        using (weights)
        using (values)
        {
            return Attend(weights, values);
        }
    }

    /// <summary>Runs the key and value TCNs, then computes the attention weights and values of every head.</summary>
    public (Tensor Weights, Tensor Values) Weights(Tensor query, Tensor key, Tensor value)
    {
        using var keyFeatures = _tcn[0].forward(key);
        using var valueFeatures = _tcn[1].forward(value);
        using var queryByTime = query.transpose(1, 2);
        using var keyByTime = keyFeatures.transpose(1, 2);
        using var valueByTime = valueFeatures.transpose(1, 2);
        return _multiheadAttention.Weights(queryByTime, keyByTime, valueByTime);
    }

    /// <summary>Computes the attention output (B, channels, time) from <see cref="Weights"/>.</summary>
    public Tensor Attend(Tensor weights, Tensor values)
    {
        using var attended = _multiheadAttention.Attend(weights, values);
        return attended.transpose(1, 2);
    }

    /// <summary>
    /// Computes <see cref="Attend"/> on <paramref name="passes"/> stacked copies of the inputs,
    /// as <see cref="MultiHeadAttention.AttendPasses"/> does: (passes × B, channels, time).
    /// </summary>
    public Tensor AttendPasses(Tensor weights, Tensor values, int passes)
    {
        using var attended = _multiheadAttention.AttendPasses(weights, values, passes);
        return attended.transpose(1, 2);
    }
}
