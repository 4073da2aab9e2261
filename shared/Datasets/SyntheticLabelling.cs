namespace SsdEdge.Datasets;

/// <summary>How <see cref="SyntheticStimulusTask"/> labels windows by stimulus intensity.</summary>
public enum SyntheticLabelling
{
    /// <summary>Intensity 0 or 1 is <c>no_pain</c> (label 0), 3 or 4 is <c>pain</c> (label 1);
    /// intensity 2 is left out so the two classes do not overlap.</summary>
    Binary,

    /// <summary>One class per intensity, <c>BL1</c> and <c>PA1</c> to <c>PA4</c> (labels 0 to 4).</summary>
    Graded,
}
