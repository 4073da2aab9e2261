namespace SsdEdge.Datasets;

/// <summary>Layout of a generic delimited text recording.</summary>
/// <remarks>
/// Lines that start with <see cref="CommentPrefix"/> are ignored. The sampling rate is
/// <see cref="SamplingRateHz"/> when given; otherwise it is derived from <see cref="TimeColumn"/>
/// as the reciprocal of the mean step between rows, over the steps within half a period of the
/// median step (so gaps do not bias it), snapped to the nearest integer when within 0.5 % of it.
/// With a time column the times also place the samples, and gaps become NaN samples.
/// </remarks>
public sealed record DelimitedTextOptions
{
    /// <summary>Field delimiter; null detects comma, semicolon or tab from the first line.
    /// Use a space for runs of whitespace.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Whether the first line is a header; null treats it as one when a field of it is
    /// not a number.</summary>
    public bool? HasHeader { get; init; }

    /// <summary>Header name or 1-based position of a time column, or null when there is none.
    /// The time column is not a channel.</summary>
    public string? TimeColumn { get; init; }

    /// <summary>Seconds per unit of <see cref="TimeColumn"/>: 1 for seconds, 1e-3 for ms, 1e-6 for µs.</summary>
    public double TimeUnitSeconds { get; init; } = 1.0;

    /// <summary>Sampling rate in Hz; null derives it from <see cref="TimeColumn"/>.</summary>
    public double? SamplingRateHz { get; init; }

    /// <summary>Columns to keep as channels, in channel order; null keeps every column except the
    /// time column, named by its lower-cased header and with the modality guessed from the name.</summary>
    public IReadOnlyList<ColumnMapping>? Columns { get; init; }

    /// <summary>
    /// Channel names given to header columns, such as <c>eda</c> for the column <c>EDA_uS</c>: each
    /// key is a channel name and each value a header name or 1-based position. Used only when
    /// <see cref="Columns"/> is null; columns not in the map keep their lower-cased header as name.
    /// The modality is guessed from the channel name, or from the header when the name gives none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ChannelColumns { get; init; }

    /// <summary>Header name or 1-based position of a per-sample class label column, read as text
    /// and never as a channel or marker; null when there is none.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Marker columns whose threshold crossings become events; null treats columns whose
    /// header contains <c>photosensor</c>, <c>marker</c>, <c>trigger</c> or <c>stim</c> as falling
    /// markers at their mid-range.</summary>
    public IReadOnlyList<MarkerColumn>? Markers { get; init; }

    /// <summary>Subject id of the recording; null uses the file name.</summary>
    public string? SubjectId { get; init; }

    /// <summary>Prefix of comment lines.</summary>
    public string CommentPrefix { get; init; } = "#";
}
