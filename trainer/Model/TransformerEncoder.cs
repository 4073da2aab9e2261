using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>Stack of <see cref="EncoderLayer"/>s followed by a LayerNorm over the time axis.</summary>
internal sealed class TransformerEncoder : Module<Tensor, Tensor>
{
    [ComponentName(Name = "layers")]
    private readonly ModuleList<EncoderLayer> _layers;

    [ComponentName(Name = "norm")]
    private readonly LayerNorm _norm;

    public TransformerEncoder(PainAttnNetConfig config)
        : base(nameof(TransformerEncoder))
    {
        _layers = ModuleList(Enumerable.Range(0, config.EncoderLayers).Select(_ => new EncoderLayer(config)).ToArray());
        _norm = LayerNorm(config.FeatureSteps);
        RegisterComponents();
    }

    public int LayerCount => _layers.Count;

    public override Tensor forward(Tensor input)
    {
        using var layers = ForwardLayers(input, 0, _layers.Count);
        return _norm.forward(layers);
    }

    /// <summary>Runs layers <paramref name="first"/> up to but not including <paramref name="end"/>, without the norm.</summary>
    public Tensor ForwardLayers(Tensor input, int first, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, _layers.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, end);
        var current = input.alias();
        for (var index = first; index < end; index++)
        {
            using var previous = current;
            current = _layers[index].forward(previous);
        }

        return current;
    }

    /// <summary>Runs the deterministic start of layer <paramref name="layer"/>.</summary>
    public EncoderLayerPrefix BeginLayer(Tensor input, int layer) => _layers[layer].Begin(input);

    /// <summary>Finishes layer <paramref name="layer"/> from its start, then runs the later layers and the norm.</summary>
    public Tensor FinishFrom(EncoderLayerPrefix prefix, int layer)
    {
        using var finished = _layers[layer].Finish(prefix);
        using var rest = ForwardLayers(finished, layer + 1, _layers.Count);
        return _norm.forward(rest);
    }

    /// <summary>
    /// Finishes layer <paramref name="layer"/> on <paramref name="passes"/> stacked copies of its
    /// start, as <see cref="EncoderLayer.FinishPasses"/> does, then runs the later layers and the norm.
    /// </summary>
    public Tensor FinishFromPasses(EncoderLayerPrefix prefix, int layer, int passes)
    {
        using var finished = _layers[layer].FinishPasses(prefix, passes);
        using var rest = ForwardLayers(finished, layer + 1, _layers.Count);
        return _norm.forward(rest);
    }

    /// <summary>Applies the final LayerNorm over the time axis.</summary>
    public Tensor Normalize(Tensor input) => _norm.forward(input);
}
