using System.Diagnostics;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Distillation;

/// <summary>
/// Stochastic self-distillation of a PainAttnNet student from a <see cref="StochasticTeacher"/>
/// of the same architecture: per batch, w_ce · cross-entropy + w_kd · student-guided loss on the
/// encoder representations, plus an optional logit-distillation term. Adam, per-epoch learning
/// rate schedule, seeding and best-epoch selection work as in <see cref="TeacherTrainer"/>.
/// </summary>
/// <remarks>
/// The student stays in training mode for every step. Validation predictions switch it to eval
/// mode and back. With <see cref="TrainingOptions.CheckpointDirectory"/> set, a
/// <see cref="TrainingCheckpoint"/> of the student is written every
/// <see cref="TrainingOptions.CheckpointEveryEpochs"/> epochs and after the last; its fingerprint
/// adds the distillation settings and a digest of the teacher's weights. Each epoch reseeds from
/// (seed, epoch), which also fixes the teacher's dropout masks, so a resumed run ends with the
/// same weights as an uninterrupted one on the CPU.
/// </remarks>
public sealed class StudentDistiller
{
    private readonly DistillationOptions _options;
    private readonly StudentGuidedLoss _loss;

    /// <summary>Creates a distiller with validated options.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public StudentDistiller(DistillationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _loss = new StudentGuidedLoss(options.Temperature, options.Percentile, options.DetachWeights);
    }

    /// <summary>
    /// Creates the student: a copy of <paramref name="teacher"/>'s weights, or fresh weights drawn
    /// after seeding torch's global generator with <paramref name="seed"/>.
    /// </summary>
    public static PainAttnNet CreateStudent(PainAttnNet teacher, StudentInitialization initialization, int seed)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        manual_seed(seed);
        var student = new PainAttnNet(teacher.Config);
        if (initialization == StudentInitialization.Teacher)
        {
            using var state = new DisposableState(StateDicts.CopyToCpu(teacher));
            student.load_state_dict(state.Values);
        }

        return student;
    }

    /// <summary>
    /// Trains <paramref name="student"/> in place on <paramref name="train"/> against
    /// <paramref name="teacher"/> and evaluates on <paramref name="validation"/> after every
    /// epoch. Both models move to the training device. The student ends in eval mode with the last
    /// epoch's weights; <see cref="TrainingResult.LoadBestState"/> restores the best epoch.
    /// <see cref="EpochMetrics.TrainLoss"/> is the mean of the whole distillation objective.
    /// </summary>
    /// <exception cref="ArgumentException">A dataset is empty or does not fit the models.</exception>
    /// <exception cref="InvalidOperationException">
    /// The loss became NaN or infinite, or the teacher's passes are identical.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Fit(
        PainAttnNet student,
        StochasticTeacher teacher,
        WindowDataset train,
        WindowDataset? validation = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(train);
        if (student.Config != teacher.Model.Config)
        {
            throw new ArgumentException(
                $"The student ({student.Config}) and the teacher ({teacher.Model.Config}) differ in shape.",
                nameof(student));
        }

        if (train.Count == 0)
        {
            throw new ArgumentException("The training set has no windows.", nameof(train));
        }

        WindowBatches.CheckCompatible(train, student.Config, nameof(train));
        if (validation is not null)
        {
            if (validation.Count == 0)
            {
                throw new ArgumentException(
                    "The validation set has no windows; pass null to train without one.",
                    nameof(validation));
            }

            WindowBatches.CheckCompatible(validation, student.Config, nameof(validation));
        }

        var training = _options.Training;
        var device = TrainingDevice.Resolve(training.Device);
        if (training.CpuThreads is { } threads)
        {
            set_num_threads(threads);
        }

        student.to(device);
        teacher.Model.to(device);
        using var optimizer = optim.Adam(
            student.parameters(),
            lr: training.LearningRate,
            weight_decay: training.WeightDecay,
            amsgrad: training.AmsGrad);

        var checkpointPath = training.CheckpointDirectory is { } directory
            ? TrainingCheckpoint.PathIn(directory)
            : null;
        var fingerprint = checkpointPath is null
            ? null
            : TrainingFingerprint.Create(training, student.Config, train, validation) with
            {
                Distillation = $"{_options.Describe()}, teacher {TeacherDigest(teacher.Model)}",
            };
        var history = new List<EpochMetrics>(training.Epochs);
        Dictionary<string, Tensor>? bestState = null;
        int? bestEpoch = null;
        var resumedFrom = 0;
        try
        {
            // Resume: weights, Adam state, history and best epoch come from the checkpoint.
            if (checkpointPath is not null && File.Exists(checkpointPath))
            {
                if (!training.Resume)
                {
                    throw new InvalidOperationException(
                        $"Training checkpoint '{checkpointPath}' already exists. Set Resume "
                        + "(--resume in ssdedge-trainer distill) to continue that run, or choose another "
                        + "checkpoint directory (another --run-id).");
                }

                var restored = TrainingCheckpoint.Restore(checkpointPath, fingerprint!, student, optimizer);
                history.AddRange(restored.History);
                bestEpoch = restored.BestEpoch;
                bestState = restored.BestState;
                resumedFrom = restored.CompletedEpochs;
            }

            var runClock = Stopwatch.StartNew();
            for (var epoch = resumedFrom + 1; epoch <= training.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                var learningRate = training.LearningRateSchedule.LearningRateAt(
                    epoch,
                    training.Epochs,
                    training.LearningRate);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = learningRate;
                }

                var context = new EpochContext(epoch, learningRate, clock, runClock);
                var (trainLoss, trainAccuracy) = RunEpoch(
                    student,
                    teacher,
                    optimizer,
                    train,
                    device,
                    context,
                    cancellationToken);
                var (validationLoss, validationMetrics) = EpochValidation.Evaluate(
                    student,
                    validation,
                    training.BatchSize,
                    epoch,
                    "the student diverged. Lower the learning rate or the distillation weights.");

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
                if (validation is not null && EpochValidation.IsBetter(metrics, bestSoFar, _options.Training.BestEpochCriterion))
                {
                    StateDicts.Dispose(bestState);
                    bestState = StateDicts.CopyToCpu(student);
                    bestEpoch = epoch;
                }

                if (checkpointPath is not null
                    && (epoch % training.CheckpointEveryEpochs == 0 || epoch == training.Epochs))
                {
                    var state = new TrainingCheckpointState(fingerprint!, epoch, history.ToArray(), bestEpoch);
                    TrainingCheckpoint.Write(checkpointPath, state, student, optimizer, bestState);
                }

                training.Progress?.Invoke(metrics);
            }
        }
        catch
        {
            StateDicts.Dispose(bestState);
            throw;
        }
        finally
        {
            student.eval();
        }

        return new TrainingResult(history, bestEpoch, bestState, resumedFrom);
    }

    // SHA-256 of the teacher's state_dict in TorchSharp's tensor format, shortened.
    private static string TeacherDigest(PainAttnNet teacher)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            using var state = new DisposableState(StateDicts.CopyToCpu(teacher));
            StateDicts.Write(writer, state.Values);
        }

        var hash = System.Security.Cryptography.SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length));
        return $"SHA-256 {Convert.ToHexStringLower(hash)[..16]}";

    }

    private (double Loss, double Accuracy) RunEpoch(
        PainAttnNet student,
        StochasticTeacher teacher,
        optim.Optimizer optimizer,
        WindowDataset train,
        Device device,
        EpochContext clock,
        CancellationToken cancellationToken)
    {
        // Reseed from (seed, epoch): batch order, and the dropout masks of teacher and student.
        var training = _options.Training;
        manual_seed(EpochSeeds.Torch(training.Seed, clock.Epoch));
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(EpochSeeds.Shuffle(training.Seed, clock.Epoch)).Shuffle(order);

        student.train();
        var config = student.Config;
        var batchCount = (order.Length + training.BatchSize - 1) / training.BatchSize;
        var lossSum = 0.0;
        var seen = 0;
        using var correct = zeros(1, ScalarType.Int64, device);
        for (var start = 0; start < order.Length; start += training.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var size = Math.Min(training.BatchSize, order.Length - start);
            var indices = new ArraySegment<int>(order, start, size);
            var inputs = WindowBatches.Inputs(
                train.Inputs,
                indices,
                config.InputChannels,
                config.WindowSamples,
                device);
            var labels = WindowBatches.Labels(train.Labels, indices, device);

            // N stochastic teacher representations, (B, N, D), without gradient.
            var teacherFeatures = teacher.Sample(inputs, _options.Passes);

            optimizer.zero_grad();

            var studentFeatures = student.ExtractFeatures(inputs);
            var logits = student.ForwardHead(studentFeatures);

            var loss = Objective(teacher, teacherFeatures, studentFeatures, logits, labels);
            var lossValue = loss.item<float>();
            if (!float.IsFinite(lossValue))
            {
                throw new InvalidOperationException(
                    $"Distillation loss became {lossValue} in epoch {clock.Epoch} at window {start} of "
                    + $"{order.Length}; lower the learning rate or the distillation weights.");
            }

            loss.backward();

            optimizer.step();

            lossSum += (double)lossValue * indices.Count;
            seen += indices.Count;
            correct.add_(logits.argmax(1).eq(labels).sum());
            ReportBatch(clock, (start / training.BatchSize) + 1, batchCount, lossSum / seen, seen);
        }

        return (lossSum / order.Length, (double)correct.item<long>() / order.Length);
    }

    // w_ce · CE + w_kd · student-guided loss + w_logit · T² · KL(teacher ‖ student) at temperature T.
    private Tensor Objective(
        StochasticTeacher teacher,
        Tensor teacherFeatures,
        Tensor studentFeatures,
        Tensor logits,
        Tensor labels)
    {
        var batch = studentFeatures.shape[0];
        var flat = studentFeatures.reshape(batch, -1);
        var loss = nn.functional.cross_entropy(logits, labels) * _options.CrossEntropyWeight;
        if (_options.DistillationWeight > 0)
        {
            var representationLoss = _options.Target == DistillationTarget.Mean
                ? nn.functional.mse_loss(flat, teacherFeatures.mean([1]))
                : _loss.Compute(flat, teacherFeatures);
            loss = loss + (representationLoss * _options.DistillationWeight);
        }

        if (_options.LogitDistillationWeight > 0)
        {
            // Teacher logits: the mean over the N stochastic passes of the teacher's head.
            var temperature = _options.LogitDistillationTemperature;
            Tensor teacherLogits;
            using (no_grad())
            {
                var passes = teacherFeatures.shape[1];
                var perPass = teacher.Model.ForwardHead(teacherFeatures.reshape(batch * passes, -1));
                teacherLogits = perPass.reshape(batch, passes, -1).mean([1]);
            }

            var studentLog = nn.functional.log_softmax(logits / temperature, 1);
            var teacherLog = nn.functional.log_softmax(teacherLogits / temperature, 1);
            var divergence = nn.functional.kl_div(studentLog, teacherLog, reduction: nn.Reduction.Sum, log_target: true)
                / batch;
            loss = loss + (divergence * (temperature * temperature * _options.LogitDistillationWeight));
        }

        return loss;
    }

    private void ReportBatch(EpochContext clock, int batch, int batchCount, double runningLoss, int seen)
    {
        if (_options.Training.BatchProgress is not { } report)
        {
            return;
        }

        var epochElapsed = clock.EpochClock.Elapsed;
        var seconds = epochElapsed.TotalSeconds;
        report(new BatchProgress(
            clock.Epoch,
            _options.Training.Epochs,
            batch,
            batchCount,
            runningLoss,
            seconds > 0 ? seen / seconds : 0,
            epochElapsed,
            clock.RunClock.Elapsed,
            clock.LearningRate));
    }

    private readonly record struct EpochContext(
        int Epoch,
        double LearningRate,
        Stopwatch EpochClock,
        Stopwatch RunClock);

    // A state_dict copy that disposes its tensors.
    private sealed class DisposableState(Dictionary<string, Tensor> values) : IDisposable
    {
        public Dictionary<string, Tensor> Values { get; } = values;

        public void Dispose() => StateDicts.Dispose(Values);
    }
}
