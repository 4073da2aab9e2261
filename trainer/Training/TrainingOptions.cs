namespace SsdEdge.Trainer.Training;

/// <summary>Settings of one supervised training run (Adam on cross-entropy).</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Windows per optimiser step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Base Adam learning rate; <see cref="LearningRateSchedule"/> scales it per epoch.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Learning rate of each epoch, derived from <see cref="LearningRate"/>.</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>L2 penalty added to the gradients by Adam.</summary>
    public double WeightDecay { get; init; } = 1e-3;

    /// <summary>Whether Adam uses the AMSGrad variant.</summary>
    public bool AmsGrad { get; init; } = true;

    /// <summary>
    /// Seed of the batch shuffling and of torch's global generator (dropout masks). Both are
    /// reseeded at the start of every epoch from (seed, epoch), so an epoch's batches and masks do
    /// not depend on whether the run was resumed before it.
    /// </summary>
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

    /// <summary>Largest accepted <see cref="CpuThreads"/>; libtorch gains nothing from more.</summary>
    public const int MaxCpuThreads = 256;

    /// <summary>Rule that picks the best epoch from the validation metrics.</summary>
    public BestEpochCriterion BestEpochCriterion { get; init; } = BestEpochCriterion.ValidationAccuracy;

    /// <summary>Called after every epoch with its metrics, on the training thread.</summary>
    public Action<EpochMetrics>? Progress { get; init; }

    /// <summary>
    /// Called after every optimiser step on the training thread. It reads nothing from the device
    /// beyond the batch loss the trainer reads anyway, so it costs no extra synchronisation.
    /// </summary>
    public Action<BatchProgress>? BatchProgress { get; init; }

    /// <summary>
    /// Folder of the training checkpoint (<see cref="TrainingCheckpoint.FileName"/>); null writes
    /// none. A run that finds a checkpoint there fails unless <see cref="Resume"/> is set.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>
    /// Epochs between two checkpoints; the last epoch is always saved. Used only with a
    /// <see cref="CheckpointDirectory"/>.
    /// </summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>
    /// Whether to continue from the checkpoint in <see cref="CheckpointDirectory"/>. Without one
    /// there, training starts from the model as given.
    /// </summary>
    public bool Resume { get; init; }

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

        ArgumentNullException.ThrowIfNull(LearningRateSchedule);
        LearningRateSchedule.Validate(Epochs, LearningRate);
        if (CheckpointEveryEpochs < 1)
        {
            throw new ArgumentException(
                $"Checkpoints need an interval of at least 1 epoch; got {CheckpointEveryEpochs}.");
        }

        if (Resume && string.IsNullOrWhiteSpace(CheckpointDirectory))
        {
            throw new ArgumentException("Resume needs a checkpoint directory to resume from.");
        }

        if (CpuThreads is < 1 or > MaxCpuThreads)
        {
            throw new ArgumentException(
                $"CPU threads (--threads) must lie between 1 and {MaxCpuThreads} when set; got {CpuThreads}.");
        }

        TrainingDevice.Parse(Device);
    }
}
