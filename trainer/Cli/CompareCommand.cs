using System.CommandLine;
using SsdEdge.Trainer.Comparison;

namespace SsdEdge.Trainer.Cli;

/// <summary><c>ssdedge-trainer compare</c>: lays runs side by side with paired per-fold tests.</summary>
public static class CompareCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var runs = new Option<string>("--runs")
        {
            Description = "Comma-separated run directories; the first is the baseline.",
            Required = true,
        };
        var outDir = new Option<string>("--out-dir")
        {
            Description = "Folder for compare.md, compare.json and compare.png.",
            Required = true,
        };
        var command = new Command("compare", "Compare runs made on the same folds: mean, SD, pooled, paired t-test.")
        {
            runs, outDir,
        };
        command.SetAction(parseResult => CommandErrors.Run(() => RunComparison.Execute(
            TrainCommand.SplitList(parseResult.GetRequiredValue(runs)),
            parseResult.GetRequiredValue(outDir),
            Console.Out)));
        return command;
    }
}
