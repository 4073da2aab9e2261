using Microsoft.ML.OnnxRuntime;
using SsdEdge.Numerics;
using SsdEdge.Tests;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Runs;
using Xunit;

namespace SsdEdge.Trainer.Tests.Runs;

public sealed class TeacherImportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-import-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ImportPredictExport_ReferenceStateDict_ReproducesReferenceLogits()
    {
        var reference = TestData.PathOf("reference");
        var expected = NpyFile.Read(Path.Combine(reference, "logits.npy"));
        var layout = TeacherImport.Execute(
            new TeacherImportRequest
            {
                StateDictPath = Path.Combine(reference, "painattnnet_reference.pt"),
                RunDirectory = Path.Combine(_directory, "reference-teacher"),
                ClassLabels = ["BL1", "PA4"],
            },
            TextWriter.Null);

        // predict: TorchSharp on the imported checkpoint.
        var predictions = Path.Combine(_directory, "predictions");
        PredictCommand.Execute(layout.ModelFile, Path.Combine(reference, "input.npy"), predictions, TextWriter.Null);
        var predicted = NpyFile.Read(Path.Combine(predictions, "logits.npy"));

        // export: ONNX Runtime on the exported graph.
        var onnxPath = Path.Combine(_directory, "reference.onnx");
        var parity = ExportCommand.Execute(new ExportRequest(layout.Directory, onnxPath), TextWriter.Null);
        var exported = RunOnnx(onnxPath, NpyFile.Read(Path.Combine(reference, "input.npy")));

        Assert.Equal(expected.Shape, predicted.Shape);
        var torchDifference = MaxDifference(expected.Data, predicted.Data);
        Assert.True(torchDifference <= 1e-5, $"TorchSharp logits differ from the reference by {torchDifference:G3}");
        Assert.True(parity.Passed);
        Assert.True(MaxDifference(expected.Data, exported) <= 1e-4, "ONNX Runtime logits differ from the reference");
    }

    [Fact]
    public void Execute_WrongClassCount_ThrowsNamingShapes()
    {
        var reference = TestData.PathOf("reference");

        var error = Assert.Throws<InvalidDataException>(() => TeacherImport.Execute(
            new TeacherImportRequest
            {
                StateDictPath = Path.Combine(reference, "painattnnet_reference.pt"),
                RunDirectory = Path.Combine(_directory, "three-classes"),
                Classes = 3,
            },
            TextWriter.Null));

        Assert.Contains("fc.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_LabelCountMismatch_ThrowsArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => TeacherImport.Execute(
            new TeacherImportRequest
            {
                StateDictPath = "unused.pt",
                RunDirectory = Path.Combine(_directory, "labels"),
                ClassLabels = ["BL1", "PA1", "PA4"],
            },
            TextWriter.Null));

        Assert.Contains("3 class labels", error.Message, StringComparison.Ordinal);
    }

    private static float[] RunOnnx(string path, NpyArray input)
    {
        using var session = new InferenceSession(path);
        using var tensor = OrtValue.CreateTensorValueFromMemory(input.Data, input.Shape.Select(d => (long)d).ToArray());
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [tensor], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static double MaxDifference(float[] expected, float[] actual) =>
        expected.Zip(actual, (a, b) => Math.Abs((double)a - b)).Max();
}
