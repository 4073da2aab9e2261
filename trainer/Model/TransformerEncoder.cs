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

    public override Tensor forward(Tensor input)
    {
        var current = input.alias();
        foreach (var layer in _layers)
        {
            using var previous = current;
            current = layer.forward(previous);
        }

        using (current)
        {
            return _norm.forward(current);
        }
    }
}
