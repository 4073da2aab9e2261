using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Residual wrapper of an encoder sublayer: a LayerNorm over the channels of (B, channels, time)
/// for the sublayer input, and dropout on the sublayer output before it is added back.
/// </summary>
internal sealed class SublayerOutput : nn.Module
{
    [ComponentName(Name = "norm")]
    private readonly LayerNorm _norm;

    [ComponentName(Name = "dropout")]
    private readonly GapDropout _dropout;

    public SublayerOutput(int channels, double dropout)
        : base(nameof(SublayerOutput))
    {
        _norm = LayerNorm(channels);
        _dropout = new GapDropout(dropout);
        RegisterComponents();
    }

    /// <summary>Normalises each time step over the channels; input and output are (B, channels, time).</summary>
    public Tensor Normalize(Tensor input)
    {
        using var byTime = input.transpose(1, 2);
        using var normalized = _norm.forward(byTime);
        return normalized.transpose(1, 2);
    }

    /// <summary>Returns <paramref name="residual"/> + dropout(<paramref name="sublayerOutput"/>).</summary>
    public Tensor AddResidual(Tensor residual, Tensor sublayerOutput)
    {
        using var dropped = _dropout.forward(sublayerOutput);
        return residual + dropped;
    }
}
