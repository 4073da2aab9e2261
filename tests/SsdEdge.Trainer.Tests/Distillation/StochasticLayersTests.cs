using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using Xunit;

namespace SsdEdge.Trainer.Tests.Distillation;

public sealed class StochasticLayersTests
{
    private static readonly PainAttnNetConfig SmallConfig = new() { WindowSamples = 1024 };

    [Fact]
    public void Candidates_PainAttnNet_ListsDropoutsAndAttention()
    {
        using var model = new PainAttnNet(SmallConfig);

        var candidates = StochasticLayers.Candidates(model);

        Assert.Equal(12, candidates.Count);
        Assert.Contains("mscn.short_scale.4", candidates);
        Assert.Contains("mscn.dropout", candidates);
        Assert.Contains("encoderWrapper.layers.1.sublayer_output.0.dropout", candidates);
        Assert.Contains("encoderWrapper.layers.0.self_attn.multihead_attention", candidates);
    }

    [Fact]
    public void Select_EncoderPreset_SkipsMscn()
    {
        using var model = new PainAttnNet(SmallConfig);

        var selected = StochasticLayers.Parse("encoder").Select(model);

        Assert.Equal(8, selected.Count);
        Assert.All(selected, name => Assert.StartsWith("encoderWrapper.", name, StringComparison.Ordinal));
    }

    [Fact]
    public void Select_HeadPreset_TakesLastEncoderLayer()
    {
        using var model = new PainAttnNet(SmallConfig);

        var selected = StochasticLayers.Parse("head").Select(model);

        Assert.Equal(4, selected.Count);
        Assert.All(selected, name => Assert.StartsWith("encoderWrapper.layers.1.", name, StringComparison.Ordinal));
    }

    [Fact]
    public void Select_AllPreset_TakesEveryCandidate()
    {
        using var model = new PainAttnNet(SmallConfig);

        var selected = StochasticLayers.Parse("ALL").Select(model);

        Assert.Equal(StochasticLayers.Candidates(model), selected);
    }

    [Fact]
    public void Select_GlobPatterns_MatchWholeNames()
    {
        using var model = new PainAttnNet(SmallConfig);

        var selected = StochasticLayers.Parse("mscn.*_scale.4, encoderWrapper.layers.?.feed_forward.dropout")
            .Select(model);

        Assert.Equal(
            [
                "mscn.short_scale.4",
                "mscn.medium_scale.4",
                "mscn.long_scale.4",
                "encoderWrapper.layers.0.feed_forward.dropout",
                "encoderWrapper.layers.1.feed_forward.dropout",
            ],
            selected);
    }

    [Fact]
    public void Select_PrefixWithoutWildcard_MatchesNothing()
    {
        using var model = new PainAttnNet(SmallConfig);

        var selected = StochasticLayers.Parse("mscn").Select(model);

        Assert.Empty(selected);
    }

    [Fact]
    public void Parse_EmptyPattern_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => StochasticLayers.Parse("mscn.dropout,,"));

        Assert.Contains("empty pattern", error.Message, StringComparison.Ordinal);
    }
}
