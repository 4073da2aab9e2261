using System.Diagnostics;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>
/// Supervised training of a <see cref="PainAttnNet"/> with Adam on cross-entropy, with optional
/// per-epoch validation and best-epoch selection. On the CPU the same seed and data give the same
/// loss sequence within one process and thread count.
/// </summary>
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
    /// the best epoch.
    /// </summary>
    /// <exception cref="ArgumentException">A dataset is empty or does not fit the model.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
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

        manual_seed(_options.Seed);
        var shuffler = new Random(_options.Seed);
        model.to(device);
        using var optimizer = optim.Adam(
            model.parameters(),
            lr: _options.LearningRate,
            weight_decay: _options.WeightDecay,
            amsgrad: _options.AmsGrad);

        var history = new List<EpochMetrics>(_options.Epochs);
        Dictionary<string, Tensor>? bestState = null;
        int? bestEpoch = null;
        try
        {
            for (var epoch = 1; epoch <= _options.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                var (trainLoss, trainAccuracy) =
                    RunEpoch(model, optimizer, train, shuffler, device, epoch, cancellationToken);
                double? validationLoss = null;
                ClassificationMetrics? validationMetrics = null;
                if (validation is not null)
                {
                    var predictions = new Predictor(model, _options.BatchSize).Predict(validation);
                    validationLoss = predictions.CrossEntropy(validation.Labels);
                    validationMetrics = Metrics.Compute(
                        validation.Labels,
                        predictions.PredictedLabels(),
                        model.Config.Classes);
                }

                var metrics = new EpochMetrics(
                    epoch,
                    trainLoss,
                    trainAccuracy,
                    validationLoss,
                    validationMetrics,
                    clock.Elapsed);
                history.Add(metrics);
                var bestSoFar = bestEpoch is { } best ? history[best - 1] : null;
                if (validation is not null && IsBetter(metrics, bestSoFar))
                {
                    DisposeState(bestState);
                    bestState = CopyStateToCpu(model);
                    bestEpoch = epoch;
                }

                _options.Progress?.Invoke(metrics);
            }
        }
        catch
        {
            DisposeState(bestState);
            throw;
        }
        finally
        {
            model.eval();
        }

        return new TrainingResult(history, bestEpoch, bestState);
    }

    private (double Loss, double Accuracy) RunEpoch(
        PainAttnNet model,
        optim.Optimizer optimizer,
        WindowDataset train,
        Random shuffler,
        Device device,
        int epoch,
        CancellationToken cancellationToken)
    {
        model.train();
        var order = Enumerable.Range(0, train.Count).ToArray();
        shuffler.Shuffle(order);
        var config = model.Config;
        var lossSum = 0.0;
        var correct = 0L;
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
                    $"Training loss became {lossValue} in epoch {epoch} at window {start} of {order.Length}; "
                    + "lower the learning rate or check the inputs for NaN or extreme values.");
            }

            loss.backward();
            optimizer.step();

            lossSum += (double)lossValue * indices.Count;
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }

        return (lossSum / order.Length, (double)correct / order.Length);
    }

    private bool IsBetter(EpochMetrics candidate, EpochMetrics? best)
    {
        if (best is null)
        {
            return true;
        }

        var candidateLoss = candidate.ValidationLoss!.Value;
        var bestLoss = best.ValidationLoss!.Value;
        var (candidateScore, bestScore) = _options.BestEpochCriterion switch
        {
            BestEpochCriterion.ValidationLoss => (-candidateLoss, -bestLoss),
            BestEpochCriterion.ValidationMacroF1 => (candidate.Validation!.MacroF1, best.Validation!.MacroF1),
            _ => (candidate.Validation!.Accuracy, best.Validation!.Accuracy),
        };
        return candidateScore > bestScore || (candidateScore == bestScore && candidateLoss < bestLoss);
    }

    private static Dictionary<string, Tensor> CopyStateToCpu(PainAttnNet model)
    {
        var copy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in model.state_dict())
        {
            using var detached = value.detach();
            copy[name] = detached.cpu().clone();
        }

        return copy;
    }

    private static void DisposeState(Dictionary<string, Tensor>? state)
    {
        if (state is null)
        {
            return;
        }

        foreach (var tensor in state.Values)
        {
            tensor.Dispose();
        }
    }
}
