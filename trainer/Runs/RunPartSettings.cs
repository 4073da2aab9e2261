using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Everything that must be equal across the folds of one run for their parts to merge: the
/// request's source, plan and options, the model shape, the class labels and a digest of the data.
/// The requested device is stored but not compared, because a fold may run on another machine.
/// </summary>
/// <param name="Source">Data source as given to <c>train --data</c>.</param>
/// <param name="FoldPlan">Fold plan in its text form.</param>
/// <param name="TestSubjects">Subjects given with <c>--test-subjects</c>; empty when drawn.</param>
/// <param name="TestFraction">Share of subjects drawn for testing (holdout plans).</param>
/// <param name="ValidationFraction">Share of training subjects that select the epoch.</param>
/// <param name="Model">Model shape.</param>
/// <param name="Training">Optimiser, schedule, seed and requested device.</param>
/// <param name="ClassLabels">Class labels of the windows.</param>
/// <param name="Data">Digest of every window, label and subject of the prepared data.</param>
/// <param name="ProducerVersion">Trainer version that trained the fold.</param>
public sealed record RunPartSettings(
    string Source,
    string FoldPlan,
    IReadOnlyList<string> TestSubjects,
    double TestFraction,
    double ValidationFraction,
    PainAttnNetConfig Model,
    TrainingSettings Training,
    IReadOnlyList<string> ClassLabels,
    string Data,
    string ProducerVersion)
{
    /// <summary>
    /// Teacher run and distillation settings of a <c>distill</c> part; null, and absent from the
    /// file, for a <c>train</c> part. A distill part takes its folds from the teacher run, so its
    /// <see cref="TestSubjects"/> are empty and its fractions 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DistillationSettings? Distillation { get; init; }

    /// <summary>Settings paths (in part-file key form) left out of the comparison.</summary>
    public static IReadOnlySet<string> NotCompared { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "training.device" };

    /// <summary>Returns a digest of the windows, labels, subjects and class labels of <paramref name="data"/>.</summary>
    public static string DigestOf(WindowDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(data.Inputs.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(data.Labels.AsSpan()));
        foreach (var text in data.SubjectIds.Concat(data.ClassLabels))
        {
            // A NUL after each name keeps ["ab", "c"] apart from ["a", "bc"].
            hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        }

        var hex = Convert.ToHexStringLower(hash.GetHashAndReset());
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{data.Count} windows of {data.ChannelCount}x{data.WindowSamples}, SHA-256 {hex}");
    }
}
