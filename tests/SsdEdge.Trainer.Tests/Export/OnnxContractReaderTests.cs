using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using SsdEdge.Contracts;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.Trainer.Tests.Export;

public sealed class OnnxContractReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-reader-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReadContract_ExportedModel_RoundTripsContract()
    {
        var path = Write("model.onnx", ReferenceModel.Export());
        var expected = ReferenceModel.Contract();

        var contract = OnnxContractReader.ReadContract(path);

        Assert.Equal(expected.ModelId, contract.ModelId);
        Assert.Equal(expected.Channels, contract.Channels);
        Assert.Equal(expected.ClassLabels, contract.ClassLabels);
        Assert.Equal(expected.Preprocessing.Filters, contract.Preprocessing.Filters);
        Assert.Equal(expected.WindowSamples, contract.WindowSamples);
        Assert.Equal(expected.ModelRateHz, contract.ModelRateHz);
        Assert.Equal(expected.DecisionThreshold, contract.DecisionThreshold);
        Assert.Equal(expected.Fold, contract.Fold);
        Assert.Equal(expected.CreatedUtc, contract.CreatedUtc);
        Assert.Equal("ssdedge-trainer", contract.Producer);
    }

    [Fact]
    public void ReadHeader_ExportedModel_ReturnsInputAndProducer()
    {
        var path = Write("model.onnx", ReferenceModel.Export());

        var header = OnnxContractReader.ReadHeader(path);

        Assert.Equal("input", header.InputName);
        Assert.Equal([-1L, 1, 2816], header.InputShape);
        Assert.Equal(8, header.IrVersion);
        Assert.Equal("ssdedge-trainer", header.ProducerName);
        Assert.Equal("1.2.3-test", header.ProducerVersion);
        Assert.Equal("2816", header.Metadata["ssdedge.window_samples"]);
    }

    [Fact]
    public void ReadHeader_ExportedModel_MatchesOnnxRuntimeMetadata()
    {
        var path = Write("model.onnx", ReferenceModel.Export());

        var header = OnnxContractReader.ReadHeader(path);
        using var session = new InferenceSession(path);
        var runtimeMetadata = session.ModelMetadata.CustomMetadataMap;

        Assert.Equal(runtimeMetadata.OrderBy(e => e.Key), header.Metadata.OrderBy(e => e.Key));
        Assert.Equal(session.ModelMetadata.ProducerName, header.ProducerName);
        Assert.Equal(session.InputMetadata["input"].Dimensions.Select(d => (long)d), header.InputShape);
        var runtimeContract = SignalContractJson.Deserialize(runtimeMetadata[SignalContractJson.MetadataKey], path);
        Assert.Equal(runtimeContract.ModelId, header.Contract.ModelId);
    }

    [Fact]
    public void ReadContract_MissingFile_ThrowsNamingFile()
    {
        var path = Path.Combine(_directory, "absent.onnx");

        var error = Assert.Throws<InvalidDataException>(() => OnnxContractReader.ReadContract(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadContract_TruncatedFile_ThrowsTruncated()
    {
        var bytes = ReferenceModel.Export();
        var path = Write("truncated.onnx", bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => OnnxContractReader.ReadContract(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadContract_EmptyFile_ThrowsNotOnnx()
    {
        var path = Write("empty.onnx", []);

        var error = Assert.Throws<InvalidDataException>(() => OnnxContractReader.ReadContract(path));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadContract_ModelWithoutContract_ThrowsNamingKey()
    {
        var path = TestData.PathOf("reference/painattnnet_reference_pytorch_export.onnx");

        var error = Assert.Throws<InvalidDataException>(() => OnnxContractReader.ReadContract(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'ssdedge.signal_contract' is missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("numpy")]
    [InlineData("json")]
    [InlineData("zeros")]
    public void ReadContract_NonOnnxFile_ThrowsNotOnnx(string kind)
    {
        var bytes = kind switch
        {
            "numpy" => File.ReadAllBytes(TestData.PathOf("reference/input.npy")),
            "json" => File.ReadAllBytes(TestData.PathOf("reference/summary.json")),
            _ => new byte[64],
        };
        var path = Write($"{kind}.onnx", bytes);

        var error = Assert.Throws<InvalidDataException>(() => OnnxContractReader.ReadContract(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not an ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadContract_WindowMismatch_Throws()
    {
        var model = ModelProto.Parser.ParseFrom(ReferenceModel.Export());
        var entry = model.MetadataProps.Single(e => e.Key == SignalContractJson.MetadataKey);
        entry.Value = SignalContractJson.Serialize(ReferenceModel.Contract() with { WindowSamples = 2560 });
        var path = Write("mismatch.onnx", model.ToByteArray());

        var error = Assert.Throws<InvalidDataException>(() => OnnxContractReader.ReadContract(path));

        Assert.Contains("takes 2816 samples", error.Message, StringComparison.Ordinal);
        Assert.Contains("window of 2560", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadContract_InvalidContractJson_Throws()
    {
        var model = ModelProto.Parser.ParseFrom(ReferenceModel.Export());
        model.MetadataProps.Single(e => e.Key == SignalContractJson.MetadataKey).Value = "{ not json";
        var path = Write("badjson.onnx", model.ToByteArray());

        var error = Assert.Throws<InvalidDataException>(() => OnnxContractReader.ReadContract(path));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
