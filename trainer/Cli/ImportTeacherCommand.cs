using System.CommandLine;
using SsdEdge.Preprocessing;
using SsdEdge.Trainer.Runs;

namespace SsdEdge.Trainer.Cli;

/// <summary><c>ssdedge-trainer import-teacher</c>: makes a run directory from a PyTorch state_dict.</summary>
public static class ImportTeacherCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var stateDict = new Option<string>("--state-dict")
        {
            Description = "PyTorch PainAttnNet state_dict (.pt) saved by the published Python code.",
            Required = true,
        };
        var run = new Option<string>("--run") { Description = "Run directory to create.", Required = true };
        var channels = new Option<string>("--channels")
        {
            Description = "Comma-separated input channel names in model order.",
            DefaultValueFactory = _ => "eda",
        };
        var unit = new Option<string>("--unit")
        {
            Description = "Unit of the raw samples.",
            DefaultValueFactory = _ => "uS",
        };
        var rate = new Option<double>("--rate")
        {
            Description = "Sampling rate of the model input, in Hz.",
            DefaultValueFactory = _ => 512,
        };
        var window = new Option<int>("--window-samples")
        {
            Description = "Window length in samples.",
            DefaultValueFactory = _ => 2816,
        };
        var classes = new Option<int>("--classes") { Description = "Number of classes.", DefaultValueFactory = _ => 2 };
        var labels = new Option<string?>("--class-labels")
        {
            Description = "Comma-separated class labels, such as BL1,PA4.",
        };
        var normalization = new Option<NormalizationKind>("--normalization")
        {
            Description = "Per-window normalisation the model expects: None, ZScore or MinMax.",
            DefaultValueFactory = _ => NormalizationKind.ZScore,
        };
        var command = new Command("import-teacher", "Convert a PyTorch PainAttnNet state_dict into a run directory.")
        {
            stateDict, run, channels, unit, rate, window, classes, labels, normalization,
        };
        command.SetAction(parseResult => CommandErrors.Run(() => TeacherImport.Execute(
            new TeacherImportRequest
            {
                StateDictPath = parseResult.GetRequiredValue(stateDict),
                RunDirectory = parseResult.GetRequiredValue(run),
                Channels = TrainCommand.SplitList(parseResult.GetValue(channels)),
                Unit = parseResult.GetValue(unit)!,
                RateHz = parseResult.GetValue(rate),
                WindowSamples = parseResult.GetValue(window),
                Classes = parseResult.GetValue(classes),
                ClassLabels = TrainCommand.SplitList(parseResult.GetValue(labels)),
                Normalization = parseResult.GetValue(normalization),
            },
            Console.Out)));
        return command;
    }
}
