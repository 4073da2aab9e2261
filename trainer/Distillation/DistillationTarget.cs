namespace SsdEdge.Trainer.Distillation;

/// <summary>What the student's representation is pulled towards.</summary>
public enum DistillationTarget
{
    /// <summary>The student-guided, percentile-filtered weighting of the teacher passes.</summary>
    StudentGuided,

    /// <summary>The unweighted mean of the teacher passes (feature-distillation baseline).</summary>
    Mean,
}
