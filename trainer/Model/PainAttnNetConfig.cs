namespace SsdEdge.Trainer.Model;

/// <summary>
/// Shape of a PainAttnNet model. The defaults are the published single-channel configuration:
/// 2816 samples (5.5 s at 512 Hz), one channel, two classes.
/// </summary>
public sealed record PainAttnNetConfig
{
    /// <summary>Input channels (early fusion: all enter the first convolutions).</summary>
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

    /// <summary>Length of the representation that distillation works on.</summary>
    public int FeatureLength => EmbeddingChannels * FeatureSteps;

    /// <summary>Output lengths of the short, medium and long MSCN branches before their time-axis Linear.</summary>
    public (int Short, int Medium, int Long) BranchLengths()
    {
        var shortLength = BranchLength(WindowSamples, 50, 6, 24, 8, 2, 4, 8, 4, 4, 4, 2);
        var mediumLength = BranchLength(WindowSamples, 512, 42, 256, 4, 4, 0, 4, 3, 2, 2, 1);
        var longLength = BranchLength(WindowSamples, 1024, 84, 512, 8, 8, 0, 7, 3, 2, 2, 1);
        return (shortLength, mediumLength, longLength);
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

    // conv (k, s, p) -> max-pool (k, s, p) -> two stride-1 convs (k, p) -> max-pool (k, s, p).
    private static int BranchLength(
        int length,
        int convKernel,
        int convStride,
        int convPadding,
        int pool1Kernel,
        int pool1Stride,
        int pool1Padding,
        int innerKernel,
        int innerPadding,
        int pool2Kernel,
        int pool2Stride,
        int pool2Padding)
    {
        var afterConv = OutputLength(length, convKernel, convStride, convPadding);
        var afterPool1 = OutputLength(afterConv, pool1Kernel, pool1Stride, pool1Padding);
        var afterInner = OutputLength(OutputLength(afterPool1, innerKernel, 1, innerPadding), innerKernel, 1, innerPadding);
        return OutputLength(afterInner, pool2Kernel, pool2Stride, pool2Padding);
    }

    private static int OutputLength(int length, int kernel, int stride, int padding)
    {
        var span = length + (2 * padding) - kernel;
        return span < 0 ? 0 : (span / stride) + 1;
    }
}
