namespace SsdEdge.Datasets;

/// <summary>Growable channel-major storage for rows of samples as a reader parses them.</summary>
internal sealed class SampleColumns
{
    private readonly List<float>[] _columns;

    public SampleColumns(int channelCount)
    {
        _columns = new List<float>[channelCount];
        for (var c = 0; c < channelCount; c++)
        {
            _columns[c] = [];
        }
    }

    /// <summary>Rows added so far.</summary>
    public int Count => _columns[0].Count;

    /// <summary>Appends one row holding one sample per channel.</summary>
    public void Add(ReadOnlySpan<float> row)
    {
        for (var c = 0; c < _columns.Length; c++)
        {
            _columns[c].Add(row[c]);
        }
    }

    /// <summary>Returns the samples as one array per channel.</summary>
    public float[][] ToArrays()
    {
        var arrays = new float[_columns.Length][];
        for (var c = 0; c < _columns.Length; c++)
        {
            arrays[c] = [.. _columns[c]];
        }

        return arrays;
    }
}
