namespace SsdEdge.Datasets;

/// <summary>
/// Opens a recording source given as <c>FORMAT:PATH</c> (or a bare path whose format is recognised
/// from its name and first lines) and returns its recordings.
/// </summary>
public static class RecordingFiles
{
    /// <summary>Reads every recording of <paramref name="source"/>.</summary>
    /// <param name="source">Such as <c>fmov:DIR</c>, <c>fmov:FILE.tsv.gz</c>, <c>ucr:DIR/NAME</c>,
    /// <c>biovid:DIR</c>, <c>csv:FILE</c>, <c>opensignals:FILE</c>, <c>biosppy:FILE</c>, <c>synthetic:SEED</c>.</param>
    /// <param name="options">Strictness for malformed rows.</param>
    /// <exception cref="DataFormatException">A file cannot be read, or a row is malformed in strict mode.</exception>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    public static ReadResult Read(string source, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        throw new NotImplementedException();
    }
}
