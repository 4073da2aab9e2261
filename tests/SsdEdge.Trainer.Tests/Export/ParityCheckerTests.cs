using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SsdEdge.Tests;
using SsdEdge.Trainer.Export;
using Xunit;

namespace SsdEdge.Trainer.Tests.Export;

public sealed class ParityCheckerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-parity-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Check_PyTorchExportReference_Passes()
    {
        var modelPath = ExportReference();
        var reference = PyTorchExportForward();

        var report = ParityChecker.Check(modelPath, reference);

        Assert.True(report.Passed);
        Assert.Equal(4, report.Results.Count);
        Assert.Equal([1, 7, 1, 7], report.Results.Select(r => r.BatchSize));
        Assert.Equal(2, report.Results.Count(r => r.OptimizationLevel == "ORT_DISABLE_ALL"));
        Assert.InRange(report.MaxLogitDifference, 0, 1e-4);
        Assert.InRange(report.MaxProbabilityDifference, 0, 1e-4);
    }

    [Fact]
    public void Check_Passing_WritesParityJsonBesideModel()
    {
        var modelPath = ExportReference();

        ParityChecker.Check(modelPath, PyTorchExportForward());

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "parity.json")));
        Assert.True(document.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(4, document.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void Check_ShiftedReference_ThrowsWithFigures()
    {
        var modelPath = ExportReference();
        var reference = PyTorchExportForward();
        float[] Shifted(float[] batch, int batchSize) => reference(batch, batchSize).Select(v => v + 1e-3f).ToArray();

        var error = Assert.Throws<OnnxExportException>(() => ParityChecker.Check(modelPath, Shifted));

        Assert.Contains("ORT_ENABLE_ALL batch 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("logits 0.001", error.Message, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "parity.json")));
        Assert.False(document.RootElement.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Check_LooserTolerance_AcceptsSameShift()
    {
        var modelPath = ExportReference();
        var reference = PyTorchExportForward();
        float[] Shifted(float[] batch, int batchSize) => reference(batch, batchSize).Select(v => v + 1e-3f).ToArray();

        var report = ParityChecker.Check(modelPath, Shifted, new ParityOptions { Tolerance = 2e-3 });

        Assert.True(report.Passed);
    }

    [Fact]
    public void Check_NaNReference_Throws()
    {
        var modelPath = ExportReference();
        float[] NotANumber(float[] batch, int batchSize) => Enumerable.Repeat(float.NaN, batchSize * 2).ToArray();

        var error = Assert.Throws<OnnxExportException>(() => ParityChecker.Check(modelPath, NotANumber));

        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WrongLogitCount_ThrowsNamingCounts()
    {
        var modelPath = ExportReference();
        float[] TooShort(float[] batch, int batchSize) => new float[batchSize];

        var error = Assert.Throws<OnnxExportException>(() => ParityChecker.Check(modelPath, TooShort));

        Assert.Contains("returned 1 logits for a batch of 1; expected 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CustomReportPath_WritesThere()
    {
        var modelPath = ExportReference();
        var reportPath = Path.Combine(_directory, "reports", "fold0-parity.json");

        var options = new ParityOptions { ReportPath = reportPath, BatchSizes = [3] };

        ParityChecker.Check(modelPath, PyTorchExportForward(), options);

        Assert.True(File.Exists(reportPath));
    }

    private string ExportReference()
    {
        var path = Path.Combine(_directory, "model.onnx");
        File.WriteAllBytes(path, ReferenceModel.Export());
        return path;
    }

    // PyTorch's own export of the same weights replaces the TorchSharp model as the reference.
    private static Func<float[], int, float[]> PyTorchExportForward()
    {
        var model = File.ReadAllBytes(TestData.PathOf("reference/painattnnet_reference_pytorch_export.onnx"));
        return (batch, batchSize) => ReferenceModel.Run(
            model,
            GraphOptimizationLevel.ORT_DISABLE_ALL,
            batch,
            [batchSize, 1, batch.Length / batchSize],
            "logits")[0];
    }
}
