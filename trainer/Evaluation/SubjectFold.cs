using SsdEdge.Datasets;

namespace SsdEdge.Trainer.Evaluation;

/// <summary>
/// One split of a dataset by subject into training, validation and test parts. No subject occurs
/// in two parts. The window datasets are copied only when requested, so a list of folds stays small.
/// </summary>
public sealed class SubjectFold
{
    private readonly WindowDataset _source;

    internal SubjectFold(
        string name,
        WindowDataset source,
        IReadOnlyList<string> trainSubjects,
        IReadOnlyList<string> validationSubjects,
        IReadOnlyList<string> testSubjects)
    {
        Name = name;
        _source = source;
        TrainSubjects = trainSubjects;
        ValidationSubjects = validationSubjects;
        TestSubjects = testSubjects;
        TrainIndices = IndicesOf(source, trainSubjects);
        ValidationIndices = IndicesOf(source, validationSubjects);
        TestIndices = IndicesOf(source, testSubjects);
    }

    /// <summary>Label of the fold, such as <c>loso-S07</c> or <c>kfold-2of5</c>.</summary>
    public string Name { get; }

    /// <summary>Subjects whose windows train the model, in ordinal order.</summary>
    public IReadOnlyList<string> TrainSubjects { get; }

    /// <summary>Subjects held out from training to select epochs; empty when there is no validation part.</summary>
    public IReadOnlyList<string> ValidationSubjects { get; }

    /// <summary>Subjects the fold is evaluated on.</summary>
    public IReadOnlyList<string> TestSubjects { get; }

    /// <summary>Window indices of the training part in the source dataset.</summary>
    public IReadOnlyList<int> TrainIndices { get; }

    /// <summary>Window indices of the validation part in the source dataset.</summary>
    public IReadOnlyList<int> ValidationIndices { get; }

    /// <summary>Window indices of the test part in the source dataset.</summary>
    public IReadOnlyList<int> TestIndices { get; }

    /// <summary>Copies the training windows into a new dataset.</summary>
    public WindowDataset CreateTrainSet() => _source.Subset(TrainIndices);

    /// <summary>Copies the validation windows into a new dataset; null when there is no validation part.</summary>
    public WindowDataset? CreateValidationSet() =>
        ValidationIndices.Count == 0 ? null : _source.Subset(ValidationIndices);

    /// <summary>Copies the test windows into a new dataset.</summary>
    public WindowDataset CreateTestSet() => _source.Subset(TestIndices);

    private static int[] IndicesOf(WindowDataset source, IReadOnlyList<string> subjects)
    {
        var wanted = new HashSet<string>(subjects, StringComparer.Ordinal);
        var indices = new List<int>();
        for (var i = 0; i < source.Count; i++)
        {
            if (wanted.Contains(source.SubjectIds[i]))
            {
                indices.Add(i);
            }
        }

        return [.. indices];
    }
}
