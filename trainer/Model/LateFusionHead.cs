using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Late-fusion head: Linear (trunks × trunk features to hidden units), ReLU and dropout, at
/// indices 0, 1 and 2 as in a Sequential. Input (B, trunks × trunk features), output (B, hidden units).
/// </summary>
internal sealed class LateFusionHead : Module<Tensor, Tensor>
{
    [ComponentName(Name = "0")]
    private readonly Linear _linear;

    [ComponentName(Name = "1")]
    private readonly ReLU _relu;

    [ComponentName(Name = "2")]
    private readonly GapDropout _dropout;

    public LateFusionHead(PainAttnNetConfig config)
        : base(nameof(LateFusionHead))
    {
        _linear = Linear((long)config.Trunks * config.TrunkFeatureLength, config.FusionHiddenUnits);
        _relu = ReLU();
        _dropout = new GapDropout(config.FusionDropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var hidden = ForwardHidden(input);
        return ForwardDropout(hidden);
    }

    /// <summary>Runs the Linear and the ReLU: everything before the dropout.</summary>
    public Tensor ForwardHidden(Tensor input)
    {
        using var linear = _linear.forward(input);
        return _relu.forward(linear);
    }

    /// <summary>Runs the dropout alone.</summary>
    public Tensor ForwardDropout(Tensor hidden) => _dropout.forward(hidden);
}
