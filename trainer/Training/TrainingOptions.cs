namespace SsdEdge.Trainer.Training;

/// <summary>Settings of one supervised training run (Adam on cross-entropy).</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Windows per optimiser step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>L2 penalty added to the gradients by Adam.</summary>
    public double WeightDecay { get; init; } = 1e-3;

    /// <summary>Whether Adam uses the AMSGrad variant.</summary>
    public bool AmsGrad { get; init; } = true;

    /// <summary>Seed of the batch shuffling and of torch's global generator (dropout masks).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Device to train on: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> (CUDA when available).
    /// </summary>
    public string Device { get; init; } = "auto";

    /// <summary>
    /// Intra-op threads for CPU work, applied process-wide through <c>torch.set_num_threads</c> when
    /// training starts; null keeps libtorch's current setting (by default one per core).
    /// </summary>
    public int? CpuThreads { get; init; }

    /// <summary>Rule that picks the best epoch from the validation metrics.</summary>
    public BestEpochCriterion BestEpochCriterion { get; init; } = BestEpochCriterion.ValidationAccuracy;

    /// <summary>Called after every epoch with its metrics, on the training thread.</summary>
    public Action<EpochMetrics>? Progress { get; init; }

    /// <summary>Checks that every setting is usable.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Epochs < 1 || BatchSize < 1)
        {
            throw new ArgumentException(
                $"Training needs at least one epoch and a batch size of at least 1; got {Epochs} epochs, "
                + $"batch size {BatchSize}.");
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentException($"Learning rate must be a positive number; got {LearningRate}.");
        }

        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
        {
            throw new ArgumentException($"Weight decay must be zero or positive; got {WeightDecay}.");
        }

        if (CpuThreads is < 1)
        {
            throw new ArgumentException($"CPU threads must be at least 1 when set; got {CpuThreads}.");
        }

        TrainingDevice.Parse(Device);
    }
}
