using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Multiscale convolutional network (MSCN): three convolution branches with different receptive
/// fields, each mapped to the same number of time steps by a Linear on the time axis, then
/// concatenated on channels. Input (B, C, T) with C the trunk input channels, output (B, 192,
/// FeatureSteps).
/// </summary>
internal sealed class MultiScaleConvNet : Module<Tensor, Tensor>
{
    [ComponentName(Name = "short_scale")]
    private readonly Sequential _shortScale;

    [ComponentName(Name = "medium_scale")]
    private readonly Sequential _mediumScale;

    [ComponentName(Name = "long_scale")]
    private readonly Sequential _longScale;

    [ComponentName(Name = "dropout")]
    private readonly GapDropout _dropout;

    [ComponentName(Name = "fc_short")]
    private readonly Linear _fcShort;

    [ComponentName(Name = "fc_medium")]
    private readonly Linear _fcMedium;

    [ComponentName(Name = "fc_long")]
    private readonly Linear _fcLong;

    public MultiScaleConvNet(PainAttnNetConfig config)
        : base(nameof(MultiScaleConvNet))
    {
        var (shortLength, mediumLength, longLength) = config.BranchLengths();
        _shortScale = MscnBranch.Create(config.TrunkInputChannels, MscnBranchShape.Short, config.MscnDropout);
        _mediumScale = MscnBranch.Create(config.TrunkInputChannels, MscnBranchShape.Medium, config.MscnDropout);
        _longScale = MscnBranch.Create(config.TrunkInputChannels, MscnBranchShape.Long, config.MscnDropout);
        _dropout = new GapDropout(config.MscnDropout);
        _fcShort = Linear(shortLength, config.FeatureSteps);
        _fcMedium = Linear(mediumLength, config.FeatureSteps);
        _fcLong = Linear(longLength, config.FeatureSteps);
        RegisterComponents();
    }

    /// <summary>Channels of the concatenated output: 64 from each of the three branches.</summary>
    public const int OutputChannels = 192;

    public override Tensor forward(Tensor input)
    {
        using var shortBranch = _shortScale.forward(input);
        using var mediumBranch = _mediumScale.forward(input);
        using var longBranch = _longScale.forward(input);
        using var shortSteps = _fcShort.forward(shortBranch);
        using var mediumSteps = _fcMedium.forward(mediumBranch);
        using var longSteps = _fcLong.forward(longBranch);
        using var concatenated = cat([shortSteps, mediumSteps, longSteps], 1);
        return _dropout.forward(concatenated);
    }
}
