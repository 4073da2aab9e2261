using System.Globalization;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Distillation;

/// <summary>Console lines and the split-plan text of a distillation run.</summary>
internal static class DistillationRunText
{
    public static string DescribeTeacher(StochasticTeacher teacher, DistillationOptions options)
    {
        var rate = teacher.DropoutRate is { } value
            ? string.Create(CultureInfo.InvariantCulture, $"rate {value}")
            : "trained rates";
        var prefix = teacher.DescribeSplit();
        return $"  teacher: {options.Passes} passes, stochastic layers '{teacher.Layers}' "
            + $"({teacher.ActiveModules.Count} modules, {rate}), {prefix}; student from "
            + options.StudentInitialization.ToString().ToLowerInvariant();
    }

    public static string FormatEpoch(EpochMetrics epoch, int epochs) =>
        RunText.FormatEpoch(epoch, epochs, "distillation loss");

    public static string DescribeSplitPlan(RunInfo info, string teacherRunId) =>
        $"the folds of teacher run {teacherRunId} ({info.FoldPlan}, {info.Folds.Count} fold(s) "
        + $"over {RunText.SubjectCount(info)} subjects), distilled by stochastic self-distillation; validation "
        + "subjects choose the epoch";
}
