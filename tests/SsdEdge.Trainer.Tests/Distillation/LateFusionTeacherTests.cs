using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Distillation;

/// <summary>
/// The <c>head</c> selection on a late-fusion teacher: the trunks and the fusion Linear and ReLU
/// run once per batch, and only the fusion dropout runs on the N copies.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class LateFusionTeacherTests
{
    private const int Passes = 6;
    private const int Windows = 3;
    private const int Channels = 2;

    private static readonly PainAttnNetConfig LateConfig = new()
    {
        InputChannels = Channels,
        WindowSamples = 1024,
        Fusion = PainAttnNetFusion.Late,
        FusionHiddenUnits = 24,
    };

    [Fact]
    public void Select_HeadOnLate_IsFusionDropout()
    {
        manual_seed(21);
        using var model = new PainAttnNet(LateConfig);

        var head = StochasticLayers.Parse("head").Select(model);
        var encoder = StochasticLayers.Parse("encoder").Select(model);
        var all = StochasticLayers.Parse("all").Select(model);

        Assert.Equal(["fusion.2"], head);
        Assert.Contains("trunks.0.encoderWrapper.layers.0.self_attn.multihead_attention", encoder);
        Assert.Contains("trunks.1.encoderWrapper.layers.1.feed_forward.dropout", encoder);
        Assert.DoesNotContain(encoder, name => name.Contains(".mscn.", StringComparison.Ordinal));
        Assert.DoesNotContain("fusion.2", encoder);
        Assert.Contains("trunks.1.mscn.dropout", all);
        Assert.Contains("fusion.2", all);
        Assert.Equal(StochasticLayers.Candidates(model).Count, all.Count);
    }

    [Fact]
    public void Sample_LateHead_RunsTrunksOncePerWindow()
    {
        set_num_threads(1);
        manual_seed(22);
        using var model = new PainAttnNet(LateConfig);
        var mscnRows = 0L;
        // The trunk's MSCN branch is a Sequential, which calls its children through call(), so
        // the hook counts every row that reaches the last trunk's first convolution.
        var firstConvolution = (nn.Module<Tensor, Tensor>)model.named_modules()
            .Single(entry => entry.name == $"trunks.{Channels - 1}.mscn.short_scale.0").module;
        var hook = firstConvolution.register_forward_hook((_, input, output) =>
        {
            mscnRows += input.shape[0];
            return output;
        });
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("head"));
        using var input = randn(Windows, Channels, 1024);

        using var features = teacher.Sample(input, Passes);
        hook.remove();

        Assert.True(teacher.FusionDropoutOnly);
        Assert.True(teacher.PrefixRunsOnce);
        Assert.Null(teacher.PrefixEncoderLayers);
        Assert.Equal(["fusion.2"], teacher.ActiveModules);
        Assert.Equal(Windows, mscnRows);
        Assert.Equal(Windows, teacher.MscnWindows);
        Assert.Equal((long)Windows * Passes, teacher.SuffixRows);
        Assert.Contains("once per batch", teacher.DescribeSplit(), StringComparison.Ordinal);
        Assert.Equal([(long)Windows, Passes, LateConfig.FusionHiddenUnits], features.shape);
    }

    [Fact]
    public void Sample_LateHead_PassesDiffer()
    {
        set_num_threads(1);
        manual_seed(23);
        using var model = new PainAttnNet(LateConfig);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("head"));
        using var input = randn(Windows, Channels, 1024);

        using var features = teacher.Sample(input, Passes);

        using var firstVersusSecond = (features[.., 0] - features[.., 1]).abs().max();
        var difference = firstVersusSecond.item<float>();
        Assert.True(difference > 1e-3, $"passes 1 and 2 differ by {difference}");
        Assert.False(features.requires_grad);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2 * Windows)]
    public void Sample_LateHeadSameSeed_EqualsFullPasses(int? chunkRows)
    {
        // In float64, so that the rounding differences of products over 3 and 18 rows (about
        // 2e-6 in float32) stay far below the bound and a mask difference shows.
        set_num_threads(1);
        manual_seed(24);
        using var model = new PainAttnNet(LateConfig);
        model.to(ScalarType.Float64);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("head"), chunkRows: chunkRows);
        using var input = randn(Windows, Channels, 1024, dtype: ScalarType.Float64);

        // One dropout draws its masks on tensors of the same shape in the same order.
        manual_seed(25);
        using var split = teacher.Sample(input, Passes);
        manual_seed(25);
        using var full = FullPasses(model, input, chunkRows is null ? Passes : chunkRows.Value / Windows);

        Assert.Equal([(long)Windows, Passes, LateConfig.FusionHiddenUnits], split.shape);
        using var difference = (split - full).abs().max();
        Assert.True(
            difference.item<double>() < 1e-6,
            $"split and full passes differ by {difference.item<double>()}");
    }

    [Fact]
    public void Sample_ZeroFusionDropout_Throws()
    {
        set_num_threads(1);
        manual_seed(26);
        using var model = new PainAttnNet(LateConfig with { FusionDropout = 0 });
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("head"));
        using var input = randn(Windows, Channels, 1024);

        var error = Assert.Throws<InvalidOperationException>(() => teacher.Sample(input, Passes));

        Assert.Contains("identical", error.Message, StringComparison.Ordinal);
        Assert.Contains("switches on fusion.2 at its configured rate (0).", error.Message, StringComparison.Ordinal);
        Assert.Contains("set --dropout-rate above 0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--dropout-rate the configured rate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_LateEncoder_RunsTrunkStartsOnce()
    {
        set_num_threads(1);
        manual_seed(27);
        using var model = new PainAttnNet(LateConfig);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"));
        using var input = randn(Windows, Channels, 1024);

        using var features = teacher.Sample(input, Passes);

        Assert.True(teacher.PrefixRunsOnce);
        Assert.False(teacher.FusionDropoutOnly);
        Assert.Equal(0, teacher.PrefixEncoderLayers);
        Assert.StartsWith("every trunk's MSCN, SE-ResNet and layer 0", teacher.DescribeSplit(), StringComparison.Ordinal);
        Assert.Equal(Windows, teacher.MscnWindows);
        Assert.Equal([(long)Windows, Passes, LateConfig.FusionHiddenUnits], features.shape);
        using var firstVersusSecond = (features[.., 0] - features[.., 1]).abs().max();
        Assert.True(firstVersusSecond.item<float>() > 1e-4, "encoder passes are identical");
    }

    [Fact]
    public void Sample_LateEncoderSameSeed_EqualsFullPasses()
    {
        // In float64, as for the head preset above.
        set_num_threads(1);
        manual_seed(31);
        using var model = new PainAttnNet(LateConfig);
        model.to(ScalarType.Float64);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"));
        using var input = randn(Windows, Channels, 1024, dtype: ScalarType.Float64);

        // Every trunk's dropouts, then the fusion dropout, draw in the same order on tensors of
        // the same shape.
        manual_seed(32);
        using var split = teacher.Sample(input, Passes);
        manual_seed(32);
        using var full = FullPasses(model, input, Passes);

        using var difference = (split - full).abs().max();
        Assert.True(
            difference.item<double>() < 1e-6,
            $"split and full passes differ by {difference.item<double>()}");
    }

    [Fact]
    public void Constructor_LaterTrunkLayerPattern_SplitsAtThatLayer()
    {
        using var model = new PainAttnNet(LateConfig);

        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("trunks.1.encoderWrapper.layers.1.*"));

        Assert.Equal(1, teacher.PrefixEncoderLayers);
        Assert.Contains("encoder layer 0 and layer 1", teacher.DescribeSplit(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TrunkMscnPattern_RunsWholeTeacherPerPass()
    {
        using var model = new PainAttnNet(LateConfig);

        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("trunks.0.mscn.*,fusion.2"));

        Assert.False(teacher.PrefixRunsOnce);
        Assert.Equal("whole teacher per pass", teacher.DescribeSplit());
    }

    [Fact]
    public void Sample_LateHeadRateOverride_UsesRate()
    {
        set_num_threads(1);
        manual_seed(28);
        using var model = new PainAttnNet(LateConfig with { FusionDropout = 0 });
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("head"), dropoutRate: 0.3);
        using var input = randn(Windows, Channels, 1024);

        using var features = teacher.Sample(input, Passes);

        // Zeroed units among the units that are positive after the ReLU, over all passes.
        using var hidden = model.ForwardFusionHidden(input);
        using var positive = hidden.gt(0).unsqueeze(1).expand_as(features);
        using var zeroed = features.eq(0).logical_and(positive).sum().to(ScalarType.Float64);
        var share = zeroed.item<double>() / positive.sum().item<long>();
        Assert.InRange(share, 0.2, 0.4);
    }

    // N full passes on N copies of the input, in chunks of passesPerChunk, regrouped to (B, N, D).
    private static Tensor FullPasses(PainAttnNet model, Tensor input, int passesPerChunk)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var chunks = new List<Tensor>();
        for (var done = 0; done < Passes; done += passesPerChunk)
        {
            var count = Math.Min(passesPerChunk, Passes - done);
            chunks.Add(model.ExtractFeatures(input.repeat(count, 1, 1)).reshape(count, Windows, -1));
        }

        return cat(chunks, 0).permute(1, 0, 2).contiguous().MoveToOuterDisposeScope();
    }
}
