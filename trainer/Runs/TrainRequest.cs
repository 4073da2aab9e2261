using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>What <c>ssdedge-trainer train</c> was asked to do.</summary>
public sealed record TrainRequest
{
    /// <summary>Data source, such as <c>fmov:DIR</c> or <c>synthetic:7</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Folder under which the run directory is created.</summary>
    public string RunsDirectory { get; init; } = "runs";

    /// <summary>Run identifier; a time-stamped one is made when null.</summary>
    public string? RunId { get; init; }

    /// <summary>Fold plan; null takes the dataset's own split when it has one, else a holdout.</summary>
    public FoldPlan? Folds { get; init; }

    /// <summary>Subjects to hold out for testing; when empty, <see cref="TestFraction"/> of them are drawn.</summary>
    public IReadOnlyList<string> TestSubjects { get; init; } = Array.Empty<string>();

    /// <summary>Share of subjects drawn (seeded) for testing when <see cref="TestSubjects"/> is empty.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Share of the training subjects kept apart to select the epoch.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>
    /// Fold of the plan to train, by name or number from 1; null trains every fold and writes the
    /// run files. With a fold, only that fold's folder is written, and <c>merge</c> assembles the run.
    /// </summary>
    public string? Fold { get; init; }

    /// <summary>Where the model combines its input channels.</summary>
    public PainAttnNetFusion Fusion { get; init; } = PainAttnNetFusion.Early;

    /// <summary>Hidden units of the late-fusion head, unused with early fusion.</summary>
    public int FusionHiddenUnits { get; init; } = new PainAttnNetConfig().FusionHiddenUnits;

    /// <summary>Dropout rate of the late-fusion head, unused with early fusion.</summary>
    public double FusionDropout { get; init; } = new PainAttnNetConfig().FusionDropout;

    /// <summary>Optimiser, schedule, seed and device.</summary>
    public required TrainingOptions Training { get; init; }
}
