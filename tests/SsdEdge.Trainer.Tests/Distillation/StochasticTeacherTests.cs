using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Distillation;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class StochasticTeacherTests
{
    private const int Passes = 4;
    private static readonly PainAttnNetConfig SmallConfig = new() { WindowSamples = 1024 };

    [Fact]
    public void Sample_EncoderPreset_PassesDiffer()
    {
        set_num_threads(1);
        manual_seed(1);
        using var model = new PainAttnNet(SmallConfig);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"));
        using var input = randn(3, 1, 1024);

        using var features = teacher.Sample(input, Passes);

        Assert.Equal([3L, Passes, SmallConfig.FeatureLength], features.shape);
        using var firstVersusSecond = (features[.., 0] - features[.., 1]).abs().max();
        var difference = firstVersusSecond.item<float>();
        Assert.True(difference > 1e-3, $"passes 1 and 2 differ by {difference}");
        Assert.False(features.requires_grad);
    }

    [Fact]
    public void Sample_EncoderPreset_RunsMscnOncePerWindow()
    {
        set_num_threads(1);
        manual_seed(2);
        using var model = new PainAttnNet(SmallConfig);
        var mscnRows = 0L;
        // PainAttnNet calls its stages' forward directly, which skips hooks; Sequential calls its
        // children through call(), so the first convolution of a branch receives every MSCN row.
        var firstConvolution = (nn.Module<Tensor, Tensor>)model.named_modules()
            .Single(entry => entry.name == "mscn.short_scale.0").module;
        var hook = firstConvolution.register_forward_hook((_, input, output) =>
        {
            mscnRows += input.shape[0];
            return output;
        });
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"));
        using var input = randn(3, 1, 1024);

        using var features = teacher.Sample(input, Passes);
        hook.remove();

        Assert.True(teacher.PrefixRunsOnce);
        Assert.Equal(3L, mscnRows);
        Assert.Equal(3L, teacher.MscnWindows);
    }

    [Fact]
    public void Sample_AllPreset_RunsMscnOncePerPass()
    {
        set_num_threads(1);
        manual_seed(3);
        using var model = new PainAttnNet(SmallConfig);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("all"));
        using var input = randn(2, 1, 1024);

        using var features = teacher.Sample(input, Passes);

        Assert.False(teacher.PrefixRunsOnce);
        Assert.Equal(2L * Passes, teacher.MscnWindows);
    }

    [Fact]
    public void Sample_LowRate_StaysNearEvalForward()
    {
        // Each window's passes spread around the deterministic (eval-mode) representation.
        set_num_threads(1);
        manual_seed(4);
        using var model = new PainAttnNet(SmallConfig);
        using var input = randn(2, 1, 1024);
        model.eval();
        using var deterministic = model.ExtractFeatures(input).reshape(2, -1);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"), dropoutRate: 0.01);

        using var features = teacher.Sample(input, Passes);

        using var ownWindow = (features[0].mean([0]) - deterministic[0]).abs().mean();
        using var otherWindow = (features[0].mean([0]) - deterministic[1]).abs().mean();
        Assert.True(
            ownWindow.item<float>() < otherWindow.item<float>(),
            $"distance to own window {ownWindow.item<float>()}, to the other {otherWindow.item<float>()}");
    }

    [Fact]
    public void Constructor_EncoderPreset_FreezesAndKeepsBatchNormInEval()
    {
        manual_seed(5);
        using var model = new PainAttnNet(SmallConfig);

        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"));

        Assert.All(model.parameters(), parameter => Assert.False(parameter.requires_grad));
        var modes = model.named_modules().ToDictionary(entry => entry.name, entry => entry.module.training);
        Assert.False(modes["mscn.short_scale.1"]);
        Assert.False(modes["mscn.short_scale.4"]);
        Assert.False(modes["seresnet"]);
        Assert.True(modes["encoderWrapper.layers.0.feed_forward.dropout"]);
        Assert.True(modes["encoderWrapper.layers.1.self_attn.multihead_attention"]);
        Assert.False(modes["encoderWrapper.layers.0.conv"]);
        Assert.Equal(8, teacher.ActiveModules.Count);
    }

    [Fact]
    public void Constructor_DropoutRate_SetsSelectedModulesOnly()
    {
        using var model = new PainAttnNet(SmallConfig);

        _ = new StochasticTeacher(model, StochasticLayers.Parse("head"), dropoutRate: 0.3);

        var rates = model.named_modules()
            .Where(entry => entry.module is GapDropout)
            .ToDictionary(entry => entry.name, entry => ((GapDropout)entry.module).Rate);
        Assert.Equal(0.3, rates["encoderWrapper.layers.1.feed_forward.dropout"]);
        Assert.Equal(0.1, rates["encoderWrapper.layers.0.feed_forward.dropout"]);
        Assert.Equal(0.5, rates["mscn.dropout"]);
    }

    [Fact]
    public void Sample_RateZero_ThrowsNamingSettings()
    {
        set_num_threads(1);
        using var model = new PainAttnNet(SmallConfig);
        var teacher = new StochasticTeacher(
            model,
            StochasticLayers.Parse("encoderWrapper.*.dropout"),
            dropoutRate: 0);
        using var input = randn(2, 1, 1024);

        var error = Assert.Throws<InvalidOperationException>(() => teacher.Sample(input, Passes));

        Assert.Contains("--stochastic-layers", error.Message, StringComparison.Ordinal);
        Assert.Contains(".dropout at --dropout-rate 0. Select other modules", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_EncoderPresetRateZero_AttentionSilencedToo()
    {
        set_num_threads(1);
        using var model = new PainAttnNet(SmallConfig);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"), dropoutRate: 0);
        using var input = randn(2, 1, 1024);

        // With attention dropout also at 0 every pass is the eval-mode forward.
        var error = Assert.Throws<InvalidOperationException>(() => teacher.Sample(input, Passes));

        Assert.Contains("--dropout-rate 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PatternMatchingNothing_ThrowsNamingSetting()
    {
        using var model = new PainAttnNet(SmallConfig);

        var error = Assert.Throws<ArgumentException>(
            () => new StochasticTeacher(model, StochasticLayers.Parse("fc.dropout")));

        Assert.Contains("--stochastic-layers 'fc.dropout'", error.Message, StringComparison.Ordinal);
        Assert.Contains("mscn.dropout", error.Message, StringComparison.Ordinal);
    }
}
