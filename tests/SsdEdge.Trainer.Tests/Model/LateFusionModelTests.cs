using System.Text.Json;
using System.Text.Json.Nodes;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Model;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class LateFusionModelTests : IDisposable
{
    private const int Channels = 3;
    private const int Hidden = 16;

    private static readonly PainAttnNetConfig LateConfig = new()
    {
        InputChannels = Channels,
        WindowSamples = 1024,
        Classes = 3,
        Fusion = PainAttnNetFusion.Late,
        FusionHiddenUnits = Hidden,
        FusionDropout = 0.25,
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("ssdedge-late-fusion-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ParameterCount_Late_MatchesFormula()
    {
        manual_seed(1);
        var singleChannel = LateConfig with { InputChannels = 1, Fusion = PainAttnNetFusion.Early };
        using var early = new PainAttnNet(singleChannel);
        using var late = new PainAttnNet(LateConfig);

        // A trunk is the one-channel early model without its classifier.
        var trunk = early.ParameterCount - (((long)singleChannel.FeatureLength + 1) * LateConfig.Classes);
        var fusion = (((long)Channels * LateConfig.TrunkFeatureLength) + 1) * Hidden;
        var classifier = (Hidden + 1L) * LateConfig.Classes;
        Assert.Equal((Channels * trunk) + fusion + classifier, late.ParameterCount);
    }

    [Fact]
    public void ParameterCount_FmovShape_IsFixed()
    {
        // Three channels of 2816 samples, 128 hidden units, two classes: 3 × 553,806 trunk
        // parameters, 864,128 in the fusion Linear and 258 in the classifier.
        var config = new PainAttnNetConfig { InputChannels = 3, Fusion = PainAttnNetFusion.Late };
        manual_seed(2);
        using var model = new PainAttnNet(config);
        using var early = new PainAttnNet(config with { Fusion = PainAttnNetFusion.Early });

        Assert.Equal(2_525_804L, model.ParameterCount);
        Assert.Equal(761_316L, early.ParameterCount);
    }

    [Fact]
    public void Forward_Late_HasExpectedShapes()
    {
        manual_seed(3);
        using var model = new PainAttnNet(LateConfig);
        model.eval();
        using var input = randn(2, Channels, 1024);

        using var logits = model.forward(input);
        using var features = model.ExtractFeatures(input);
        using var headLogits = model.ForwardHead(features);

        Assert.Equal([2L, 3L], logits.shape);
        Assert.Equal([2L, Hidden], features.shape);
        Assert.Equal(Hidden, LateConfig.FeatureLength);
        Assert.Equal([Hidden], LateConfig.FeatureShape());
        using var difference = (logits - headLogits).abs().max();
        Assert.Equal(0f, difference.item<float>());
    }

    [Fact]
    public void Forward_WrongChannelCount_Throws()
    {
        manual_seed(4);
        using var model = new PainAttnNet(LateConfig);
        using var input = randn(2, Channels - 1, 1024);

        var error = Assert.Throws<ArgumentException>(() => model.forward(input));

        Assert.Contains($"(batch, {Channels}, 1024)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FusionHidden_EqualsModuleComposition()
    {
        // Channel i through trunks.i, flattened outputs concatenated in channel order, then
        // fusion.0 and fusion.1, composed here module by module.
        manual_seed(5);
        using var model = new PainAttnNet(LateConfig);
        model.eval();
        using var input = randn(2, Channels, 1024);
        var modules = model.named_modules().ToDictionary(entry => entry.name, entry => entry.module);

        using var scope = NewDisposeScope();
        var flattened = Enumerable.Range(0, Channels)
            .Select(channel => ((nn.Module<Tensor, Tensor>)modules[$"trunks.{channel}"])
                .call(input[.., channel..(channel + 1)])
                .reshape(2, -1))
            .ToArray();
        var linear = ((nn.Module<Tensor, Tensor>)modules["fusion.0"]).call(cat(flattened, 1));
        var expected = ((nn.Module<Tensor, Tensor>)modules["fusion.1"]).call(linear);
        var hidden = model.ForwardFusionHidden(input);

        Assert.Equal([2L, Hidden], hidden.shape);
        var difference = (hidden - expected).abs().max().item<float>();
        Assert.True(difference < 1e-6, $"module-by-module composition differs by {difference}");
    }

    [Fact]
    public void StateDict_Late_HasTrunkAndFusionNames()
    {
        manual_seed(6);
        using var model = new PainAttnNet(LateConfig);

        var state = model.state_dict();

        Assert.Contains("trunks.0.mscn.short_scale.0.weight", state.Keys);
        Assert.Contains("trunks.2.seresnet.layer.0.conv1.weight", state.Keys);
        Assert.Contains("trunks.2.encoderWrapper.layers.1.self_attn.multihead_attention.in_proj_weight", state.Keys);
        Assert.Contains("trunks.1.encoderWrapper.norm.weight", state.Keys);
        Assert.Contains("fusion.0.weight", state.Keys);
        Assert.Contains("fusion.0.bias", state.Keys);
        Assert.Contains("fc.weight", state.Keys);
        Assert.DoesNotContain(state.Keys, key => key.StartsWith("mscn.", StringComparison.Ordinal));
        Assert.DoesNotContain(state.Keys, key => key.StartsWith("encoderWrapper.", StringComparison.Ordinal));
        Assert.DoesNotContain(state.Keys, key => key.StartsWith("trunks.3.", StringComparison.Ordinal));
        Assert.Equal([(long)Hidden, Channels * 30L * 75L], state["fusion.0.weight"].shape);
        Assert.Equal([3L, Hidden], state["fc.weight"].shape);
        Assert.Equal([1L], state["trunks.1.mscn.short_scale.0.weight"].shape[1..2]);
        var moduleNames = model.named_modules().Select(entry => entry.name).ToArray();
        Assert.Contains("fusion.1", moduleNames);
        Assert.Contains("fusion.2", moduleNames);
    }

    [Fact]
    public void StateDict_Early_HasNoLateNames()
    {
        manual_seed(7);
        using var model = new PainAttnNet(LateConfig with { Fusion = PainAttnNetFusion.Early });

        var state = model.state_dict();

        Assert.Contains("mscn.short_scale.0.weight", state.Keys);
        Assert.Contains("encoderWrapper.norm.weight", state.Keys);
        Assert.DoesNotContain(state.Keys, key => key.StartsWith("trunks.", StringComparison.Ordinal));
        Assert.DoesNotContain(state.Keys, key => key.StartsWith("fusion.", StringComparison.Ordinal));
        Assert.Equal([3L, 2250L], state["fc.weight"].shape);
    }

    [Fact]
    public void EarlyStageMethods_LateModel_Throw()
    {
        manual_seed(8);
        using var late = new PainAttnNet(LateConfig);
        using var early = new PainAttnNet(LateConfig with { Fusion = PainAttnNetFusion.Early });
        using var input = randn(1, Channels, 1024);

        var mscnError = Assert.Throws<InvalidOperationException>(() => late.ForwardMscn(input));
        var stagesError = Assert.Throws<InvalidOperationException>(() => late.ForwardStages(input));
        var fusionError = Assert.Throws<InvalidOperationException>(() => early.ForwardFusionHidden(input));

        Assert.Contains("late fusion", mscnError.Message, StringComparison.Ordinal);
        Assert.Contains("late fusion", stagesError.Message, StringComparison.Ordinal);
        Assert.Contains("early fusion", fusionError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveLoad_Late_SameOutputsAndConfig()
    {
        var path = Path.Combine(_folder, "late.bin");
        var inputs = Enumerable.Range(0, 2 * Channels * 1024).Select(i => (float)Math.Sin(i * 0.013)).ToArray();
        manual_seed(9);
        using var model = new PainAttnNet(LateConfig);
        var before = new Predictor(model).Predict(inputs, includeFeatures: true);

        ModelCheckpoint.Save(model, path, ["none", "low", "high"]);
        using var loaded = ModelCheckpoint.Load(path);
        var after = new Predictor(loaded).Predict(inputs, includeFeatures: true);
        var sidecar = File.ReadAllText(ModelCheckpoint.SidecarPath(path));

        Assert.Equal(LateConfig, loaded.Config);
        Assert.Equal(before.Logits, after.Logits);
        Assert.Equal(before.Features, after.Features);
        Assert.Equal(Hidden, after.FeatureLength);
        Assert.Contains("\"fusion\": \"late\"", sidecar, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MismatchedSidecar_ThrowsInvalidData()
    {
        var path = Path.Combine(_folder, "late.bin");
        manual_seed(10);
        using (var model = new PainAttnNet(LateConfig))
        {
            ModelCheckpoint.Save(model, path);
        }

        var sidecar = JsonNode.Parse(File.ReadAllText(ModelCheckpoint.SidecarPath(path)))!;
        sidecar["config"]!.AsObject().Remove("fusion");
        File.WriteAllText(ModelCheckpoint.SidecarPath(path), sidecar.ToJsonString());

        Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(path));
    }

    [Fact]
    public void RunInfo_WithoutFusionProperties_LoadsAsEarly()
    {
        var info = new RunInfo
        {
            RunId = "old",
            Source = "synthetic:1",
            FoldPlan = "holdout",
            Folds = [],
            Model = new PainAttnNetConfig { InputChannels = 3, WindowSamples = 1024 },
            Training = new TrainingSettings(1, 16, 1e-3, 1e-3, true, 1, "cpu"),
        };
        var node = JsonSerializer.SerializeToNode(info, SignalContractJson.Options)!;
        var model = node["model"]!.AsObject();
        model.Remove("fusion");
        model.Remove("fusionHiddenUnits");
        model.Remove("fusionDropout");

        var loaded = node.Deserialize<RunInfo>(SignalContractJson.Options)!;

        Assert.Equal(PainAttnNetFusion.Early, loaded.Model.Fusion);
        Assert.Equal(128, loaded.Model.FusionHiddenUnits);
        Assert.Equal(0.5, loaded.Model.FusionDropout);
        Assert.Equal(info.Model, loaded.Model);
    }

    [Fact]
    public void RunInfo_Late_RoundTrips()
    {
        var info = new RunInfo
        {
            RunId = "late",
            Source = "synthetic:1",
            FoldPlan = "holdout",
            Folds = [],
            Model = LateConfig,
            Training = new TrainingSettings(1, 16, 1e-3, 1e-3, true, 1, "cpu"),
        };

        var json = JsonSerializer.Serialize(info, SignalContractJson.Options);
        var loaded = JsonSerializer.Deserialize<RunInfo>(json, SignalContractJson.Options)!;

        Assert.Equal(LateConfig, loaded.Model);
        Assert.Contains("\"fusion\": \"late\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInfo_SidecarWithoutFusion_LoadsAsEarly()
    {
        var path = Path.Combine(_folder, "early.bin");
        var config = new PainAttnNetConfig { WindowSamples = 1024 };
        manual_seed(11);
        using (var model = new PainAttnNet(config))
        {
            ModelCheckpoint.Save(model, path);
        }

        var sidecar = JsonNode.Parse(File.ReadAllText(ModelCheckpoint.SidecarPath(path)))!;
        var stored = sidecar["config"]!.AsObject();
        stored.Remove("fusion");
        stored.Remove("fusionHiddenUnits");
        stored.Remove("fusionDropout");
        File.WriteAllText(ModelCheckpoint.SidecarPath(path), sidecar.ToJsonString());

        var info = ModelCheckpoint.ReadInfo(path);
        using var loaded = ModelCheckpoint.Load(path);

        Assert.Equal(PainAttnNetFusion.Early, info.Config.Fusion);
        Assert.Equal(config, loaded.Config);
    }

    [Fact]
    public void ImportTeacher_LateStateDict_RejectedAsLate()
    {
        var stateDict = Path.Combine(_folder, "late.pt");
        manual_seed(12);
        using (var model = new PainAttnNet(LateConfig))
        {
            model.save_py(stateDict);
        }

        var request = new TeacherImportRequest
        {
            StateDictPath = stateDict,
            RunDirectory = Path.Combine(_folder, "imported"),
            Channels = ["eda", "ecg", "emg"],
            WindowSamples = 1024,
            Classes = 3,
        };

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Execute(request, TextWriter.Null));

        Assert.Contains("late-fusion", error.Message, StringComparison.Ordinal);
        Assert.Contains("--fusion late", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(request.RunDirectory), "a rejected import left a run behind");
    }

    [Theory]
    [InlineData(0, 0.5, "hidden unit")]
    [InlineData(16, 1.0, "fusion dropout")]
    [InlineData(16, -0.1, "fusion dropout")]
    [InlineData(16, double.NaN, "fusion dropout")]
    public void Validate_BadFusionHead_Throws(int hidden, double dropout, string expected)
    {
        var config = LateConfig with { FusionHiddenUnits = hidden, FusionDropout = dropout };

        var error = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownFusion_Throws()
    {
        var config = LateConfig with { Fusion = (PainAttnNetFusion)7 };

        var error = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains("Early or Late", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complexity_Late_CountsTrunksAndFusionHead()
    {
        var config = new PainAttnNetConfig { InputChannels = 3, Fusion = PainAttnNetFusion.Late };
        var trunk = PainAttnNetComplexity.Of(new PainAttnNetConfig { Classes = 2 });
        var trunkHead = 2250L * 2;

        var late = PainAttnNetComplexity.Of(config);
        var stages = PainAttnNetComplexity.StagesOf(config);

        var fusion = 3L * 2250 * 128;
        var classifier = 128L * 2;
        Assert.Equal(3 * trunk.Convolutions, late.Convolutions);
        Assert.Equal((3 * (trunk.MatrixProducts - trunkHead)) + fusion + classifier, late.MatrixProducts);
        Assert.Equal(late.MultiplyAccumulates, stages.Total);
        Assert.Equal(fusion, stages.Fusion);
        Assert.Equal(classifier, stages.Head);
        Assert.Equal(stages.Total - classifier, stages.PrefixBeforeFusionDropout);
    }
}
