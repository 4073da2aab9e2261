using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Distillation;

/// <summary>
/// Student-guided distillation loss (Aslam et al., "Learning from Stochastic Teacher
/// Representations Using Student-Guided Knowledge Distillation", ECML-PKDD 2025): the student's
/// representation weighs N stochastic teacher representations, only the best-matching share of
/// them is kept, and the student regresses onto their weighted mean.
/// </summary>
/// <remarks>
/// Per sample: scores φ_i = f_S · f_Ti, weights α = softmax(φ / h); weights below the
/// <see cref="Percentile"/>-th percentile of that sample's α (see <see cref="LinearQuantile"/>)
/// become zero and the rest are renormalised to sum 1; the target is t = Σ α̂_i f_Ti and the loss
/// is the mean squared error between f_S and t over all elements. The loss is computed in the
/// dtype of its inputs.
/// </remarks>
public sealed class StudentGuidedLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="temperature">Softmax temperature h of the scores; positive.</param>
    /// <param name="percentile">Percentile in [0, 100] that a weight must reach to be kept.</param>
    /// <param name="detachWeights">
    /// Whether the weights α are computed from a detached copy of the student representation, so
    /// the gradient reaches the student only through the squared error. False by default, as in
    /// the authors' code.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public StudentGuidedLoss(double temperature = 5, double percentile = 90, bool detachWeights = false)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(
                nameof(temperature),
                temperature,
                "The softmax temperature must be a positive number, such as 5.");
        }

        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(
                nameof(percentile),
                percentile,
                "The percentile must lie in [0, 100], such as 90.");
        }

        Temperature = temperature;
        Percentile = percentile;
        DetachWeights = detachWeights;
    }

    /// <summary>Softmax temperature h of the scores.</summary>
    public double Temperature { get; }

    /// <summary>Percentile in [0, 100] of a sample's weights that a weight must reach to be kept.</summary>
    public double Percentile { get; }

    /// <summary>Whether no gradient flows through the weights α.</summary>
    public bool DetachWeights { get; }

    /// <summary>Computes the loss, a scalar tensor with gradient towards <paramref name="student"/>.</summary>
    /// <param name="student">Student representations f_S, (B, D).</param>
    /// <param name="teachers">Teacher representations f_T, (B, N, D); taken as constants.</param>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public Tensor Compute(Tensor student, Tensor teachers)
    {
        using var scope = NewDisposeScope();
        var weights = Weights(student, teachers);
        var target = weights.unsqueeze(1).bmm(teachers.detach()).squeeze(1);
        var loss = nn.functional.mse_loss(student, target);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Computes the filtered, renormalised weights α̂ of every teacher representation, (B, N); each
    /// row sums to 1.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public Tensor Weights(Tensor student, Tensor teachers)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teachers);
        CheckShapes(student, teachers);

        using var scope = NewDisposeScope();
        var query = DetachWeights ? student.detach() : student;

        // Scores φ_i = f_S · f_Ti and weights α = softmax(φ / h), per sample.
        var scores = teachers.detach().bmm(query.unsqueeze(2)).squeeze(2);
        var weights = nn.functional.softmax(scores / Temperature, 1);

        // Keep the weights at or above the sample's percentile, then renormalise to sum 1. The
        // maximum weight always reaches any percentile, so no row becomes all zero.
        var threshold = LinearQuantile.OfRows(weights, Percentile / 100);
        var kept = weights.ge(threshold).to_type(weights.dtype);
        var filtered = weights * kept;
        var normalized = filtered / filtered.sum(1, keepdim: true);
        return normalized.MoveToOuterDisposeScope();
    }

    private static void CheckShapes(Tensor student, Tensor teachers)
    {
        var valid = student.dim() == 2
            && teachers.dim() == 3
            && teachers.shape[0] == student.shape[0]
            && teachers.shape[2] == student.shape[1]
            && teachers.shape[1] >= 1;
        if (!valid)
        {
            throw new ArgumentException(
                "The student-guided loss needs student (B, D) and teachers (B, N, D) representations; got "
                + $"({string.Join(", ", student.shape)}) and ({string.Join(", ", teachers.shape)}).",
                nameof(teachers));
        }
    }
}
