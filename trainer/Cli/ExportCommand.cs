using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Export;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// <c>ssdedge-trainer export</c>: writes a run's model as ONNX with its signal contract and
/// fails unless ONNX Runtime reproduces TorchSharp's outputs.
/// </summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Run directory written by train.", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write.", Required = true };
        var fold = new Option<string?>("--fold")
        {
            Description = "Fold to export, by name or 1-based number (needed when the run has several folds).",
        };
        var last = new Option<bool>("--last-epoch")
        {
            Description = "Export the last-epoch weights instead of model.bin.",
        };
        var features = new Option<bool>("--features")
        {
            Description = "Add the representation that distillation works on as output 'features': "
                + "(embedding channels, feature steps), 30 x 75 by default, or the late-fusion head's hidden units.",
        };
        var tolerance = new Option<double>("--tolerance")
        {
            Description = "Largest allowed absolute difference in probabilities between TorchSharp and ONNX Runtime.",
            DefaultValueFactory = _ => 1e-4,
        };
        var command = new Command("export", "Export a run's model to ONNX (opset 17) and check its parity.")
        {
            run, output, fold, last, features, tolerance,
        };
        command.SetAction(parseResult => CommandErrors.Run(() => Execute(
            new ExportRequest(
                parseResult.GetRequiredValue(run),
                parseResult.GetRequiredValue(output),
                parseResult.GetValue(fold),
                parseResult.GetValue(last),
                parseResult.GetValue(features),
                parseResult.GetValue(tolerance)),
            Console.Out)));
        return command;
    }

    /// <summary>Exports and checks the model; returns the parity report.</summary>
    /// <exception cref="OnnxExportException">ONNX Runtime disagrees with TorchSharp beyond the tolerance.</exception>
    public static ParityReport Execute(ExportRequest request, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        if (!double.IsFinite(request.Tolerance) || request.Tolerance <= 0)
        {
            throw new ArgumentException(
                $"--tolerance {request.Tolerance} is invalid; use a positive number such as 1e-4.");
        }

        var layout = RunLayout.Open(request.RunDirectory);
        var info = RunLayout.ReadJson<RunInfo>(layout.RunFile);
        var (fold, foldNumber) = FoldSelection.Select(info, request.Fold);
        var foldLayout = layout.Fold(fold.Name);
        var contract = SignalContractJson.Deserialize(File.ReadAllText(layout.ContractFile), layout.ContractFile)
            with
            {
                CreatedUtc = DateTimeOffset.UtcNow,
                ProducerVersion = ProducerInfo.Version,
                Fold = info.Folds.Count > 1 ? foldNumber : null,
                ModelId = info.Folds.Count > 1 ? $"{info.RunId}/{fold.Name}" : info.RunId,
            };
        var weights = request.UseLastEpoch ? foldLayout.LastModelFile : foldLayout.ModelFile;
        if (RunFiles.CheckTopLevelCopy(layout, info, weights) is { } warning)
        {
            Console.Error.WriteLine($"ssdedge-trainer: warning: {warning}");
        }

        using var model = ModelCheckpoint.Load(weights);
        model.eval();

        // Graph: written from the weights, with the contract in metadata_props. The file takes its
        // final name only after parity passes, so a failed export leaves no model to deploy.
        var options = new OnnxExportOptions { IncludeFeatures = request.IncludeFeatures };
        var partialPath = request.OutputPath + ".partial";
        OnnxExporter.ExportToFile(model.state_dict(), model.Config, contract, partialPath, options);

        // Parity: real windows of the held-out subjects plus seeded random ones.
        // An imported teacher has no data source; its parity runs on random windows only.
        var realWindows = info.Source.Length == 0 ? null : HeldOutWindows(info.Source, fold.TestSubjects, output);
        var predictor = new Predictor(model);
        ParityReport parity;
        var outputDirectory = Path.GetDirectoryName(Path.GetFullPath(request.OutputPath))!;
        var reportPath = Path.Combine(outputDirectory, ParityReportName(request.OutputPath));
        try
        {
            parity = ParityChecker.Check(
                partialPath,
                (batch, _) => predictor.Predict(batch).Logits,
                new ParityOptions
                {
                    Tolerance = request.Tolerance,
                    RealWindows = realWindows,
                    ReportPath = reportPath,
                });
        }
        catch
        {
            File.Delete(partialPath);
            throw;
        }

        File.Move(partialPath, request.OutputPath, overwrite: true);
        parity = parity with { ModelPath = request.OutputPath };
        ParityChecker.WriteReport(parity, reportPath);

        var size = new FileInfo(request.OutputPath).Length;
        var complexity = PainAttnNetComplexity.Of(model.Config);
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"exported {request.OutputPath} ({size / 1024.0:F0} KiB, {model.ParameterCount:N0} parameters, "
                + $"model id {contract.ModelId})"));
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"per window: {complexity.MultiplyAccumulates / 1e6:F1} M multiply-accumulates "
                + $"({complexity.FloatingPointOperations / 1e6:F1} MFLOP), "
                + $"{complexity.Convolutions / 1e6:F1} M of them in convolutions"));
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"parity: max |Δprobability| {parity.MaxProbabilityDifference:G3}, max |Δlogit| "
                + $"{parity.MaxLogitDifference:G3} (tolerance {request.Tolerance:G3}); figures in {Path.GetFileName(reportPath)}"));
        return parity;
    }

    /// <summary>
    /// Returns the name of the parity report of <paramref name="modelPath"/>: the model's file name
    /// with <c>.parity.json</c>, so exports into one folder keep their own figures.
    /// </summary>
    public static string ParityReportName(string modelPath) =>
        Path.GetFileNameWithoutExtension(modelPath) + ".parity.json";

    private static float[] HeldOutWindows(string source, IReadOnlyList<string> testSubjects, TextWriter output)
    {
        const int MaxWindows = 16;
        var prepared = DataPreparation.Prepare(source, line => output.WriteLine(line));
        var test = new HashSet<string>(testSubjects, StringComparer.Ordinal);
        var indices = Enumerable.Range(0, prepared.Windows.Count)
            .Where(index => test.Contains(prepared.Windows.SubjectIds[index]))
            .Take(MaxWindows)
            .ToArray();
        return prepared.Windows.Subset(indices).Inputs;
    }
}

/// <summary>What <c>ssdedge-trainer export</c> was asked to do.</summary>
/// <param name="RunDirectory">Run directory written by train.</param>
/// <param name="OutputPath">ONNX file to write.</param>
/// <param name="Fold">Fold name or 1-based number; null for a one-fold run.</param>
/// <param name="UseLastEpoch">Export model-last.bin instead of model.bin.</param>
/// <param name="IncludeFeatures">Add the representation output.</param>
/// <param name="Tolerance">Largest allowed absolute probability difference.</param>
public sealed record ExportRequest(
    string RunDirectory,
    string OutputPath,
    string? Fold = null,
    bool UseLastEpoch = false,
    bool IncludeFeatures = false,
    double Tolerance = 1e-4);
