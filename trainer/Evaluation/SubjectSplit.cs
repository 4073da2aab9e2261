using SsdEdge.Datasets;

namespace SsdEdge.Trainer.Evaluation;

/// <summary>
/// Splits a <see cref="WindowDataset"/> by subject, never by window order, so that no subject's
/// windows end up in two parts of a fold.
/// </summary>
public static class SubjectSplit
{
    /// <summary>Returns the distinct subject ids of <paramref name="data"/> in ordinal order.</summary>
    public static IReadOnlyList<string> Subjects(WindowDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.SubjectIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Creates one leave-one-subject-out fold per subject: that subject is the test part, and a
    /// seeded <paramref name="validationFraction"/> of the others is the validation part.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Fewer than two subjects, or a validation fraction outside [0, 1).
    /// </exception>
    public static IReadOnlyList<SubjectFold> LeaveOneSubjectOut(
        WindowDataset data,
        double validationFraction = 0,
        int seed = 0)
    {
        var subjects = RequireSubjects(data, 2);
        return subjects
            .Select(test => CreateFold(
                $"loso-{test}",
                data,
                subjects.Where(subject => subject != test).ToArray(),
                [test],
                validationFraction,
                seed))
            .ToArray();
    }

    /// <summary>
    /// Creates <paramref name="folds"/> folds over subjects: the subjects are shuffled with
    /// <paramref name="seed"/> and dealt into groups whose sizes differ by at most one, and each
    /// group is the test part of one fold.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Fewer subjects than folds, fewer than two folds, or a validation fraction outside [0, 1).
    /// </exception>
    public static IReadOnlyList<SubjectFold> KFold(
        WindowDataset data,
        int folds,
        int seed = 0,
        double validationFraction = 0)
    {
        if (folds < 2)
        {
            throw new ArgumentException($"K-fold needs at least 2 folds; got {folds}.", nameof(folds));
        }

        var subjects = RequireSubjects(data, folds);
        var shuffled = Shuffle(subjects, seed);
        var result = new List<SubjectFold>(folds);
        for (var fold = 0; fold < folds; fold++)
        {
            var test = shuffled.Where((_, index) => index % folds == fold).ToArray();
            var train = shuffled.Where((_, index) => index % folds != fold).ToArray();
            result.Add(CreateFold($"kfold-{fold + 1}of{folds}", data, train, test, validationFraction, seed));
        }

        return result;
    }

    /// <summary>
    /// Creates one fold whose test part is <paramref name="testSubjects"/> and whose training part
    /// is every other subject, less a seeded validation fraction.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A test subject is not in the dataset, no subject is left for training, or a validation
    /// fraction outside [0, 1).
    /// </exception>
    public static SubjectFold Holdout(
        WindowDataset data,
        IReadOnlyCollection<string> testSubjects,
        double validationFraction = 0,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(testSubjects);
        var subjects = RequireSubjects(data, 1);
        var missing = testSubjects.Where(subject => !subjects.Contains(subject, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"Test subjects not found in the dataset: {string.Join(", ", missing)}. "
                + $"Known subjects: {string.Join(", ", subjects)}.",
                nameof(testSubjects));
        }

        var test = testSubjects.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var train = subjects.Except(test, StringComparer.Ordinal).ToArray();
        if (train.Length == 0)
        {
            throw new ArgumentException(
                "Every subject is a test subject; none is left for training.",
                nameof(testSubjects));
        }

        return CreateFold("holdout", data, train, test, validationFraction, seed);
    }

    /// <summary>
    /// Splits <paramref name="subjects"/> into training and validation subjects: a seeded shuffle
    /// picks round(fraction × count) validation subjects, at least one when the fraction is above
    /// zero, and always leaves one for training.
    /// </summary>
    /// <exception cref="ArgumentException">The fraction is outside [0, 1).</exception>
    public static (string[] Train, string[] Validation) SplitValidation(
        IReadOnlyList<string> subjects,
        double validationFraction,
        int seed)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        if (validationFraction is < 0 or >= 1 || double.IsNaN(validationFraction))
        {
            throw new ArgumentException(
                $"Validation fraction must lie in [0, 1); got {validationFraction}.",
                nameof(validationFraction));
        }

        if (validationFraction == 0 || subjects.Count < 2)
        {
            return ([.. subjects.Order(StringComparer.Ordinal)], []);
        }

        var count = (int)Math.Round(validationFraction * subjects.Count, MidpointRounding.AwayFromZero);
        count = Math.Clamp(count, 1, subjects.Count - 1);
        var shuffled = Shuffle(subjects, seed);
        var validation = shuffled.Take(count).Order(StringComparer.Ordinal).ToArray();
        var train = shuffled.Skip(count).Order(StringComparer.Ordinal).ToArray();
        return (train, validation);
    }

    private static SubjectFold CreateFold(
        string name,
        WindowDataset data,
        IReadOnlyList<string> trainAndValidation,
        IReadOnlyList<string> test,
        double validationFraction,
        int seed)
    {
        var (train, validation) = SplitValidation(trainAndValidation, validationFraction, seed);
        return new SubjectFold(name, data, train, validation, test);
    }

    private static string[] RequireSubjects(WindowDataset data, int minimum)
    {
        var subjects = Subjects(data).ToArray();
        if (subjects.Length < minimum)
        {
            throw new ArgumentException(
                $"This split needs at least {minimum} subjects; the dataset has {subjects.Length}.",
                nameof(data));
        }

        return subjects;
    }

    // Fisher-Yates shuffle of an ordinal-sorted copy, so the result depends only on the subject
    // set and the seed.
    private static string[] Shuffle(IReadOnlyList<string> subjects, int seed)
    {
        var shuffled = subjects.Order(StringComparer.Ordinal).ToArray();
        var random = new Random(seed);
        for (var i = shuffled.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        return shuffled;
    }
}
