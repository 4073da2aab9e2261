namespace SsdEdge.Trainer.Reporting;

/// <summary>Everything <see cref="RunReportWriter"/> needs about a finished run.</summary>
public sealed record RunSummary
{
    /// <summary>Run identifier.</summary>
    public required string RunId { get; init; }

    /// <summary>Data source as given to <c>train --data</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Creation time of the run.</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Trainer version that made the run.</summary>
    public string ProducerVersion { get; init; } = "";

    /// <summary>
    /// One-line description of how subjects were split, for example
    /// <c>leave-one-subject-out over 87 subjects; 10 % of training subjects validate</c>.
    /// </summary>
    public required string SplitPlan { get; init; }

    /// <summary>Class labels, indexing every confusion matrix.</summary>
    public required IReadOnlyList<string> ClassLabels { get; init; }

    /// <summary>One entry per fold; a single hold-out split is one fold.</summary>
    public required IReadOnlyList<FoldResult> Folds { get; init; }

    /// <summary>Checks that there is a fold and that every confusion matrix fits the labels.</summary>
    /// <exception cref="ArgumentException">A check fails; the message names the fold.</exception>
    public void Validate()
    {
        if (ClassLabels.Count == 0)
        {
            throw new ArgumentException($"Run {RunId} has no class labels; expected at least one.");
        }

        if (Folds.Count == 0)
        {
            throw new ArgumentException($"Run {RunId} has no folds; expected at least one.");
        }

        foreach (var fold in Folds)
        {
            CheckMatrix(fold, "last-epoch", fold.LastEpoch.ConfusionMatrix);
            if (fold.ValidationSelected is not null)
            {
                CheckMatrix(fold, "validation-selected", fold.ValidationSelected.ConfusionMatrix);
            }
        }
    }

    private void CheckMatrix(FoldResult fold, string model, IReadOnlyList<IReadOnlyList<int>> matrix)
    {
        var classes = ClassLabels.Count;
        if (matrix.Count != classes || matrix.Any(row => row.Count != classes))
        {
            var shape = string.Join(", ", matrix.Select(row => row.Count));
            throw new ArgumentException(
                $"Fold {fold.Name}: the {model} confusion matrix has {matrix.Count} rows of lengths "
                + $"[{shape}]; expected {classes} x {classes} for the labels "
                + $"{string.Join(", ", ClassLabels)}.");
        }
    }
}
