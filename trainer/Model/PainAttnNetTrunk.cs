using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// One late-fusion trunk: an MSCN on one input channel, the SE-ResNet block and the transformer
/// encoder, named as the early-fusion model names them.
/// </summary>
internal sealed class PainAttnNetTrunk : Module<Tensor, Tensor>
{
    [ComponentName(Name = "mscn")]
    private readonly MultiScaleConvNet _mscn;

    [ComponentName(Name = "seresnet")]
    private readonly SeResNet _seresnet;

    [ComponentName(Name = "encoderWrapper")]
    private readonly TransformerEncoder _encoderWrapper;

    /// <param name="config">A late-fusion configuration, whose trunks take one channel each.</param>
    public PainAttnNetTrunk(PainAttnNetConfig config)
        : base(nameof(PainAttnNetTrunk))
    {
        _mscn = new MultiScaleConvNet(config);
        _seresnet = new SeResNet(MultiScaleConvNet.OutputChannels, config.EmbeddingChannels);
        _encoderWrapper = new TransformerEncoder(config);
        RegisterComponents();
    }

    /// <summary>Maps (B, 1, samples) to the encoder output after its final LayerNorm, (B, embedding channels, feature steps).</summary>
    public override Tensor forward(Tensor input)
    {
        using var mscn = _mscn.forward(input);
        using var seresnet = _seresnet.forward(mscn);
        return _encoderWrapper.forward(seresnet);
    }

    /// <summary>
    /// Runs the MSCN, the SE-ResNet, encoder layers before <paramref name="layer"/> and that
    /// layer's start up to its attention weights: everything before the layer's first dropout.
    /// </summary>
    public EncoderLayerPrefix Begin(Tensor input, int layer)
    {
        using var mscn = _mscn.forward(input);
        using var seresnet = _seresnet.forward(mscn);
        using var layers = _encoderWrapper.ForwardLayers(seresnet, 0, layer);
        return _encoderWrapper.BeginLayer(layers, layer);
    }

    /// <summary>
    /// Finishes layer <paramref name="layer"/> on <paramref name="passes"/> stacked copies of
    /// <see cref="Begin"/>'s output, then the later layers and the norm: (passes × B, embedding
    /// channels, feature steps).
    /// </summary>
    public Tensor FinishPasses(EncoderLayerPrefix prefix, int layer, int passes) =>
        _encoderWrapper.FinishFromPasses(prefix, layer, passes);
}
