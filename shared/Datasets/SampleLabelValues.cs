namespace SsdEdge.Datasets;

/// <summary>
/// Distinct texts of a per-sample label column, each with an integer code, shared by every file
/// of one read so that a code means the same text in all of them.
/// </summary>
internal sealed class SampleLabelValues
{
    /// <summary>Code of a sample without a label: a blank cell, a malformed row or a gap.</summary>
    public const int Unlabelled = -1;

    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];

    /// <summary>Texts in code order.</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>
    /// Returns the code of a label cell: its text without surrounding whitespace and one pair of
    /// double quotes, or <see cref="Unlabelled"/> when that is empty.
    /// </summary>
    public int CodeOf(string field)
    {
        var text = field.Trim();
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1].Trim();
        }

        if (text.Length == 0)
        {
            return Unlabelled;
        }

        if (!_codes.TryGetValue(text, out var code))
        {
            code = _values.Count;
            _codes[text] = code;
            _values.Add(text);
        }

        return code;
    }
}
