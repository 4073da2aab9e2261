using SsdEdge.Contracts;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Inference;

public sealed class OnnxModelTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_ModelWithContract_ReadsContract()
    {
        var path = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());

        using var model = OnnxModel.Load(path, intraOpThreads: 1);

        Assert.Equal("eda", Assert.Single(model.Contract.Channels).Name);
        Assert.Equal(512, model.Contract.ModelRateHz);
        Assert.Equal(2816, model.Contract.WindowSamples);
        Assert.Equal(["BL1", "PA4"], model.Contract.ClassLabels);
        Assert.Equal("reference-pytorch-export", model.Contract.ModelId);
    }

    [Fact]
    public void Load_ReferenceExport_TakesInputAndOutputNamesFromSession()
    {
        var path = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());

        using var model = OnnxModel.Load(path, intraOpThreads: 1);

        Assert.Equal("x", model.InputName);
        Assert.Equal(OnnxModel.LogitsOutputName, model.OutputName);
        Assert.True(model.OutputIsLogits);
    }

    [Fact]
    public void Load_ModelWithoutContract_ThrowsNamingFileAndKey()
    {
        var path = TestData.PathOf(TestModels.ReferenceModel);

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, intraOpThreads: 1));

        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("no signal contract", error.Message, StringComparison.Ordinal);
        Assert.Contains(SignalContractJson.MetadataKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedModel_ThrowsNamingFile()
    {
        var bytes = TestModels.ReadReferenceModel();
        var path = _directory.File("truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, intraOpThreads: 1));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("ONNX Runtime cannot load the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNotFound()
    {
        var path = _directory.File("absent.onnx");

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, intraOpThreads: 1));

        Assert.Equal($"{path}: model file not found.", error.Message);
    }

    [Fact]
    public void Load_ContractWithTwoChannels_ThrowsNamingShape()
    {
        var contract = TestModels.EdaContract() with
        {
            Channels =
            [
                new ContractChannel("eda", Signals.ChannelKind.Eda, "uS", 512),
                new ContractChannel("ecg", Signals.ChannelKind.Ecg, "mV", 512),
            ],
        };
        var path = TestModels.WriteWithContract(_directory.Path, contract);

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, intraOpThreads: 1));

        Assert.Contains("input 'x' has shape (?, 1, 2816)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(batch, 2, 2816)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ContractWithOtherWindowLength_ThrowsNamingShape()
    {
        var contract = TestModels.EdaContract() with { WindowSamples = 1000 };
        var path = TestModels.WriteWithContract(_directory.Path, contract);

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, intraOpThreads: 1));

        Assert.Contains("(batch, 1, 1000)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ContractWithThreeClasses_ThrowsNamingOutput()
    {
        var contract = TestModels.EdaContract() with { ClassLabels = ["BL1", "PA2", "PA4"] };
        var path = TestModels.WriteWithContract(_directory.Path, contract);

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, intraOpThreads: 1));

        Assert.Contains("output 'logits' has shape (?, 2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ContractThatIsNotJson_ThrowsInvalidContract()
    {
        var path = TestModels.WriteWithMetadata(_directory.Path, SignalContractJson.MetadataKey, "{ not json");

        var error = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path, intraOpThreads: 1));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("signal contract is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateEngine_AfterDispose_Throws()
    {
        var path = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var model = OnnxModel.Load(path, intraOpThreads: 1);
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.CreateEngine());
    }
}
