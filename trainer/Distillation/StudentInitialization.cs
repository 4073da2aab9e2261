namespace SsdEdge.Trainer.Distillation;

/// <summary>Where the student's weights start.</summary>
public enum StudentInitialization
{
    /// <summary>A copy of the teacher's weights, BatchNorm statistics included.</summary>
    Teacher,

    /// <summary>Fresh weights drawn from torch's generator seeded with the run's seed.</summary>
    Fresh,
}
