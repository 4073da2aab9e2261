namespace SsdEdge.Trainer.Distillation;

/// <summary>What <c>ssdedge-trainer distill</c> was asked to do.</summary>
public sealed record DistillRequest
{
    /// <summary>Teacher run: a run directory, or a run id under <see cref="RunsDirectory"/>.</summary>
    public required string TeacherRun { get; init; }

    /// <summary>Folder under which the student's run directory is created.</summary>
    public string RunsDirectory { get; init; } = "runs";

    /// <summary>Student run identifier; null makes one from the teacher's id and the time.</summary>
    public string? RunId { get; init; }

    /// <summary>
    /// Fold of the teacher run to distil, by name or number from 1; null distils every fold and
    /// writes the run's report. With a fold, only that fold's folder and part are written, and
    /// <c>ssdedge-trainer merge</c> assembles the run once every fold is done.
    /// </summary>
    public string? Fold { get; init; }

    /// <summary>Distillation and optimiser settings.</summary>
    public required DistillationOptions Options { get; init; }
}
