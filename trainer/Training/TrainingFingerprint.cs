using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Model;

namespace SsdEdge.Trainer.Training;

/// <summary>
/// Everything that shapes a run's trajectory, stored in each training checkpoint and compared on
/// resume. Device and thread count are left out on purpose: a run may move between machines.
/// </summary>
/// <param name="Model">Model shape.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="BatchSize">Windows per optimiser step.</param>
/// <param name="LearningRate">Base Adam learning rate.</param>
/// <param name="LearningRateSchedule">Per-epoch learning rate rule.</param>
/// <param name="WeightDecay">Adam weight decay.</param>
/// <param name="AmsGrad">Whether Adam uses AMSGrad.</param>
/// <param name="Seed">Shuffling and dropout seed.</param>
/// <param name="BestEpochCriterion">Rule that picks the best epoch.</param>
/// <param name="TrainData">Digest of the training windows and labels.</param>
/// <param name="ValidationData">Digest of the validation windows and labels; null without them.</param>
/// <param name="Distillation">
/// Distillation settings and a digest of the teacher's weights; null for a teacher run.
/// </param>
internal sealed record TrainingFingerprint(
    PainAttnNetConfig Model,
    int Epochs,
    int BatchSize,
    double LearningRate,
    LearningRateSchedule LearningRateSchedule,
    double WeightDecay,
    bool AmsGrad,
    int Seed,
    BestEpochCriterion BestEpochCriterion,
    string TrainData,
    string? ValidationData,
    string? Distillation = null)
{
    public static TrainingFingerprint Create(
        TrainingOptions options,
        PainAttnNetConfig model,
        WindowDataset train,
        WindowDataset? validation)
    {
        return new TrainingFingerprint(
            model,
            options.Epochs,
            options.BatchSize,
            options.LearningRate,
            options.LearningRateSchedule,
            options.WeightDecay,
            options.AmsGrad,
            options.Seed,
            options.BestEpochCriterion,
            Digest(train),
            validation is null ? null : Digest(validation));
    }

    /// <summary>
    /// Lists the settings in which <paramref name="current"/> differs from this stored
    /// fingerprint, each as the setting's name with both values. The model shape is compared
    /// property by property (<c>model.Heads</c>), so a message never carries a whole record. A
    /// larger epoch count is no difference when the schedule ignores the count, because such a
    /// run simply continues.
    /// </summary>
    public List<string> Differences(TrainingFingerprint current)
    {
        var differences = new List<string>();
        void Compare<T>(string name, T stored, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(stored, now))
            {
                differences.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name} is {stored} in the checkpoint but {now} in this run"));
            }
        }

        foreach (var property in typeof(PainAttnNetConfig).GetProperties())
        {
            Compare($"model.{property.Name}", property.GetValue(Model), property.GetValue(current.Model));
        }

        var epochsMatter = LearningRateSchedule.DependsOnEpochCount || current.Epochs < Epochs;
        if (epochsMatter)
        {
            Compare("epochs", Epochs, current.Epochs);
        }

        Compare("batch size", BatchSize, current.BatchSize);
        Compare("learning rate", LearningRate, current.LearningRate);
        Compare("schedule", LearningRateSchedule, current.LearningRateSchedule);
        Compare("weight decay", WeightDecay, current.WeightDecay);
        Compare("AMSGrad", AmsGrad, current.AmsGrad);
        Compare("seed", Seed, current.Seed);
        Compare("best-epoch criterion", BestEpochCriterion, current.BestEpochCriterion);
        Compare("training data", TrainData, current.TrainData);
        Compare("validation data", ValidationData ?? "none", current.ValidationData ?? "none");
        Compare("distillation", Distillation ?? "none", current.Distillation ?? "none");
        return differences;
    }

    private static string Digest(WindowDataset data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(data.Inputs.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(data.Labels.AsSpan()));
        var hex = Convert.ToHexStringLower(hash.GetHashAndReset());
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{data.Count} windows of {data.ChannelCount}x{data.WindowSamples}, "
            + $"{data.ClassLabels.Count} classes, SHA-256 {hex[..16]}");
    }
}
