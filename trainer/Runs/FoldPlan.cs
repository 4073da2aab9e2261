using System.Globalization;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Evaluation;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// How a run divides its subjects into folds. Every plan splits by subject, never by window.
/// </summary>
/// <remarks>
/// Text forms: <c>holdout</c> (one fold; the test subjects are given or drawn), <c>loso</c>
/// (leave one subject out), <c>kfold:K</c> (K folds over subjects) and <c>split</c> (the dataset's
/// own train/test split, such as UCR's).
/// </remarks>
public sealed record FoldPlan(FoldPlanKind Kind, int Folds = 0)
{
    /// <summary>Parses a plan's text form.</summary>
    /// <exception cref="ArgumentException">The text is not a known plan.</exception>
    public static FoldPlan Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed.StartsWith("kfold:", StringComparison.Ordinal))
        {
            var count = trimmed["kfold:".Length..];
            var valid = int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var k);
            if (!valid || k < 2)
            {
                throw new ArgumentException($"Fold plan '{text}' is invalid: kfold:K needs an integer K of 2 or more.");
            }

            return new FoldPlan(FoldPlanKind.KFold, k);
        }

        return trimmed switch
        {
            "holdout" => new FoldPlan(FoldPlanKind.Holdout),
            "loso" => new FoldPlan(FoldPlanKind.LeaveOneSubjectOut),
            "split" => new FoldPlan(FoldPlanKind.DatasetSplit),
            _ => throw new ArgumentException(
                $"Fold plan '{text}' is unknown; use holdout, loso, kfold:K or split."),
        };
    }

    /// <summary>Returns the plan's text form.</summary>
    public override string ToString() => Kind switch
    {
        FoldPlanKind.Holdout => "holdout",
        FoldPlanKind.LeaveOneSubjectOut => "loso",
        FoldPlanKind.KFold => string.Create(CultureInfo.InvariantCulture, $"kfold:{Folds}"),
        _ => "split",
    };

    /// <summary>Builds the folds of <paramref name="prepared"/> for this plan.</summary>
    /// <exception cref="ArgumentException">The plan does not fit the data (too few subjects, no
    /// dataset split, unknown test subjects).</exception>
    public IReadOnlyList<SubjectFold> CreateFolds(PreparedData prepared, TrainRequest request)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(request);
        var data = prepared.Windows;
        var seed = request.Training.Seed;
        var validation = request.ValidationFraction;
        switch (Kind)
        {
            case FoldPlanKind.LeaveOneSubjectOut:
                return SubjectSplit.LeaveOneSubjectOut(data, validation, seed);
            case FoldPlanKind.KFold:
                return SubjectSplit.KFold(data, Folds, seed, validation);
            case FoldPlanKind.DatasetSplit:
                return [SubjectSplit.Holdout(data, DatasetTestSubjects(prepared), validation, seed)];
            default:
                var testSubjects = request.TestSubjects;
                if (testSubjects.Count == 0)
                {
                    var subjects = SubjectSplit.Subjects(data);
                    var (_, drawn) = SubjectSplit.SplitValidation(subjects, request.TestFraction, seed);
                    testSubjects = drawn;
                }

                return [SubjectSplit.Holdout(data, testSubjects.ToArray(), validation, seed)];
        }
    }

    /// <summary>Returns the plan a source uses when none is given: its own split if it has one.</summary>
    public static FoldPlan DefaultFor(PreparedData prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var hasSplit = prepared.Descriptor.Recordings.Any(recording => recording.Split == "test");
        return new FoldPlan(hasSplit ? FoldPlanKind.DatasetSplit : FoldPlanKind.Holdout);
    }

    // Subjects whose windows all come from recordings the dataset marks as test data.
    private static string[] DatasetTestSubjects(PreparedData prepared)
    {
        var testRecordings = prepared.Descriptor.Recordings
            .Where(recording => recording.Split == "test")
            .Select(recording => recording.Id)
            .ToHashSet(StringComparer.Ordinal);
        if (testRecordings.Count == 0 || prepared.Windows.Origins.Count == 0)
        {
            throw new ArgumentException(
                $"Source '{prepared.Descriptor.Source.Format}' has no train/test split of its own; "
                + "use --folds holdout, loso or kfold:K.");
        }

        var windows = prepared.Windows;
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < windows.Count; i++)
        {
            if (testRecordings.Contains(windows.Origins[i].RecordingId))
            {
                subjects.Add(windows.SubjectIds[i]);
            }
        }

        return subjects.Order(StringComparer.Ordinal).ToArray();
    }
}

/// <summary>Kind of a <see cref="FoldPlan"/>.</summary>
public enum FoldPlanKind
{
    /// <summary>One fold with given or drawn test subjects.</summary>
    Holdout,

    /// <summary>One fold per subject.</summary>
    LeaveOneSubjectOut,

    /// <summary>K folds over subjects.</summary>
    KFold,

    /// <summary>The dataset's own train/test split.</summary>
    DatasetSplit,
}
