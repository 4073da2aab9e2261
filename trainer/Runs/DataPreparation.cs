using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.Preprocessing;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Opens a data source and turns it into model windows through the shared preprocessing, exactly
/// as the agent will preprocess a live stream.
/// </summary>
public static class DataPreparation
{
    /// <summary>Reads <paramref name="source"/>, cuts its labelled windows and preprocesses them.</summary>
    /// <param name="source">A source such as <c>fmov:DIR</c> or <c>synthetic:7</c>.</param>
    /// <param name="log">Receives one line per notable step (rows skipped, windows rejected).</param>
    /// <exception cref="InvalidOperationException">The source has no labels, or its recordings
    /// disagree in sampling rate.</exception>
    public static PreparedData Prepare(string source, Action<string>? log = null)
    {
        var descriptor = DatasetCatalog.Open(source);
        foreach (var problem in descriptor.Problems.Take(5))
        {
            log?.Invoke($"skipped: {problem}");
        }

        if (descriptor.Problems.Count > 5)
        {
            log?.Invoke($"skipped {descriptor.Problems.Count - 5} more rows or files");
        }

        if (descriptor.Task is null)
        {
            throw new InvalidOperationException(
                $"Source '{source}' has no labels or events to train on; use a labelled source "
                + "(fmov:, biovid:, ucr:, synthetic:), or give a csv: source labels=column:NAME (a class "
                + "per sample), labels=file:REGEX (a class per file, from its name) or a marker column "
                + "(labels=onsets).");
        }

        var contract = CreateContract(descriptor, Array.Empty<string>());
        var windows = descriptor.Task.CreateWindows(descriptor.Recordings);
        if (windows.Windows.Count == 0)
        {
            throw new InvalidOperationException(
                $"Source '{source}' gave no labelled windows ({descriptor.Recordings.Count} recordings, "
                + $"{windows.OutOfRangeWindows} windows outside their recording, {windows.MixedLabelWindows} with "
                + $"mixed or missing sample labels, {windows.ExcludedItems} of unused classes); the recordings may "
                + $"be shorter than the {contract.WindowSeconds:0.###} s window or hold no events or labels.");
        }

        contract = contract with { ClassLabels = windows.ClassLabels };
        var preprocessor = new WindowPreprocessor(contract, contract.Channels[0].InputRateHz);
        var built = WindowDatasetBuilder.For(preprocessor, descriptor.Channels).Build(windows);
        log?.Invoke(
            $"{descriptor.Recordings.Count} recordings, {built.Dataset.Count} windows "
            + $"({string.Join(", ", ClassCounts(built.Dataset))}), {built.RejectedCount} rejected by the quality gate, "
            + $"{windows.OutOfRangeWindows} outside their recording"
            + (windows.MixedLabelWindows > 0 ? $", {windows.MixedLabelWindows} with mixed or missing sample labels" : "")
            + (windows.ExcludedItems > 0 ? $", {windows.ExcludedItems} events, files or windows of unused classes left out" : ""));
        return new PreparedData(descriptor, contract, built.Dataset, built.RejectedCount, windows.OutOfRangeWindows);
    }

    /// <summary>Builds the signal contract of a dataset's default channels and preprocessing.</summary>
    /// <exception cref="InvalidOperationException">The recordings disagree in sampling rate.</exception>
    public static SignalContract CreateContract(DatasetDescriptor descriptor, IReadOnlyList<string> classLabels)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Recordings.Count == 0)
        {
            var firstProblems = string.Join("; ", descriptor.Problems.Take(3));
            throw new InvalidOperationException(
                $"Source '{descriptor.Source.Format}:{descriptor.Source.Path}' holds no readable recordings"
                + (descriptor.Problems.Count > 0 ? $"; {descriptor.Problems.Count} problem(s), first: {firstProblems}" : "."));
        }

        var first = descriptor.Recordings[0];
        var rates = descriptor.Recordings.Select(recording => recording.SamplingRateHz).Distinct().ToArray();
        if (rates.Length > 1)
        {
            throw new InvalidOperationException(
                $"Recordings of '{descriptor.Source.Format}' are sampled at {string.Join(", ", rates)} Hz; "
                + "one model needs one input rate.");
        }

        var channels = descriptor.Channels
            .Select(name => first.Channels[first.IndexOfChannel(name)])
            .Select(spec => new ContractChannel(spec.Name, spec.Kind, spec.Unit, spec.SamplingRateHz))
            .ToArray();
        return new SignalContract
        {
            Channels = channels,
            ModelRateHz = descriptor.ModelRateHz,
            WindowSamples = descriptor.ModelWindowSamples,
            Preprocessing = descriptor.Preprocessing,
            ClassLabels = classLabels.Count >= 2 ? classLabels : ["negative", "positive"],
        };
    }

    private static IEnumerable<string> ClassCounts(WindowDataset data)
    {
        for (var c = 0; c < data.ClassLabels.Count; c++)
        {
            var label = c;
            yield return $"{data.ClassLabels[c]}: {data.Labels.Count(value => value == label)}";
        }
    }
}
