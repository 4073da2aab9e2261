using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// One PainAttnNet encoder layer on (B, channels, time). A temporal convolution block computes the
/// query from the layer input, attention adds to the query, and a time-axis MLP on the
/// channel-normalised result adds to it again.
/// </summary>
internal sealed class EncoderLayer : Module<Tensor, Tensor>
{
    [ComponentName(Name = "self_attn")]
    private readonly TcnAttention _selfAttn;

    [ComponentName(Name = "feed_forward")]
    private readonly TimeAxisMlp _feedForward;

    [ComponentName(Name = "sublayer_output")]
    private readonly ModuleList<SublayerOutput> _sublayerOutput;

    [ComponentName(Name = "conv")]
    private readonly TemporalConvBlock _conv;

    public EncoderLayer(PainAttnNetConfig config)
        : base(nameof(EncoderLayer))
    {
        var channels = config.EmbeddingChannels;
        _selfAttn = new TcnAttention(channels, config.Heads, config.EncoderDropout);
        _feedForward = new TimeAxisMlp(config.FeatureSteps, config.FeedForwardSteps, config.EncoderDropout);
        _sublayerOutput = ModuleList(
            new SublayerOutput(channels, config.EncoderDropout),
            new SublayerOutput(channels, config.EncoderDropout));
        _conv = new TemporalConvBlock(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var prefix = Begin(input);
        return Finish(prefix);
    }

    /// <summary>
    /// The part before the first dropout: the query TCN, the key and value TCNs and the
    /// attention weights. It contains no dropout, so it is deterministic in any mode.
    /// </summary>
    public EncoderLayerPrefix Begin(Tensor input)
    {
        var query = _conv.forward(input);
        var (weights, values) = _selfAttn.Weights(query, input, input);
        return new EncoderLayerPrefix(query, weights, values);
    }

    /// <summary>The rest of the layer from <see cref="Begin"/>'s output: (B, channels, time).</summary>
    public Tensor Finish(EncoderLayerPrefix prefix)
    {
        // The reference also normalises the query for this sublayer and then ignores the result, so
        // sublayer_output.0.norm keeps its parameters but takes no part in the computation.
        using var attended = _selfAttn.Attend(prefix.AttentionWeights, prefix.Values);
        using var afterAttention = _sublayerOutput[0].AddResidual(prefix.Query, attended);

        using var normalized = _sublayerOutput[1].Normalize(afterAttention);
        using var mlp = _feedForward.forward(normalized);
        return _sublayerOutput[1].AddResidual(afterAttention, mlp);
    }

    /// <summary>
    /// Computes <see cref="Finish"/> on <paramref name="passes"/> copies of
    /// <paramref name="prefix"/> stacked along the batch axis, copy-major, without copying the
    /// prefix first: (passes × B, channels, time). With the same seed the result equals
    /// <see cref="Finish"/> on the stacked copies, because every dropout draws on a tensor of
    /// the same size in the same order.
    /// </summary>
    public Tensor FinishPasses(EncoderLayerPrefix prefix, int passes)
    {
        using var attended = _selfAttn.AttendPasses(prefix.AttentionWeights, prefix.Values, passes);
        using var afterAttention = AddQueryToPasses(prefix.Query, attended, passes);

        using var normalized = _sublayerOutput[1].Normalize(afterAttention);
        using var mlp = _feedForward.forward(normalized);
        return _sublayerOutput[1].AddResidual(afterAttention, mlp);
    }

    // query + dropout(attended) with the query (B, channels, time) broadcast over the passes of
    // attended (passes × B, channels, time).
    private Tensor AddQueryToPasses(Tensor query, Tensor attended, int passes)
    {
        using var byPass = attended.reshape(passes, query.shape[0], query.shape[1], query.shape[2]);
        using var sum = _sublayerOutput[0].AddResidual(query, byPass);
        return sum.reshape(attended.shape);
    }
}
