using System.CommandLine;
using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Runs;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// <c>ssdedge-trainer bench-distill</c>: times a plain cross-entropy epoch against an SSD epoch
/// per stochastic-layer preset on the same windows.
/// </summary>
public static class BenchDistillCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data source, as for train.", Required = true };
        var passes = new Option<int>("--passes")
        {
            Description = "Stochastic teacher passes N.",
            DefaultValueFactory = _ => 30,
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Windows per step, for every case.",
            DefaultValueFactory = _ => 32,
        };
        var presets = new Option<string>("--presets")
        {
            Description = "Comma-separated stochastic-layer selections to time.",
            DefaultValueFactory = _ => "encoder,head,all",
        };
        var repeats = new Option<int>("--repeats")
        {
            Description = "Rounds; each times one epoch of every case in turn.",
            DefaultValueFactory = _ => 3,
        };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: all cores)." };
        var chunkRows = new Option<int?>("--teacher-chunk-rows")
        {
            Description = "Maximum rows per teacher forward of the stochastic part (default: attention weights "
                + "within 16 MiB, 149 rows for the default model).",
        };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this file." };
        var fusion = new FusionOptions();
        var command = new Command(
            "bench-distill",
            "Time one plain epoch against one SSD epoch per stochastic-layer preset, interleaved, and report "
            + "medians. An untimed warm-up first runs every case once on the first min(windows, 2 x batch size) "
            + "windows.")
        {
            data, passes, batchSize, presets, repeats, seed, threads, chunkRows, json,
        };
        fusion.AddTo(command);
        command.SetAction(parseResult => CommandErrors.Run(() =>
        {
            // Every option is checked before the data loads, which can take minutes.
            var (fusionKind, hiddenUnits, fusionDropout) = fusion.Read(parseResult);
            var options = new DistillationBenchmarkOptions
            {
                Passes = parseResult.GetValue(passes),
                BatchSize = parseResult.GetValue(batchSize),
                Presets = TrainCommand.SplitList(parseResult.GetValue(presets)!),
                Repeats = parseResult.GetValue(repeats),
                Seed = parseResult.GetValue(seed),
                CpuThreads = parseResult.GetValue(threads),
                TeacherChunkRows = parseResult.GetValue(chunkRows),
                Fusion = fusionKind,
                FusionHiddenUnits = hiddenUnits,
                FusionDropout = fusionDropout,
            };
            options.Validate();
            var jsonPath = parseResult.GetValue(json);
            CheckJsonPath(jsonPath);

            var prepared = DataPreparation.Prepare(parseResult.GetRequiredValue(data), Console.WriteLine);
            var result = DistillationBenchmark.Run(prepared.Windows, options, Console.WriteLine);
            Console.WriteLine();
            Console.Write(result.ToMarkdown());
            if (jsonPath is not null)
            {
                File.WriteAllText(jsonPath, JsonSerializer.Serialize(result, SignalContractJson.Options));
                Console.WriteLine($"written to {jsonPath}");
            }
        }));
        return command;
    }

    // The result file is written after every round has run, so a bad path must fail first.
    private static void CheckJsonPath(string? path)
    {
        if (path is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(path) || Directory.Exists(path))
        {
            throw new ArgumentException($"--json '{path}' is not a file path; name the JSON file to write.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new ArgumentException(
                $"--json '{path}': folder '{folder}' not found; create it or write the file elsewhere.");
        }
    }
}
