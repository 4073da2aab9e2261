using System.CommandLine;
using SsdEdge.Trainer.Runs;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// <c>ssdedge-trainer merge</c>: assembles a run from the folds that separate
/// <c>train --fold</c> jobs wrote into one run directory.
/// </summary>
public static class MergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var run = new Argument<string>("RUN_DIR")
        {
            Description = "Run directory that the fold jobs wrote into (--runs-dir joined with --run-id).",
        };
        var command = new Command(
            "merge",
            "Check that every fold of a run is present and was trained with the same settings and data, "
            + "then write the run's report, plots, history, run.json and contract.json.")
        {
            run,
        };
        command.SetAction(parseResult => CommandErrors.Run(
            () => RunMerge.Execute(parseResult.GetRequiredValue(run), Console.Out)));
        return command;
    }
}
