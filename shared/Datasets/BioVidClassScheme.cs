namespace SsdEdge.Datasets;

/// <summary>Which BioVid Part A classes a task uses, and how it groups them.</summary>
public enum BioVidClassScheme
{
    /// <summary>BL1 (label 0) against PA4 (label 1); PA1 to PA3 are left out.</summary>
    BaselineVsPa4,

    /// <summary>BL1 as <c>no_pain</c> (label 0) against PA1 to PA4 together as <c>pain</c> (label 1).</summary>
    BaselineVsAnyPain,

    /// <summary>Five classes BL1, PA1, PA2, PA3, PA4 (labels 0 to 4).</summary>
    FiveClass,
}
