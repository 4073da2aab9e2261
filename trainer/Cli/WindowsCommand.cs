using System.CommandLine;
using System.Globalization;
using System.Text;
using SsdEdge.Numerics;
using SsdEdge.Trainer.Runs;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// <c>ssdedge-trainer windows</c>: writes a source's preprocessed, labelled windows as <c>.npy</c>,
/// exactly as <c>train</c> receives them, for <c>predict</c> or for other tools.
/// </summary>
public static class WindowsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data source, as for train.", Required = true };
        var outDir = new Option<string>("--out-dir")
        {
            Description = "Folder for inputs.npy, labels.npy, subjects.txt and origins.csv.",
            Required = true,
        };
        var subjects = new Option<string?>("--subjects")
        {
            Description = "Comma-separated subjects to keep (default: all).",
        };
        var command = new Command("windows", "Write a source's preprocessed windows and labels as .npy files.")
        {
            data, outDir, subjects,
        };
        command.SetAction(parseResult => CommandErrors.Run(() => Execute(
            parseResult.GetRequiredValue(data),
            parseResult.GetRequiredValue(outDir),
            TrainCommand.SplitList(parseResult.GetValue(subjects)),
            Console.Out)));
        return command;
    }

    /// <summary>Prepares <paramref name="source"/> and writes its windows to <paramref name="outDir"/>.</summary>
    /// <exception cref="ArgumentException">A requested subject has no windows.</exception>
    public static void Execute(string source, string outDir, IReadOnlyList<string> subjects, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(output);
        var windows = DataPreparation.Prepare(source, line => output.WriteLine(line)).Windows;
        if (subjects.Count > 0)
        {
            var missing = subjects.Except(windows.SubjectIds, StringComparer.Ordinal).ToArray();
            if (missing.Length > 0)
            {
                throw new ArgumentException(
                    $"No windows for subject(s) {string.Join(", ", missing)}; the source has "
                    + $"{string.Join(", ", windows.SubjectIds.Distinct(StringComparer.Ordinal).Take(10))}.");
            }

            var keep = subjects.ToHashSet(StringComparer.Ordinal);
            windows = windows.Subset(
                Enumerable.Range(0, windows.Count).Where(index => keep.Contains(windows.SubjectIds[index])).ToArray());
        }

        Directory.CreateDirectory(outDir);
        NpyFile.Write(
            Path.Combine(outDir, "inputs.npy"),
            new NpyArray([windows.Count, windows.ChannelCount, windows.WindowSamples], windows.Inputs));
        NpyFile.Write(
            Path.Combine(outDir, "labels.npy"),
            new NpyArray([windows.Count], windows.Labels.Select(label => (float)label).ToArray()));
        File.WriteAllLines(Path.Combine(outDir, "subjects.txt"), windows.SubjectIds);
        var origins = new StringBuilder("recording,start_sample,raw_samples\n");
        foreach (var origin in windows.Origins)
        {
            origins.Append(
                CultureInfo.InvariantCulture,
                $"{origin.RecordingId},{origin.StartSample},{origin.RawSamples}\n");
        }

        File.WriteAllText(Path.Combine(outDir, "origins.csv"), origins.ToString());
        output.WriteLine(
            $"{windows.Count} windows of {windows.ChannelCount}x{windows.WindowSamples} "
            + $"(classes {string.Join(", ", windows.ClassLabels)}) written to {Path.GetFullPath(outDir)}");
    }
}
