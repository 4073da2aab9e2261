using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>SE-ResNet stage with one <see cref="SeBasicBlock"/>, held at index 0 of <c>layer</c>.</summary>
internal sealed class SeResNet : Module<Tensor, Tensor>
{
    [ComponentName(Name = "layer")]
    private readonly Sequential _layer;

    public SeResNet(int inputChannels, int outputChannels)
        : base(nameof(SeResNet))
    {
        _layer = Sequential(new SeBasicBlock(inputChannels, outputChannels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => _layer.forward(input);
}
