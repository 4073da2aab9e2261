using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SsdEdge.Contracts;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Contents of a fold's <c>part.json</c>: what one fold of a run produced, with the settings it was
/// trained under. Every fold writes its own part, so folds trained by separate jobs into one shared
/// run directory never write the same file. <see cref="RunMerge"/> assembles the run from the parts.
/// </summary>
public sealed record RunPart
{
    /// <summary>Format version this trainer writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Kind of a part written by <c>train</c>.</summary>
    public const string TrainKind = "train";

    /// <summary>Kind of a part written by <c>distill</c>; its settings carry <see cref="RunPartSettings.Distillation"/>.</summary>
    public const string DistillKind = "distill";

    /// <summary>JSON settings of part files: camelCase like run.json, and NaN or infinite losses allowed.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(SignalContractJson.Options)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Format version of the file.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Command that wrote the part: <see cref="TrainKind"/> or <see cref="DistillKind"/>.</summary>
    public string Kind { get; init; } = TrainKind;

    /// <summary>Identifier of the run the fold belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>Number of the fold in the plan, from 1.</summary>
    public required int FoldNumber { get; init; }

    /// <summary>Names of every fold of the plan, in plan order.</summary>
    public required IReadOnlyList<string> PlanFolds { get; init; }

    /// <summary>Settings that every part of the run must share.</summary>
    public required RunPartSettings Settings { get; init; }

    /// <summary>Signal contract of the fold's model, with the run fields filled in.</summary>
    public required SignalContract Contract { get; init; }

    /// <summary>Time the fold finished, UTC.</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Subjects, history, test labels and predictions of the fold.</summary>
    public required FoldOutcome Outcome { get; init; }

    /// <summary>
    /// Writes the part to <paramref name="path"/> through a temporary file and a rename, so a reader
    /// sees either no part or a whole one, also on shared file systems that rename atomically.
    /// </summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads and checks a part file.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable, complete part.</exception>
    public static RunPart Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        RunPart? part;
        try
        {
            // The version comes first, because another format may lack the fields this one requires.
            var json = JsonNode.Parse(File.ReadAllText(path));
            var version = json?["formatVersion"]?.GetValue<int>() ?? CurrentFormatVersion;
            if (version != CurrentFormatVersion)
            {
                throw new InvalidDataException(
                    $"{path} has part format version {version}; this trainer reads version "
                    + $"{CurrentFormatVersion}. Merge with the trainer version that trained the folds.");
            }

            part = json.Deserialize<RunPart>(JsonOptions);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException(
                $"{path} is not a valid part file: {ex.Message} Train the fold again to rewrite it.",
                ex);
        }

        if (part is null)
        {
            throw new InvalidDataException($"{path} is empty; train the fold again to rewrite it.");
        }

        if (part.Kind is not (TrainKind or DistillKind))
        {
            throw new InvalidDataException(
                $"{path} has kind '{part.Kind}'; this trainer reads '{TrainKind}' and '{DistillKind}' parts.");
        }

        var problem = FindIncompleteField(part);
        if (problem is not null)
        {
            throw new InvalidDataException(
                $"{path} is not a complete part file: {problem}. Train the fold again to rewrite it.");
        }

        return part;
    }

    /// <summary>
    /// Lists the settings in which <paramref name="other"/> differs from <paramref name="reference"/>,
    /// each as its part-file path (such as <c>training.seed</c>) with both values.
    /// </summary>
    public static IReadOnlyList<SettingDifference> Compare(RunPartSettings reference, RunPartSettings other)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<SettingDifference>();
        CompareNodes(
            "",
            JsonSerializer.SerializeToNode(reference, JsonOptions),
            JsonSerializer.SerializeToNode(other, JsonOptions),
            differences);
        return differences;
    }

    private static void CompareNodes(string path, JsonNode? reference, JsonNode? other, List<SettingDifference> differences)
    {
        if (RunPartSettings.NotCompared.Contains(path) || JsonNode.DeepEquals(reference, other))
        {
            return;
        }

        if (reference is JsonObject referenceObject && other is JsonObject otherObject)
        {
            var keys = referenceObject.Select(pair => pair.Key)
                .Union(otherObject.Select(pair => pair.Key), StringComparer.Ordinal);
            foreach (var key in keys)
            {
                var childPath = path.Length == 0 ? key : $"{path}.{key}";
                CompareNodes(childPath, referenceObject[key], otherObject[key], differences);
            }

            return;
        }

        differences.Add(new SettingDifference(path, Shorten(reference), Shorten(other)));
    }

    private static string Shorten(JsonNode? node)
    {
        const int MaxLength = 120;
        var text = node?.ToJsonString() ?? "(missing)";
        return text.Length <= MaxLength ? text : text[..MaxLength] + "...";
    }

    // Positional records deserialize missing members as null, so check what merge relies on.
    private static string? FindIncompleteField(RunPart part)
    {
        var outcome = part.Outcome;
        if (part.Settings is null || part.Contract is null || part.PlanFolds is null || outcome is null)
        {
            return "settings, contract, planFolds or outcome is missing";
        }

        if ((part.Kind == DistillKind) != (part.Settings.Distillation is not null))
        {
            return part.Kind == DistillKind
                ? "a distill part lacks settings.distillation"
                : "a train part has settings.distillation";
        }

        if (part.FoldNumber < 1 || part.FoldNumber > part.PlanFolds.Count)
        {
            return $"foldNumber {part.FoldNumber} lies outside the plan's {part.PlanFolds.Count} folds";
        }

        if (outcome.Info?.Name is null || outcome.Selected is null || outcome.LastEpoch is null
            || outcome.History is null || outcome.TestLabels is null || outcome.SelectedPredictions is null
            || outcome.LastEpochPredictions is null || outcome.SelectedBy is null)
        {
            return "the fold outcome lacks its subjects, metrics, history or predictions";
        }

        var windows = outcome.TestWindows;
        if (outcome.TestLabels.Count != windows || outcome.SelectedPredictions.Count != windows
            || outcome.LastEpochPredictions.Count != windows)
        {
            return $"the fold outcome has {windows} test windows but {outcome.TestLabels.Count} labels, "
                + $"{outcome.SelectedPredictions.Count} selected and {outcome.LastEpochPredictions.Count} "
                + "last-epoch predictions";
        }

        var classes = part.Settings.ClassLabels?.Count ?? 0;
        var outOfRange = outcome.TestLabels.Concat(outcome.SelectedPredictions).Concat(outcome.LastEpochPredictions)
            .Any(label => label < 0 || label >= classes);
        if (outOfRange)
        {
            return $"a test label or prediction lies outside the {classes} class labels";
        }

        return null;
    }
}

/// <summary>One setting in which two parts of a run differ.</summary>
/// <param name="Path">Part-file path of the setting, such as <c>training.seed</c>.</param>
/// <param name="Reference">The value in the reference part, as JSON.</param>
/// <param name="Other">The value in the other part, as JSON.</param>
public sealed record SettingDifference(string Path, string Reference, string Other);
