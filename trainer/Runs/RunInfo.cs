using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>Contents of a run's <c>run.json</c>: everything needed to repeat or continue it.</summary>
public sealed record RunInfo
{
    /// <summary>Run identifier.</summary>
    public required string RunId { get; init; }

    /// <summary>Data source as given to <c>train --data</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Creation time, UTC.</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Trainer version that made the run.</summary>
    public string ProducerVersion { get; init; } = "";

    /// <summary>Fold plan in its text form (holdout, loso, kfold:K, split).</summary>
    public required string FoldPlan { get; init; }

    /// <summary>Subjects of each fold.</summary>
    public required IReadOnlyList<FoldInfo> Folds { get; init; }

    /// <summary>Model shape.</summary>
    public required PainAttnNetConfig Model { get; init; }

    /// <summary>Optimiser and schedule settings.</summary>
    public required TrainingSettings Training { get; init; }
}

/// <summary>Subjects of one fold.</summary>
/// <param name="Name">Fold name, also the folder name under <c>folds/</c>.</param>
/// <param name="TrainSubjects">Subjects trained on.</param>
/// <param name="ValidationSubjects">Subjects that select the epoch; never tested on.</param>
/// <param name="TestSubjects">Held-out subjects the fold's test figures come from.</param>
public sealed record FoldInfo(
    string Name,
    IReadOnlyList<string> TrainSubjects,
    IReadOnlyList<string> ValidationSubjects,
    IReadOnlyList<string> TestSubjects);

/// <summary>The stored part of <see cref="TrainingOptions"/> (everything but callbacks).</summary>
/// <param name="Epochs">Training epochs.</param>
/// <param name="BatchSize">Windows per batch.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="WeightDecay">Adam weight decay.</param>
/// <param name="AmsGrad">Whether Adam uses the AMSGrad variant.</param>
/// <param name="Seed">Seed of initialisation and shuffling.</param>
/// <param name="Device">Requested device: auto, cpu or cuda.</param>
/// <param name="LearningRateSchedule">Schedule in its text form, such as <c>cosine(min 0, warm-up 2)</c>.</param>
public sealed record TrainingSettings(
    int Epochs,
    int BatchSize,
    double LearningRate,
    double WeightDecay,
    bool AmsGrad,
    int Seed,
    string Device,
    string LearningRateSchedule = "constant")
{
    /// <summary>Copies the stored settings out of <paramref name="options"/>.</summary>
    public static TrainingSettings From(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TrainingSettings(
            options.Epochs,
            options.BatchSize,
            options.LearningRate,
            options.WeightDecay,
            options.AmsGrad,
            options.Seed,
            options.Device,
            options.LearningRateSchedule.ToString());
    }
}
