using SsdEdge.Trainer.Model;
using Xunit;

namespace SsdEdge.Trainer.Tests.Model;

public sealed class PainAttnNetComplexityTests
{
    [Fact]
    public void Of_ReferenceConfig_MatchesPublishedCount()
    {
        // The published single-channel model: about 48.7 M MACs per window, 46 M in convolutions.
        var complexity = PainAttnNetComplexity.Of(new PainAttnNetConfig());

        Assert.InRange(complexity.MultiplyAccumulates, 48_200_000, 49_200_000);
        Assert.InRange(complexity.Convolutions, 45_500_000, 46_500_000);
        Assert.Equal(2 * complexity.MultiplyAccumulates, complexity.FloatingPointOperations);
    }

    [Fact]
    public void Of_MoreInputChannels_GrowsOnlyFirstConvolutions()
    {
        var one = PainAttnNetComplexity.Of(new PainAttnNetConfig());
        var three = PainAttnNetComplexity.Of(new PainAttnNetConfig { InputChannels = 3 });

        // First convolutions: 64 x (470 x 50 + 68 x 512 + 34 x 1024) MACs per input channel.
        long firstConvolutionsPerChannel = 64L * ((470 * 50) + (68 * 512) + (34 * 1024));
        Assert.Equal(2 * firstConvolutionsPerChannel, three.Convolutions - one.Convolutions);
        Assert.Equal(one.MatrixProducts, three.MatrixProducts);
    }
}
