namespace SsdEdge.Trainer.Training;

/// <summary>Rule for choosing the best epoch on the validation set.</summary>
public enum BestEpochCriterion
{
    /// <summary>Highest validation accuracy; ties go to the lower validation loss.</summary>
    ValidationAccuracy,

    /// <summary>Lowest validation cross-entropy.</summary>
    ValidationLoss,

    /// <summary>Highest validation macro-F1; ties go to the lower validation loss.</summary>
    ValidationMacroF1,
}
