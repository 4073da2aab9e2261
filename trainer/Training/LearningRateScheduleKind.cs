namespace SsdEdge.Trainer.Training;

/// <summary>Shape of the learning rate over the epochs of a run.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The base learning rate in every epoch after the warm-up.</summary>
    Constant,

    /// <summary>Cosine annealing from the base rate towards a minimum rate.</summary>
    Cosine,

    /// <summary>The base rate multiplied by a factor every fixed number of epochs.</summary>
    Step,
}
