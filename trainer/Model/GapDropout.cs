using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Inverted dropout: in training mode each element is zeroed with probability <see cref="Rate"/>
/// and the rest are scaled by 1 / (1 − rate); in eval mode the input passes unchanged. The
/// mask of a float32 CPU tensor comes from <see cref="HashedDropout"/>, and on other devices and
/// types from <see cref="DropoutPositions"/>, in row-major order of the input's shape, so the
/// distribution is that of <c>nn.Dropout</c> while the random stream is not.
/// </summary>
internal sealed class GapDropout : Module<Tensor, Tensor>
{
    private double _rate;

    /// <param name="rate">Probability that an element is zeroed, from 0 up to but not including 1.</param>
    public GapDropout(double rate)
        : base(nameof(GapDropout))
    {
        Rate = rate;
    }

    /// <summary>Probability that an element is zeroed in training mode, from 0 up to but not including 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1).</exception>
    public double Rate
    {
        get => _rate;
        set
        {
            if (!(value >= 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Dropout rate must lie in [0, 1).");
            }

            _rate = value;
        }
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _rate == 0 || input.numel() == 0)
        {
            return input.alias();
        }

        if (HashedDropout.Supports(input))
        {
            return HashedDropout.Apply(input, _rate, HashedDropout.DrawSeed());
        }

        using var scaled = input.mul(1 / (1 - _rate));
        var dropped = scaled.contiguous();
        DropoutPositions.ZeroInPlace(dropped, _rate);
        return dropped;
    }
}
