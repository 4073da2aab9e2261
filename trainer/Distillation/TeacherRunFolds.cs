using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Runs;

namespace SsdEdge.Trainer.Distillation;

/// <summary>
/// What distillation needs of a teacher run: its id, data source, fold plan, model shape and the
/// subjects of its folds. It comes from the teacher's run.json when the run was assembled, or,
/// for one fold, from that fold's <c>folds/NAME/part.json</c> while other folds are still training.
/// </summary>
/// <param name="Layout">Teacher run directory.</param>
/// <param name="RunId">Teacher run id.</param>
/// <param name="Source">Data source the teacher trained on.</param>
/// <param name="FoldPlan">Teacher's fold plan in its text form.</param>
/// <param name="Model">Teacher's model shape, which the student shares.</param>
/// <param name="PlanFolds">Names of every fold of the plan, in plan order.</param>
/// <param name="Folds">Subjects of the folds whose teacher is available, by fold name.</param>
internal sealed record TeacherRunFolds(
    RunLayout Layout,
    string RunId,
    string Source,
    string FoldPlan,
    PainAttnNetConfig Model,
    IReadOnlyList<string> PlanFolds,
    IReadOnlyDictionary<string, FoldInfo> Folds)
{
    /// <summary>Reads the teacher run in <paramref name="directory"/>.</summary>
    /// <param name="directory">Teacher run directory.</param>
    /// <param name="foldOnly">Whether one fold is distilled, so the fold parts may stand in for a missing run.json.</param>
    /// <exception cref="DirectoryNotFoundException">The directory contains no run.json and, with <paramref name="foldOnly"/>, no fold part.</exception>
    public static TeacherRunFolds Open(string directory, bool foldOnly)
    {
        var layout = new RunLayout(Path.GetFullPath(directory));
        if (File.Exists(layout.RunFile) || !foldOnly)
        {
            var info = RunLayout.ReadJson<RunInfo>(RunLayout.Open(directory).RunFile);
            return new TeacherRunFolds(
                layout,
                info.RunId,
                info.Source,
                info.FoldPlan,
                info.Model,
                info.Folds.Select(fold => fold.Name).ToArray(),
                info.Folds.ToDictionary(fold => fold.Name, StringComparer.Ordinal));
        }

        var parts = Directory.Exists(layout.FoldsDirectory)
            ? Directory.GetDirectories(layout.FoldsDirectory)
                .Order(StringComparer.Ordinal)
                .Select(folder => new RunLayout(folder).PartFile)
                .Where(File.Exists)
                .Select(RunPart.Read)
                .Where(part => part.Kind == RunPart.TrainKind)
                .ToArray()
            : [];
        if (parts.Length == 0)
        {
            throw new DirectoryNotFoundException(
                $"'{directory}' is not a teacher run: it has neither run.json nor a trained fold "
                + "(folds/NAME/part.json). Pass the directory of a `ssdedge-trainer train` run.");
        }

        var first = parts.MinBy(part => part.FoldNumber)!;
        return new TeacherRunFolds(
            layout,
            first.RunId,
            first.Settings.Source,
            first.Settings.FoldPlan,
            first.Settings.Model,
            first.PlanFolds,
            parts.ToDictionary(part => part.Outcome.Info.Name, part => part.Outcome.Info, StringComparer.Ordinal));
    }

    /// <summary>Returns the subjects of fold <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">The fold's teacher has not finished training.</exception>
    public FoldInfo Fold(string name) =>
        Folds.TryGetValue(name, out var fold)
            ? fold
            : throw new InvalidOperationException(
                $"Fold {name} of teacher run {RunId} has no part.json yet, so its teacher is not trained; "
                + "distil this fold once its `train --fold` job has finished.");
}
