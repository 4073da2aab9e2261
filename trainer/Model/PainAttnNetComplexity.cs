namespace SsdEdge.Trainer.Model;

/// <summary>
/// Multiply-accumulate count of one PainAttnNet forward pass per window, derived from the
/// configuration. Element-wise work (normalisation, activations, pooling, softmax) is left out,
/// so the figure is a floor for the arithmetic, as convolution and matrix-product counts usually are.
/// </summary>
/// <param name="Convolutions">MACs of every convolution (MSCN, SE-ResNet, encoder TCNs), in every trunk.</param>
/// <param name="MatrixProducts">MACs of linear layers (the late-fusion head's included) and attention products.</param>
public sealed record PainAttnNetComplexity(long Convolutions, long MatrixProducts)
{
    private const int FirstChannels = 64;
    private const int InnerChannels = 128;
    private const int TcnKernel = 7;
    private const int TcnConvolutionsPerBlock = 2;

    // Per encoder layer: one TCN for the query, two for key and value.
    private const int TcnBlocksPerLayer = 3;

    /// <summary>Total multiply-accumulates per window.</summary>
    public long MultiplyAccumulates => Convolutions + MatrixProducts;

    /// <summary>Floating-point operations per window, counting a multiply-accumulate as two.</summary>
    public long FloatingPointOperations => 2 * MultiplyAccumulates;

    /// <summary>
    /// Counts the work of one window for <paramref name="config"/>. A late-fusion model counts
    /// one one-channel trunk per input channel, the fusion Linear and the classifier.
    /// </summary>
    public static PainAttnNetComplexity Of(PainAttnNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var (convolutions, products) = TrunkOf(config);
        convolutions *= config.Trunks;
        products *= config.Trunks;

        // Heads: the late-fusion Linear (none with early fusion), then the classifier.
        products += FusionLinearOf(config);
        products += config.FeatureLength * (long)config.Classes;
        return new PainAttnNetComplexity(convolutions, products);
    }

    /// <summary>
    /// Splits the multiply-accumulates of one window by stage, for cost models that run some
    /// stages more often than others. The parts add up to <see cref="MultiplyAccumulates"/>. A
    /// late-fusion model's MSCN, SE-ResNet and encoder parts add up all its trunks.
    /// </summary>
    public static PainAttnNetStageComplexity StagesOf(PainAttnNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var steps = (long)config.FeatureSteps;
        var embedding = (long)config.EmbeddingChannels;
        long mscn = 0;
        foreach (var shape in new[] { MscnBranchShape.Short, MscnBranchShape.Medium, MscnBranchShape.Long })
        {
            var (first, second, third, output) = BranchLengths(config.WindowSamples, shape);
            mscn += (long)FirstChannels * first * config.TrunkInputChannels * shape.ConvKernel;
            mscn += (long)InnerChannels * second * FirstChannels * shape.InnerKernel;
            mscn += (long)FirstChannels * third * InnerChannels * shape.InnerKernel;
            mscn += FirstChannels * steps * output;
        }

        var seresnet = steps * embedding * ((2 * 3L * FirstChannels) + embedding);
        var paddedSteps = steps + TcnKernel - 1;
        // A layer's start runs before its first dropout: TCNs, the three input projections, the scores.
        var layerStart = (TcnBlocksPerLayer * TcnConvolutionsPerBlock * embedding * paddedSteps * embedding * TcnKernel)
            + (3 * steps * embedding * embedding) + (steps * steps * embedding);
        var layer = layerStart + (steps * embedding * embedding) + (steps * steps * embedding)
            + (2 * embedding * steps * config.FeedForwardSteps);
        var head = config.FeatureLength * (long)config.Classes;
        var trunks = config.Trunks;
        return new PainAttnNetStageComplexity(
            trunks * mscn,
            trunks * seresnet,
            trunks * layer,
            trunks * layerStart,
            config.EncoderLayers,
            head,
            FusionLinearOf(config));
    }

    // Convolutions and matrix products of one trunk (the whole early model without its head).
    private static (long Convolutions, long Products) TrunkOf(PainAttnNetConfig config)
    {
        var steps = (long)config.FeatureSteps;
        var embedding = (long)config.EmbeddingChannels;

        // MSCN: three branches of three convolutions, then a Linear on the time axis each.
        long convolutions = 0;
        long products = 0;
        foreach (var shape in new[] { MscnBranchShape.Short, MscnBranchShape.Medium, MscnBranchShape.Long })
        {
            var (first, second, third, output) = BranchLengths(config.WindowSamples, shape);
            convolutions += (long)FirstChannels * first * config.TrunkInputChannels * shape.ConvKernel;
            convolutions += (long)InnerChannels * second * FirstChannels * shape.InnerKernel;
            convolutions += (long)FirstChannels * third * InnerChannels * shape.InnerKernel;
            products += FirstChannels * steps * output;
        }

        // SE-ResNet: two 1x1 convolutions on the main path, one on the residual path.
        var mscnChannels = 3L * FirstChannels;
        convolutions += steps * embedding * ((2 * mscnChannels) + embedding);

        // Encoder: TCN convolutions keep the length plus the causal padding they later drop.
        var paddedSteps = steps + TcnKernel - 1;
        var tcnPerLayer = TcnBlocksPerLayer * TcnConvolutionsPerBlock * embedding * paddedSteps * embedding * TcnKernel;
        var attentionPerLayer = (4 * steps * embedding * embedding) + (2 * steps * steps * embedding);
        var feedForwardPerLayer = 2 * embedding * steps * config.FeedForwardSteps;
        convolutions += config.EncoderLayers * tcnPerLayer;
        products += config.EncoderLayers * (attentionPerLayer + feedForwardPerLayer);
        return (convolutions, products);
    }

    // The late-fusion Linear from every trunk's flattened output to the hidden units; 0 for early fusion.
    private static long FusionLinearOf(PainAttnNetConfig config) =>
        config.Fusion == PainAttnNetFusion.Late
            ? (long)config.Trunks * config.TrunkFeatureLength * config.FusionHiddenUnits
            : 0;

    private static (int First, int Second, int Third, int Output) BranchLengths(int window, MscnBranchShape shape)
    {
        var first = Length(window, shape.ConvKernel, shape.ConvStride, shape.ConvPadding);
        var pooled = Length(first, shape.Pool1Kernel, shape.Pool1Stride, shape.Pool1Padding);
        var second = Length(pooled, shape.InnerKernel, 1, shape.InnerPadding);
        var third = Length(second, shape.InnerKernel, 1, shape.InnerPadding);
        return (first, second, third, MscnBranch.OutputLength(window, shape));
    }

    private static int Length(int length, int kernel, int stride, int padding) =>
        ((length + (2 * padding) - kernel) / stride) + 1;
}
