using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Turns a PyTorch PainAttnNet state_dict (as saved by the published Python code) into a run
/// directory of this trainer, so that export, predict and distillation can use it.
/// </summary>
public static class TeacherImport
{
    /// <summary>Name of the single fold of an imported run.</summary>
    public const string FoldName = "imported";

    /// <summary>Imports <paramref name="request"/>'s state_dict and returns the run layout written.</summary>
    /// <exception cref="InvalidDataException">The state_dict's keys or shapes do not match the model.</exception>
    public static RunLayout Execute(TeacherImportRequest request, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var classLabels = request.ClassLabels.Count > 0
            ? request.ClassLabels
            : Enumerable.Range(0, request.Classes).Select(index => $"class{index}").ToArray();
        if (classLabels.Count != request.Classes)
        {
            throw new ArgumentException(
                $"{classLabels.Count} class labels given for a {request.Classes}-class model.");
        }

        if (!(request.RateHz > 0) || double.IsInfinity(request.RateHz))
        {
            throw new ArgumentException($"--rate {request.RateHz} is invalid; give the model's sampling rate in Hz.");
        }

        if (request.Channels.Count == 0)
        {
            throw new ArgumentException("--channels is empty; name the model's input channels in order.");
        }

        var channels = request.Channels;
        var config = new PainAttnNetConfig
        {
            InputChannels = channels.Count,
            WindowSamples = request.WindowSamples,
            Classes = request.Classes,
        };
        using var model = ModelCheckpoint.ImportPyTorchStateDict(request.StateDictPath, config);

        var layout = new RunLayout(Path.GetFullPath(request.RunDirectory));
        var fold = layout.Fold(FoldName);
        Directory.CreateDirectory(fold.Directory);
        ModelCheckpoint.Save(model, fold.ModelFile, classLabels);
        ModelCheckpoint.Save(model, fold.LastModelFile, classLabels);
        ModelCheckpoint.Save(model, layout.ModelFile, classLabels);
        ModelCheckpoint.Save(model, layout.LastModelFile, classLabels);

        var runId = Path.GetFileName(layout.Directory);
        var contract = new SignalContract
        {
            Channels = channels
                .Select(name => new ContractChannel(name, KindOf(name), request.Unit, request.RateHz))
                .ToArray(),
            ModelRateHz = request.RateHz,
            WindowSamples = request.WindowSamples,
            Preprocessing = new PreprocessingSpec { Normalization = request.Normalization },
            ClassLabels = classLabels,
            RunId = runId,
            ModelId = runId,
            ProducerVersion = ProducerInfo.Version,
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        File.WriteAllText(layout.ContractFile, SignalContractJson.Serialize(contract));
        var info = new RunInfo
        {
            RunId = runId,
            Source = "",
            CreatedUtc = DateTimeOffset.UtcNow,
            ProducerVersion = ProducerInfo.Version,
            FoldPlan = FoldName,
            Folds = [new FoldInfo(FoldName, [], [], [])],
            Model = config,
            Training = new TrainingSettings(0, 0, 0, 0, false, 0, "cpu"),
        };
        File.WriteAllText(layout.RunFile, JsonSerializer.Serialize(info, SignalContractJson.Options));
        output.WriteLine(
            $"imported {request.StateDictPath}: {model.ParameterCount:N0} parameters, "
            + $"{channels.Count} channel(s) x {request.WindowSamples} samples, {request.Classes} classes");
        output.WriteLine($"run written to {layout.Directory}");
        return layout;
    }

    private static ChannelKind KindOf(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower.Contains("eda", StringComparison.Ordinal) || lower.Contains("gsr", StringComparison.Ordinal))
        {
            return ChannelKind.Eda;
        }

        if (lower.Contains("ecg", StringComparison.Ordinal))
        {
            return ChannelKind.Ecg;
        }

        return lower.Contains("emg", StringComparison.Ordinal) ? ChannelKind.Emg : ChannelKind.Other;
    }
}

/// <summary>What <c>ssdedge-trainer import-teacher</c> was asked to do.</summary>
public sealed record TeacherImportRequest
{
    /// <summary>PyTorch state_dict file (<c>torch.save(model.state_dict(), path)</c>).</summary>
    public required string StateDictPath { get; init; }

    /// <summary>Run directory to create.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Input channel names in model order; the published model has one, EDA.</summary>
    public IReadOnlyList<string> Channels { get; init; } = ["eda"];

    /// <summary>Unit of the raw samples.</summary>
    public string Unit { get; init; } = "uS";

    /// <summary>Sampling rate of the windows the model was trained on, in Hz.</summary>
    public double RateHz { get; init; } = 512;

    /// <summary>Window length in samples.</summary>
    public int WindowSamples { get; init; } = 2816;

    /// <summary>Number of classes.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Class labels in output order; empty names them class0, class1, ...</summary>
    public IReadOnlyList<string> ClassLabels { get; init; } = [];

    /// <summary>Per-window normalisation the model expects.</summary>
    public NormalizationKind Normalization { get; init; } = NormalizationKind.ZScore;
}
