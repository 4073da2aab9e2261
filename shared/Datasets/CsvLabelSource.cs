namespace SsdEdge.Datasets;

/// <summary>Where the class labels of a <c>csv:</c> source come from (its <c>labels=</c> parameter).</summary>
public enum CsvLabelSource
{
    /// <summary>No <c>labels=</c> parameter: onsets when a file has a marker column, otherwise no labels.</summary>
    Automatic,

    /// <summary><c>labels=onsets</c>: response after each marker onset versus rest before it.</summary>
    Onsets,

    /// <summary><c>labels=column:NAME</c>: a class label per sample, in a text column.</summary>
    Column,

    /// <summary><c>labels=file:REGEX</c>: one class per file, from a capture group of its name.</summary>
    FileName,
}
