using System.CommandLine;
using System.Globalization;
using System.Text;
using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.Numerics;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;
using SsdEdge.Streaming;
using SsdEdge.Trainer.Runs;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// <c>ssdedge-trainer windows</c>: writes a source's preprocessed, labelled windows as <c>.npy</c>,
/// exactly as <c>train</c> receives them, for <c>predict</c> or for other tools. With
/// <c>--hop-seconds</c> it cuts every recording on the agent's sliding grid instead, so that
/// <c>predict</c> can reproduce the agent's per-window output offline.
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
        var hopSeconds = new Option<double?>("--hop-seconds")
        {
            Description = "Cut every window of each recording, one every this many seconds, as the agent does "
                + "with the same --hop-seconds, instead of the labelled training windows; labels.npy then holds -1.",
        };
        var model = new Option<string?>("--model")
        {
            Description = "With --hop-seconds: ONNX model whose signal contract (channels, window, preprocessing) "
                + "cuts the windows, as the agent uses it (default: the source's own training defaults).",
        };
        var command = new Command("windows", "Write a source's preprocessed windows and labels as .npy files.")
        {
            data, outDir, subjects, hopSeconds, model,
        };
        command.SetAction(parseResult => CommandErrors.Run(() =>
        {
            var source = parseResult.GetRequiredValue(data);
            var folder = parseResult.GetRequiredValue(outDir);
            var selected = TrainCommand.SplitList(parseResult.GetValue(subjects));
            var modelPath = parseResult.GetValue(model);
            if (parseResult.GetValue(hopSeconds) is { } hop)
            {
                ExecuteSliding(source, folder, selected, hop, modelPath, Console.Out);
            }
            else if (modelPath is not null)
            {
                throw new ArgumentException("--model applies only with --hop-seconds; add --hop-seconds 1 to cut the agent's windows.");
            }
            else
            {
                Execute(source, folder, selected, Console.Out);
            }
        }));
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

        WriteWindows(windows, windows.Labels.Select(label => (float)label).ToArray(), outDir, output);
    }

    /// <summary>
    /// Cuts every recording of <paramref name="source"/> (optionally only <paramref name="subjects"/>)
    /// into the windows the agent cuts from the same samples streamed from sample 0, preprocesses them
    /// and writes those the quality gate accepts to <paramref name="outDir"/>, with label -1.
    /// </summary>
    /// <remarks>
    /// Windows end at <c>raw + k * hop</c> samples, with <c>hop = max(1, round(hopSeconds * rate))</c>,
    /// as in the agent's device pipeline. <c>origins.csv</c> gives each window's start; its end sample,
    /// which the agent reports as <c>endSample</c>, is start plus raw samples. Windows the quality gate
    /// rejects are left out, as the agent scores none of them.
    /// </remarks>
    /// <param name="source">Recording source, labelled or not.</param>
    /// <param name="outDir">Folder for the <c>.npy</c> files.</param>
    /// <param name="subjects">Subjects to keep; empty keeps all.</param>
    /// <param name="hopSeconds">Seconds between window ends, above 0.</param>
    /// <param name="modelPath">ONNX model whose contract to use, or null for the source's defaults.</param>
    /// <param name="output">Receives the summary line.</param>
    /// <exception cref="ArgumentException">The hop is not positive, or a subject has no recording.</exception>
    /// <exception cref="KeyNotFoundException">A recording lacks a channel of the contract.</exception>
    public static void ExecuteSliding(
        string source,
        string outDir,
        IReadOnlyList<string> subjects,
        double hopSeconds,
        string? modelPath,
        TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(output);
        if (!(hopSeconds > 0) || double.IsInfinity(hopSeconds))
        {
            throw new ArgumentException($"--hop-seconds {hopSeconds} is invalid; use a positive number of seconds, such as 1.");
        }

        var descriptor = DatasetCatalog.Open(source);
        var contract = modelPath is null
            ? DataPreparation.CreateContract(descriptor, Array.Empty<string>())
            : OnnxContractReader.ReadContract(modelPath);
        var recordings = SelectRecordings(descriptor.Recordings, subjects);
        var channelNames = contract.Channels.Select(channel => channel.Name).ToArray();

        var inputs = new List<float>();
        var subjectIds = new List<string>();
        var origins = new List<WindowOrigin>();
        var rejected = 0;
        foreach (var recording in recordings)
        {
            var preprocessor = new WindowPreprocessor(contract, recording.SamplingRateHz);
            var hopSamples = Math.Max(1, (int)Math.Round(hopSeconds * recording.SamplingRateHz));
            var windows = StreamingWindower
                .WindowStarts(recording.Length, preprocessor.RawWindowSamples, hopSamples)
                .Select(start => new LabelledWindow(recording, start, preprocessor.RawWindowSamples, 0))
                .ToArray();
            var built = WindowDatasetBuilder.For(preprocessor, channelNames).Build(windows, contract.ClassLabels);
            inputs.AddRange(built.Dataset.Inputs);
            subjectIds.AddRange(built.Dataset.SubjectIds);
            origins.AddRange(built.Dataset.Origins);
            rejected += built.RejectedCount;
        }

        var dataset = new WindowDataset(
            [.. inputs],
            channelNames.Length,
            contract.WindowSamples,
            new int[subjectIds.Count],
            [.. subjectIds],
            contract.ClassLabels,
            origins);
        if (rejected > 0)
        {
            output.WriteLine($"{rejected} windows rejected by the quality gate were left out");
        }

        WriteWindows(dataset, Enumerable.Repeat(-1f, dataset.Count).ToArray(), outDir, output);
    }

    private static IReadOnlyList<Recording> SelectRecordings(
        IReadOnlyList<Recording> recordings,
        IReadOnlyList<string> subjects)
    {
        if (subjects.Count == 0)
        {
            return recordings;
        }

        var missing = subjects
            .Except(recordings.Select(recording => recording.SubjectId), StringComparer.Ordinal)
            .ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"No recordings for subject(s) {string.Join(", ", missing)}; the source has "
                + $"{string.Join(", ", recordings.Select(recording => recording.SubjectId).Distinct(StringComparer.Ordinal).Take(10))}.");
        }

        var keep = subjects.ToHashSet(StringComparer.Ordinal);
        return recordings.Where(recording => keep.Contains(recording.SubjectId)).ToArray();
    }

    private static void WriteWindows(WindowDataset windows, float[] labels, string outDir, TextWriter output)
    {
        Directory.CreateDirectory(outDir);
        NpyFile.Write(
            Path.Combine(outDir, "inputs.npy"),
            new NpyArray([windows.Count, windows.ChannelCount, windows.WindowSamples], windows.Inputs));
        NpyFile.Write(Path.Combine(outDir, "labels.npy"), new NpyArray([windows.Count], labels));
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
