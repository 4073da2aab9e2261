using SsdEdge.Datasets;
using SsdEdge.Trainer.Evaluation;
using Xunit;

namespace SsdEdge.Trainer.Tests.Evaluation;

public sealed class SubjectSplitTests
{
    private static readonly WindowDataset Data = CreateDataset(subjects: 7, windowsPerSubject: 3);

    [Fact]
    public void LeaveOneSubjectOut_SevenSubjects_DisjointFolds()
    {
        var folds = SubjectSplit.LeaveOneSubjectOut(Data, validationFraction: 0.2, seed: 1);

        Assert.Equal(7, folds.Count);
        var tested = folds.SelectMany(fold => fold.TestSubjects).Order(StringComparer.Ordinal);
        Assert.Equal(SubjectSplit.Subjects(Data), tested);
        foreach (var fold in folds)
        {
            AssertDisjointAndComplete(fold);
            Assert.Single(fold.TestSubjects);
            Assert.Single(fold.ValidationSubjects);
        }
    }

    [Fact]
    public void KFold_ThreeFolds_TestsEverySubjectOnce()
    {
        var folds = SubjectSplit.KFold(Data, folds: 3, seed: 2);

        var tested = folds.SelectMany(fold => fold.TestSubjects).ToArray();
        Assert.Equal(7, tested.Length);
        Assert.Equal(7, tested.Distinct(StringComparer.Ordinal).Count());
        Assert.All(folds, fold => Assert.InRange(fold.TestSubjects.Count, 2, 3));
        Assert.All(folds, AssertDisjointAndComplete);
    }

    [Fact]
    public void KFold_SameSeed_SameFolds()
    {
        var first = SubjectSplit.KFold(Data, folds: 3, seed: 5);
        var second = SubjectSplit.KFold(Data, folds: 3, seed: 5);

        Assert.Equal(first.Select(fold => fold.TestSubjects), second.Select(fold => fold.TestSubjects));
    }

    [Fact]
    public void Holdout_GivenSubjects_AreTheTestPart()
    {
        var fold = SubjectSplit.Holdout(Data, ["S03", "S05"], validationFraction: 0.25, seed: 3);

        Assert.Equal(["S03", "S05"], fold.TestSubjects);
        Assert.Equal(6, fold.CreateTestSet().Count);
        AssertDisjointAndComplete(fold);
    }

    [Fact]
    public void Holdout_UnknownSubject_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => SubjectSplit.Holdout(Data, ["S99"]));

        Assert.Contains("S99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSets_Fold_WindowsKeepTheirSubjects()
    {
        var fold = SubjectSplit.LeaveOneSubjectOut(Data, validationFraction: 0.2, seed: 4)[2];

        var train = fold.CreateTrainSet();
        var validation = fold.CreateValidationSet()!;
        var test = fold.CreateTestSet();

        Assert.All(train.SubjectIds, subject => Assert.Contains(subject, fold.TrainSubjects));
        Assert.All(validation.SubjectIds, subject => Assert.Contains(subject, fold.ValidationSubjects));
        Assert.All(test.SubjectIds, subject => Assert.Contains(subject, fold.TestSubjects));
        Assert.Equal(Data.Count, train.Count + validation.Count + test.Count);
    }

    [Fact]
    public void SplitValidation_ZeroFraction_NoValidationSubjects()
    {
        var (train, validation) = SubjectSplit.SplitValidation(["A", "B", "C"], 0, seed: 1);

        Assert.Equal(["A", "B", "C"], train);
        Assert.Empty(validation);
    }

    [Fact]
    public void SplitValidation_FractionOne_Throws()
    {
        Assert.Throws<ArgumentException>(() => SubjectSplit.SplitValidation(["A", "B"], 1.0, seed: 1));
    }

    [Fact]
    public void KFold_MoreFoldsThanSubjects_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => SubjectSplit.KFold(Data, folds: 8));

        Assert.Contains("at least 8 subjects", error.Message, StringComparison.Ordinal);
    }

    private static void AssertDisjointAndComplete(SubjectFold fold)
    {
        var parts = new[] { fold.TrainSubjects, fold.ValidationSubjects, fold.TestSubjects };
        var all = parts.SelectMany(part => part).ToArray();
        var distinct = all.Distinct(StringComparer.Ordinal).Count();
        Assert.True(all.Length == distinct, $"{fold.Name}: a subject is in two parts.");
        Assert.Equal(SubjectSplit.Subjects(Data), all.Order(StringComparer.Ordinal));
        var indices = fold.TrainIndices.Concat(fold.ValidationIndices).Concat(fold.TestIndices).ToArray();
        Assert.Equal(Enumerable.Range(0, Data.Count), indices.Order());
    }

    private static WindowDataset CreateDataset(int subjects, int windowsPerSubject)
    {
        var count = subjects * windowsPerSubject;
        var subjectIds = Enumerable.Range(0, count).Select(i => $"S{(i % subjects) + 1:D2}").ToArray();
        var labels = Enumerable.Range(0, count).Select(i => i % 2).ToArray();
        var inputs = Enumerable.Range(0, count * 4).Select(i => (float)i).ToArray();
        return new WindowDataset(inputs, 1, 4, labels, subjectIds, ["no pain", "pain"]);
    }
}
