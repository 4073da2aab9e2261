using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Squeeze-and-excitation: the channel means over time pass Linear (no bias), ReLU, Linear (no
/// bias) and a sigmoid, and the result scales each channel of the input.
/// </summary>
internal sealed class SqueezeExcitation : Module<Tensor, Tensor>
{
    private const int Reduction = 16;

    // Sequential indices as in the reference: 0 Linear, 1 ReLU, 2 Linear, 3 Sigmoid.
    [ComponentName(Name = "fc")]
    private readonly Sequential _fc;

    public SqueezeExcitation(int channels)
        : base(nameof(SqueezeExcitation))
    {
        var reduced = Math.Max(1, channels / Reduction);
        _fc = Sequential(
            Linear(channels, reduced, hasBias: false),
            ReLU(),
            Linear(reduced, channels, hasBias: false),
            Sigmoid());
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var channelMeans = input.mean([2]);
        using var weights = _fc.forward(channelMeans);
        using var expanded = weights.unsqueeze(2);
        return input * expanded;
    }
}
