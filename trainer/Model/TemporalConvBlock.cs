using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Causal temporal convolution block (TCN) with equal input and output channels: convolution with
/// padding k−1 on both sides, BN, ReLU, drop the last k−1 steps, convolution, BN, drop the last
/// k−1 steps, add the input, ReLU. The output has the input's length.
/// </summary>
internal sealed class TemporalConvBlock : Module<Tensor, Tensor>
{
    private const int KernelSize = 7;
    private const int CausalPadding = KernelSize - 1;

    [ComponentName(Name = "conv1")]
    private readonly Conv1d _conv1;

    [ComponentName(Name = "conv2")]
    private readonly Conv1d _conv2;

    [ComponentName(Name = "bn1")]
    private readonly BatchNorm1d _bn1;

    [ComponentName(Name = "bn2")]
    private readonly BatchNorm1d _bn2;

    public TemporalConvBlock(int channels)
        : base(nameof(TemporalConvBlock))
    {
        _conv1 = Conv1d(channels, channels, KernelSize, padding: CausalPadding);
        _conv2 = Conv1d(channels, channels, KernelSize, padding: CausalPadding);
        _bn1 = BatchNorm1d(channels);
        _bn2 = BatchNorm1d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // BatchNorm sees the padded length before the trailing steps are dropped, as in the reference.
        using var conv1 = _conv1.forward(input);
        using var bn1 = _bn1.forward(conv1);
        using var relu1 = functional.relu(bn1);
        using var causal1 = DropTrailingSteps(relu1);
        using var conv2 = _conv2.forward(causal1);
        using var bn2 = _bn2.forward(conv2);
        using var causal2 = DropTrailingSteps(bn2);
        using var sum = causal2 + input;
        return functional.relu(sum);
    }

    private static Tensor DropTrailingSteps(Tensor input)
    {
        var length = input.shape[2];
        return input.narrow(2, 0, length - CausalPadding);
    }
}
