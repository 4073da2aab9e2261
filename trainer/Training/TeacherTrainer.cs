using System.Diagnostics;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>
/// Supervised training of a <see cref="PainAttnNet"/> with Adam on cross-entropy, with optional
/// per-epoch validation, best-epoch selection, a per-epoch learning rate schedule and resumable
/// checkpoints. On the CPU the same seed and data give the same loss sequence within one process
/// and thread count, and a run resumed from a checkpoint continues that sequence exactly.
/// </summary>
/// <remarks>
/// Resume restores the weights (BatchNorm running statistics included), Adam's moments and step
/// counts, the history, the best epoch and its weights. Nothing else needs restoring because each
/// epoch reseeds the batch shuffler and torch's global generator from (seed, epoch). Not restored:
/// the state of torch's generators between epochs, which only matters to code that draws from them
/// in a <see cref="TrainingOptions.Progress"/> callback, and the wall-time clocks.
/// </remarks>
public sealed class TeacherTrainer
{
    private readonly TrainingOptions _options;

    /// <summary>Creates a trainer with validated options.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public TeacherTrainer(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="train"/> and evaluates on
    /// <paramref name="validation"/> after every epoch. The model ends on the training device, in
    /// eval mode, with the last epoch's weights; <see cref="TrainingResult.LoadBestState"/> restores
    /// the best epoch. With <see cref="TrainingOptions.CheckpointDirectory"/> set, a checkpoint is
    /// written after every <see cref="TrainingOptions.CheckpointEveryEpochs"/> epochs and after the
    /// last; with <see cref="TrainingOptions.Resume"/> also set, training continues from the
    /// checkpoint found there, and a complete checkpoint returns its stored result at once.
    /// </summary>
    /// <exception cref="ArgumentException">A dataset is empty or does not fit the model.</exception>
    /// <exception cref="InvalidOperationException">
    /// The loss became NaN or infinite, a checkpoint exists but <see cref="TrainingOptions.Resume"/>
    /// is not set, or the checkpoint was written with other settings or data.
    /// </exception>
    /// <exception cref="InvalidDataException">The checkpoint is truncated, corrupt or of another format.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Fit(
        PainAttnNet model,
        WindowDataset train,
        WindowDataset? validation = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set has no windows.", nameof(train));
        }

        WindowBatches.CheckCompatible(train, model.Config, nameof(train));
        if (validation is not null)
        {
            if (validation.Count == 0)
            {
                throw new ArgumentException(
                    "The validation set has no windows; pass null to train without one.",
                    nameof(validation));
            }

            WindowBatches.CheckCompatible(validation, model.Config, nameof(validation));
        }

        var device = TrainingDevice.Resolve(_options.Device);
        if (_options.CpuThreads is { } threads)
        {
            set_num_threads(threads);
        }

        model.to(device);
        using var optimizer = optim.Adam(
            model.parameters(),
            lr: _options.LearningRate,
            weight_decay: _options.WeightDecay,
            amsgrad: _options.AmsGrad);

        var checkpointPath = _options.CheckpointDirectory is { } directory
            ? TrainingCheckpoint.PathIn(directory)
            : null;
        var fingerprint = checkpointPath is null
            ? null
            : TrainingFingerprint.Create(_options, model.Config, train, validation);
        var history = new List<EpochMetrics>(_options.Epochs);
        Dictionary<string, Tensor>? bestState = null;
        int? bestEpoch = null;
        var resumedFrom = 0;
        try
        {
            // Resume: weights, Adam state, history and best epoch come from the checkpoint.
            if (checkpointPath is not null && File.Exists(checkpointPath))
            {
                if (!_options.Resume)
                {
                    throw new InvalidOperationException(
                        $"Training checkpoint '{checkpointPath}' already exists. Set Resume "
                        + "(--resume in ssdedge-trainer train) to continue that run with the same settings, "
                        + "delete the checkpoint's folder to train from the start, or choose another "
                        + "checkpoint directory (another --run-id).");
                }

                var restored = TrainingCheckpoint.Restore(checkpointPath, fingerprint!, model, optimizer);
                history.AddRange(restored.History);
                bestEpoch = restored.BestEpoch;
                bestState = restored.BestState;
                resumedFrom = restored.CompletedEpochs;
            }

            var runClock = Stopwatch.StartNew();
            for (var epoch = resumedFrom + 1; epoch <= _options.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                var learningRate = _options.LearningRateSchedule.LearningRateAt(
                    epoch,
                    _options.Epochs,
                    _options.LearningRate);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = learningRate;
                }

                var (trainLoss, trainAccuracy) = RunEpoch(
                    model,
                    optimizer,
                    train,
                    device,
                    new EpochContext(epoch, learningRate, clock, runClock),
                    cancellationToken);
                // The last step of an epoch can turn the weights non-finite without a loss showing it.
                ThrowIfParametersNotFinite(model, epoch);
                var (validationLoss, validationMetrics) = EpochValidation.Evaluate(
                    model,
                    validation,
                    _options.BatchSize,
                    epoch,
                    "the model diverged. Lower the learning rate or check the inputs for NaN or extreme values.");

                var metrics = new EpochMetrics(
                    epoch,
                    trainLoss,
                    trainAccuracy,
                    validationLoss,
                    validationMetrics,
                    clock.Elapsed,
                    learningRate);
                history.Add(metrics);
                var bestSoFar = bestEpoch is { } best ? history[best - 1] : null;
                if (validation is not null && EpochValidation.IsBetter(metrics, bestSoFar, _options.BestEpochCriterion))
                {
                    StateDicts.Dispose(bestState);
                    bestState = StateDicts.CopyToCpu(model);
                    bestEpoch = epoch;
                }

                if (checkpointPath is not null
                    && (epoch % _options.CheckpointEveryEpochs == 0 || epoch == _options.Epochs))
                {
                    var state = new TrainingCheckpointState(fingerprint!, epoch, history.ToArray(), bestEpoch);
                    TrainingCheckpoint.Write(checkpointPath, state, model, optimizer, bestState);
                }

                _options.Progress?.Invoke(metrics);
            }
        }
        catch
        {
            StateDicts.Dispose(bestState);
            throw;
        }
        finally
        {
            model.eval();
        }

        return new TrainingResult(history, bestEpoch, bestState, resumedFrom);
    }

    private (double Loss, double Accuracy) RunEpoch(
        PainAttnNet model,
        optim.Optimizer optimizer,
        WindowDataset train,
        Device device,
        EpochContext clock,
        CancellationToken cancellationToken)
    {
        // Reseed from (seed, epoch) so that the batch order and dropout masks of this epoch are
        // the same whether or not the run was resumed before it.
        manual_seed(EpochSeeds.Torch(_options.Seed, clock.Epoch));
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(EpochSeeds.Shuffle(_options.Seed, clock.Epoch)).Shuffle(order);

        model.train();
        var config = model.Config;
        var batchCount = (order.Length + _options.BatchSize - 1) / _options.BatchSize;
        var lossSum = 0.0;
        var seen = 0;
        using var correct = zeros(1, ScalarType.Int64, device);
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var size = Math.Min(_options.BatchSize, order.Length - start);
            var indices = new ArraySegment<int>(order, start, size);
            var inputs = WindowBatches.Inputs(
                train.Inputs,
                indices,
                config.InputChannels,
                config.WindowSamples,
                device);
            var labels = WindowBatches.Labels(train.Labels, indices, device);

            optimizer.zero_grad();

            var logits = model.forward(inputs);

            var loss = nn.functional.cross_entropy(logits, labels);
            var lossValue = loss.item<float>();
            if (!float.IsFinite(lossValue))
            {
                throw new InvalidOperationException(
                    $"Training loss became {lossValue} in epoch {clock.Epoch} at window {start} of {order.Length}; "
                    + "lower the learning rate or check the inputs for NaN or extreme values.");
            }

            loss.backward();

            optimizer.step();

            // The correct count stays on the device, so the loss is the only value read per step.
            lossSum += (double)lossValue * indices.Count;
            seen += indices.Count;
            correct.add_(logits.argmax(1).eq(labels).sum());
            ReportBatch(clock, (start / _options.BatchSize) + 1, batchCount, lossSum / seen, seen);
        }

        return (lossSum / order.Length, (double)correct.item<long>() / order.Length);
    }

    private void ReportBatch(EpochContext clock, int batch, int batchCount, double runningLoss, int seen)
    {
        if (_options.BatchProgress is not { } report)
        {
            return;
        }

        var epochElapsed = clock.EpochClock.Elapsed;
        var seconds = epochElapsed.TotalSeconds;
        report(new BatchProgress(
            clock.Epoch,
            _options.Epochs,
            batch,
            batchCount,
            runningLoss,
            seconds > 0 ? seen / seconds : 0,
            epochElapsed,
            clock.RunClock.Elapsed,
            clock.LearningRate));
    }

    private static void ThrowIfParametersNotFinite(PainAttnNet model, int epoch)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.isfinite().all().item<bool>())
            {
                throw new InvalidOperationException(
                    $"Weights of '{name}' became NaN or infinite in epoch {epoch}; the model diverged. "
                    + "Lower the learning rate or check the inputs for NaN or extreme values.");
            }
        }
    }

    private readonly record struct EpochContext(
        int Epoch,
        double LearningRate,
        Stopwatch EpochClock,
        Stopwatch RunClock);
}
