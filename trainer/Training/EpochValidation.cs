using SsdEdge.Datasets;
using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Model;

namespace SsdEdge.Trainer.Training;

/// <summary>Per-epoch validation and best-epoch choice, shared by teacher and student training.</summary>
internal static class EpochValidation
{
    /// <summary>
    /// Scores <paramref name="model"/> on <paramref name="validation"/>, or returns nulls when there
    /// is no validation set. The error for a non-finite loss names <paramref name="epoch"/> and ends
    /// with <paramref name="divergence"/>: what diverged and what to try.
    /// </summary>
    /// <exception cref="InvalidOperationException">The validation loss is NaN or infinite.</exception>
    public static (double? Loss, ClassificationMetrics? Metrics) Evaluate(
        PainAttnNet model,
        WindowDataset? validation,
        int batchSize,
        int epoch,
        string divergence)
    {
        if (validation is null)
        {
            return (null, null);
        }

        var predictions = new Predictor(model, batchSize).Predict(validation);
        var loss = predictions.CrossEntropy(validation.Labels);
        if (!double.IsFinite(loss))
        {
            throw new InvalidOperationException($"Validation loss became {loss} in epoch {epoch}; {divergence}");
        }

        var metrics = Metrics.Compute(validation.Labels, predictions.PredictedLabels(), model.Config.Classes);
        return (loss, metrics);
    }

    /// <summary>
    /// Returns whether <paramref name="candidate"/> beats <paramref name="best"/> by
    /// <paramref name="criterion"/>, with the lower validation loss breaking ties.
    /// </summary>
    public static bool IsBetter(EpochMetrics candidate, EpochMetrics? best, BestEpochCriterion criterion)
    {
        if (best is null)
        {
            return true;
        }

        var candidateLoss = candidate.ValidationLoss!.Value;
        var bestLoss = best.ValidationLoss!.Value;
        var (candidateScore, bestScore) = criterion switch
        {
            BestEpochCriterion.ValidationLoss => (-candidateLoss, -bestLoss),
            BestEpochCriterion.ValidationMacroF1 => (candidate.Validation!.MacroF1, best.Validation!.MacroF1),
            _ => (candidate.Validation!.Accuracy, best.Validation!.Accuracy),
        };
        return candidateScore > bestScore || (candidateScore == bestScore && candidateLoss < bestLoss);
    }
}
