using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Distillation;

/// <summary>
/// The teacher's split into a prefix run once per batch and a suffix run once per pass gives the
/// representations of N full passes.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class TeacherSplitTests
{
    private const int Passes = 5;
    private const int Windows = 3;
    private static readonly PainAttnNetConfig SmallConfig = new() { WindowSamples = 1024 };

    [Theory]
    [InlineData("encoder")]
    [InlineData("head")]
    [InlineData("all")]
    public void Sample_SameSeed_EqualsFullPasses(string preset)
    {
        set_num_threads(1);
        manual_seed(11);
        using var model = new PainAttnNet(SmallConfig);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse(preset));
        using var input = randn(Windows, 1, 1024);

        // The same dropout modules draw their masks in the same order on tensors of the same shape.
        manual_seed(12);
        using var split = teacher.Sample(input, Passes);
        manual_seed(12);
        using var full = FullPasses(model, input);

        Assert.Equal([(long)Windows, Passes, SmallConfig.FeatureLength], split.shape);
        var difference = MaxDifference(split, full);
        Assert.True(difference < 1e-4, $"{preset}: split and full passes differ by {difference}");
    }

    [Theory]
    [InlineData("encoder", null)]
    [InlineData("head", null)]
    [InlineData("encoder", 2 * Windows)]
    [InlineData("all", Windows)]
    public void Represent_ZeroRate_EqualsEvalForward(string preset, int? chunkRows)
    {
        set_num_threads(1);
        manual_seed(13);
        using var model = new PainAttnNet(SmallConfig);
        using var reference = new PainAttnNet(SmallConfig);
        reference.load_state_dict(model.state_dict());
        reference.eval();
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse(preset), dropoutRate: 0, chunkRows);
        using var input = randn(Windows, 1, 1024);

        using var passes = teacher.Represent(input, Passes);
        using var evalFeatures = reference.ExtractFeatures(input);
        using var expected = evalFeatures.reshape(Windows, 1, -1).expand(Windows, Passes, -1);

        Assert.Equal([(long)Windows, Passes, SmallConfig.FeatureLength], passes.shape);
        var difference = MaxDifference(passes, expected);
        Assert.True(difference < 1e-4, $"{preset}: rate-0 passes differ from eval by {difference}");
    }

    [Fact]
    public void Sample_HeadPreset_RunsFirstEncoderLayerOnce()
    {
        set_num_threads(1);
        manual_seed(14);
        using var model = new PainAttnNet(SmallConfig);
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("head"));
        using var input = randn(Windows, 1, 1024);

        using var features = teacher.Sample(input, Passes);

        Assert.Equal(1, teacher.PrefixEncoderLayers);
        Assert.Equal(Windows, teacher.MscnWindows);
        Assert.Equal((long)Windows * Passes, teacher.SuffixRows);
    }

    [Fact]
    public void Sample_EncoderPreset_HasNoPrefixEncoderLayer()
    {
        manual_seed(15);
        using var model = new PainAttnNet(SmallConfig);

        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"));

        Assert.Equal(0, teacher.PrefixEncoderLayers);
    }

    [Fact]
    public void Sample_MscnPattern_HasNoPrefix()
    {
        manual_seed(16);
        using var model = new PainAttnNet(SmallConfig);

        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("mscn.dropout"));

        Assert.Null(teacher.PrefixEncoderLayers);
    }

    [Fact]
    public void Sample_Chunked_PassesDifferAcrossChunks()
    {
        set_num_threads(1);
        manual_seed(17);
        using var model = new PainAttnNet(SmallConfig);
        // Chunks of two passes: passes 0-1, 2-3 and 4.
        var teacher = new StochasticTeacher(model, StochasticLayers.Parse("encoder"), chunkRows: 2 * Windows);
        using var input = randn(Windows, 1, 1024);

        using var features = teacher.Sample(input, Passes);

        Assert.Equal([(long)Windows, Passes, SmallConfig.FeatureLength], features.shape);
        using var lastVersusFirst = (features[.., Passes - 1] - features[.., 0]).abs().max();
        Assert.True(lastVersusFirst.item<float>() > 1e-3, "passes of different chunks are identical");
        Assert.Equal((long)Windows * Passes, teacher.SuffixRows);
    }

    [Fact]
    public void Constructor_ZeroChunkRows_Throws()
    {
        manual_seed(18);
        using var model = new PainAttnNet(SmallConfig);

        Assert.Throws<ArgumentOutOfRangeException>(
            () => new StochasticTeacher(model, StochasticLayers.Parse("encoder"), chunkRows: 0));
    }

    [Fact]
    public void StagesOf_DefaultConfig_AddUpToTotal()
    {
        var config = new PainAttnNetConfig();

        var stages = PainAttnNetComplexity.StagesOf(config);

        Assert.Equal(PainAttnNetComplexity.Of(config).MultiplyAccumulates, stages.Total);
        Assert.Equal(stages.Total - stages.Head, stages.Prefix(1) + stages.Suffix(1));
        Assert.Equal(0L, stages.Prefix(null));
    }

    // N full passes of the teacher on N copies of the input, regrouped to (B, N, D).
    private static Tensor FullPasses(PainAttnNet model, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var repeated = input.repeat(Passes, 1, 1);
        var features = model.ExtractFeatures(repeated);
        return features.reshape(Passes, Windows, -1).permute(1, 0, 2).contiguous().MoveToOuterDisposeScope();
    }

    private static float MaxDifference(Tensor left, Tensor right)
    {
        using var difference = (left - right).abs().max();
        return difference.item<float>();
    }
}
