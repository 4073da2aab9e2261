using SsdEdge.Tests;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Training;

public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ssdedge-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SaveLoad_ThreeChannels_SameOutputs()
    {
        var config = new PainAttnNetConfig { InputChannels = 3, WindowSamples = 1024, Classes = 3 };
        var path = Path.Combine(_folder, "model.bin");
        var inputs = Enumerable.Range(0, 2 * 3 * 1024).Select(i => (float)Math.Sin(i * 0.01)).ToArray();
        using var model = new PainAttnNet(config);
        var before = new Predictor(model).Predict(inputs);

        ModelCheckpoint.Save(model, path, ["none", "low", "high"]);
        using var loaded = ModelCheckpoint.Load(path);
        var after = new Predictor(loaded).Predict(inputs);
        var info = ModelCheckpoint.ReadInfo(path);

        Assert.Equal(config, loaded.Config);
        Assert.Equal(before.Logits, after.Logits);
        Assert.Equal(["none", "low", "high"], info.ClassLabels);
        Assert.Equal(ModelCheckpoint.FormatVersion, info.Version);
    }

    [Fact]
    public void Load_MissingSidecar_ThrowsNamingSidecar()
    {
        var path = Path.Combine(_folder, "model.bin");
        using (var model = new PainAttnNet(new PainAttnNetConfig { WindowSamples = 1024 }))
        {
            ModelCheckpoint.Save(model, path);
        }

        File.Delete(ModelCheckpoint.SidecarPath(path));

        var error = Assert.Throws<FileNotFoundException>(() => ModelCheckpoint.Load(path));

        Assert.Contains("model.bin.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInfo_ForeignJson_ThrowsInvalidData()
    {
        var path = Path.Combine(_folder, "model.bin");
        File.WriteAllText(ModelCheckpoint.SidecarPath(path), """{"format": "other", "version": 1}""");

        var error = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.ReadInfo(path));

        Assert.Contains("'other'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_Reference_LoadsInEvalMode()
    {
        var path = TestData.PathOf("reference/painattnnet_reference.pt");

        using var model = ModelCheckpoint.ImportPyTorchStateDict(path);

        Assert.False(model.training, "an imported model should start in eval mode.");
        Assert.Equal(558_308, model.ParameterCount);
    }

    [Fact]
    public void Import_ThreeClassConfig_ThrowsInvalidData()
    {
        var path = TestData.PathOf("reference/painattnnet_reference.pt");
        var config = new PainAttnNetConfig { Classes = 3 };

        Assert.Throws<InvalidDataException>(() => ModelCheckpoint.ImportPyTorchStateDict(path, config));
    }
}
