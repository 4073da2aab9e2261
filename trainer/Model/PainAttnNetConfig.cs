using System.Text.Json.Serialization;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Shape of a PainAttnNet model. The defaults are the published single-channel configuration:
/// 2816 samples (5.5 s at 512 Hz), one channel, two classes.
/// </summary>
public sealed record PainAttnNetConfig
{
    /// <summary>
    /// Input channels. With early fusion all enter the first convolutions, and with late fusion
    /// each has its own trunk.
    /// </summary>
    public int InputChannels { get; init; } = 1;

    /// <summary>Window length in samples at the model rate.</summary>
    public int WindowSamples { get; init; } = 2816;

    /// <summary>Number of output classes.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Time steps every MSCN branch is mapped to by its time-axis Linear.</summary>
    public int FeatureSteps { get; init; } = 75;

    /// <summary>Channels of the SE-ResNet output and the attention embedding.</summary>
    public int EmbeddingChannels { get; init; } = 30;

    /// <summary>Attention heads (the embedding must divide evenly).</summary>
    public int Heads { get; init; } = 5;

    /// <summary>Encoder layers.</summary>
    public int EncoderLayers { get; init; } = 2;

    /// <summary>Hidden width of the encoder's time-axis MLP.</summary>
    public int FeedForwardSteps { get; init; } = 120;

    /// <summary>Dropout rate in the MSCN branches and after the MSCN concatenation.</summary>
    public double MscnDropout { get; init; } = 0.5;

    /// <summary>Dropout rate in the encoder (attention, residual and MLP).</summary>
    public double EncoderDropout { get; init; } = 0.1;

    /// <summary>Where the input channels are combined. Early fusion is the published model.</summary>
    public PainAttnNetFusion Fusion { get; init; } = PainAttnNetFusion.Early;

    /// <summary>Output width of the late-fusion head's Linear layer, unused with early fusion.</summary>
    public int FusionHiddenUnits { get; init; } = 128;

    /// <summary>Dropout rate after the late-fusion head's ReLU, unused with early fusion.</summary>
    public double FusionDropout { get; init; } = 0.5;

    /// <summary>
    /// Length of the representation that distillation works on: the flattened encoder output
    /// (embedding channels × feature steps) with early fusion, the fusion head's output
    /// (<see cref="FusionHiddenUnits"/>) with late fusion.
    /// </summary>
    public int FeatureLength => Fusion == PainAttnNetFusion.Late ? FusionHiddenUnits : TrunkFeatureLength;

    /// <summary>Values per window that one encoder emits: embedding channels × feature steps.</summary>
    [JsonIgnore]
    public int TrunkFeatureLength => EmbeddingChannels * FeatureSteps;

    /// <summary>Number of MSCN, SE-ResNet and encoder stacks: one, or one per input channel with late fusion.</summary>
    [JsonIgnore]
    public int Trunks => Fusion == PainAttnNetFusion.Late ? InputChannels : 1;

    /// <summary>Input channels of each trunk's first convolutions.</summary>
    [JsonIgnore]
    public int TrunkInputChannels => Fusion == PainAttnNetFusion.Late ? 1 : InputChannels;

    /// <summary>
    /// Shape of one window's representation: (embedding channels, feature steps) with early
    /// fusion, (<see cref="FusionHiddenUnits"/>) with late fusion.
    /// </summary>
    public int[] FeatureShape() => Fusion == PainAttnNetFusion.Late
        ? [FusionHiddenUnits]
        : [EmbeddingChannels, FeatureSteps];

    /// <summary>
    /// Output lengths of the short, medium and long MSCN branches before their time-axis Linear.
    /// </summary>
    public (int Short, int Medium, int Long) BranchLengths()
    {
        return (
            MscnBranch.OutputLength(WindowSamples, MscnBranchShape.Short),
            MscnBranch.OutputLength(WindowSamples, MscnBranchShape.Medium),
            MscnBranch.OutputLength(WindowSamples, MscnBranchShape.Long));
    }

    /// <summary>Checks that every derived length is positive and the heads divide the embedding.</summary>
    /// <exception cref="ArgumentException">The configuration cannot build a model.</exception>
    public void Validate()
    {
        if (InputChannels < 1 || Classes < 2 || FeatureSteps < 1 || EmbeddingChannels < 1)
        {
            throw new ArgumentException(
                $"PainAttnNet needs at least one input channel, two classes and positive sizes; got {this}.");
        }

        if (Heads < 1 || EncoderLayers < 1 || FeedForwardSteps < 1)
        {
            throw new ArgumentException(
                $"PainAttnNet needs at least one head, one encoder layer and a positive MLP width; got {this}.");
        }

        if (MscnDropout is < 0 or >= 1 || EncoderDropout is < 0 or >= 1)
        {
            throw new ArgumentException(
                $"PainAttnNet dropout rates must lie in [0, 1); got MSCN {MscnDropout}, encoder {EncoderDropout}.");
        }

        if (!Enum.IsDefined(Fusion))
        {
            throw new ArgumentException($"PainAttnNet fusion {Fusion} is unknown; use Early or Late.");
        }

        if (FusionHiddenUnits < 1)
        {
            throw new ArgumentException(
                $"PainAttnNet fusion head needs at least one hidden unit; got {FusionHiddenUnits}.");
        }

        if (FusionDropout is < 0 or >= 1 || double.IsNaN(FusionDropout))
        {
            throw new ArgumentException(
                $"PainAttnNet fusion dropout must lie in [0, 1); got {FusionDropout}.");
        }

        if (EmbeddingChannels % Heads != 0)
        {
            throw new ArgumentException(
                $"PainAttnNet: {Heads} heads do not divide the {EmbeddingChannels}-channel embedding.");
        }

        var (shortLength, mediumLength, longLength) = BranchLengths();
        if (shortLength < 1 || mediumLength < 1 || longLength < 1)
        {
            throw new ArgumentException(
                $"PainAttnNet: a window of {WindowSamples} samples is too short for the MSCN branches "
                + $"(lengths {shortLength}/{mediumLength}/{longLength}); use at least 1024 samples.");
        }
    }
}
