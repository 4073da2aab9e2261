using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// One SE-ResNet block: kernel-1 convolution, BN, ReLU, kernel-1 convolution, BN,
/// squeeze-excitation, plus a kernel-1 convolution and BN on the residual path, then ReLU.
/// </summary>
internal sealed class SeBasicBlock : Module<Tensor, Tensor>
{
    [ComponentName(Name = "conv1")]
    private readonly Conv1d _conv1;

    [ComponentName(Name = "bn1")]
    private readonly BatchNorm1d _bn1;

    [ComponentName(Name = "conv2")]
    private readonly Conv1d _conv2;

    [ComponentName(Name = "bn2")]
    private readonly BatchNorm1d _bn2;

    [ComponentName(Name = "se")]
    private readonly SqueezeExcitation _se;

    // Sequential indices as in the reference: 0 convolution (no bias), 1 BN.
    [ComponentName(Name = "downsample")]
    private readonly Sequential _downsample;

    public SeBasicBlock(int inputChannels, int outputChannels)
        : base(nameof(SeBasicBlock))
    {
        _conv1 = Conv1d(inputChannels, outputChannels, 1);
        _bn1 = BatchNorm1d(outputChannels);
        _conv2 = Conv1d(outputChannels, outputChannels, 1);
        _bn2 = BatchNorm1d(outputChannels);
        _se = new SqueezeExcitation(outputChannels);
        _downsample = Sequential(
            Conv1d(inputChannels, outputChannels, 1, bias: false),
            BatchNorm1d(outputChannels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var conv1 = _conv1.forward(input);
        using var bn1 = _bn1.forward(conv1);
        using var relu1 = functional.relu(bn1);
        using var conv2 = _conv2.forward(relu1);
        using var bn2 = _bn2.forward(conv2);
        using var excited = _se.forward(bn2);
        using var residual = _downsample.forward(input);
        using var sum = excited + residual;
        return functional.relu(sum);
    }
}
