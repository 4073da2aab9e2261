using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>Linear, ReLU, dropout, Linear, acting on the last (time) axis of (B, channels, time).</summary>
internal sealed class TimeAxisMlp : Module<Tensor, Tensor>
{
    [ComponentName(Name = "w_1")]
    private readonly Linear _w1;

    [ComponentName(Name = "w_2")]
    private readonly Linear _w2;

    [ComponentName(Name = "dropout")]
    private readonly GapDropout _dropout;

    public TimeAxisMlp(int steps, int hiddenSteps, double dropout)
        : base(nameof(TimeAxisMlp))
    {
        _w1 = Linear(steps, hiddenSteps);
        _w2 = Linear(hiddenSteps, steps);
        _dropout = new GapDropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var hidden = _w1.forward(input);
        using var activated = functional.relu(hidden);
        using var dropped = _dropout.forward(activated);
        return _w2.forward(dropped);
    }
}
