namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>How the line protocol splits a line into fields.</summary>
/// <param name="IsAuto">Whether the delimiter is detected on each line: tab if the line has one,
/// else semicolon, else comma, else runs of whitespace.</param>
/// <param name="Separator">The delimiter byte, or null for runs of spaces and tabs. Ignored when
/// <paramref name="IsAuto"/> is set.</param>
public readonly record struct LineDelimiter(bool IsAuto, byte? Separator)
{
    /// <summary>Setting values accepted by <see cref="TryParse"/>, phrased to follow "use".</summary>
    public const string Allowed =
        "auto, comma, semicolon, tab, whitespace, or one of the characters , ; | : (or a tab or space)";

    /// <summary>Detects the delimiter on each line.</summary>
    public static LineDelimiter Auto { get; } = new(true, null);

    /// <summary>Parses a <see cref="SerialDeviceOptions.Delimiter"/> setting, ignoring case.</summary>
    public static bool TryParse(string? text, out LineDelimiter delimiter)
    {
        delimiter = Auto;
        if (text is null)
        {
            return false;
        }

        // A lone space or tab is a delimiter itself, so it is matched before trimming.
        switch (text)
        {
            case " ":
                delimiter = new LineDelimiter(false, null);
                return true;
            case "\t":
                delimiter = new LineDelimiter(false, (byte)'\t');
                return true;
        }

        switch (text.Trim().ToUpperInvariant())
        {
            case "AUTO":
                return true;
            case "COMMA" or ",":
                delimiter = new LineDelimiter(false, (byte)',');
                return true;
            case "SEMICOLON" or ";":
                delimiter = new LineDelimiter(false, (byte)';');
                return true;
            case "TAB" or "\\T":
                delimiter = new LineDelimiter(false, (byte)'\t');
                return true;
            case "WHITESPACE" or "SPACE":
                delimiter = new LineDelimiter(false, null);
                return true;
            case "|":
                delimiter = new LineDelimiter(false, (byte)'|');
                return true;
            case ":":
                delimiter = new LineDelimiter(false, (byte)':');
                return true;
            default:
                return false;
        }
    }

    /// <summary>Returns the delimiter of one line: this one, or the detected one when
    /// <see cref="IsAuto"/> is set.</summary>
    public byte? For(ReadOnlySpan<byte> line)
    {
        if (!IsAuto)
        {
            return Separator;
        }

        if (line.Contains((byte)'\t'))
        {
            return (byte)'\t';
        }

        if (line.Contains((byte)';'))
        {
            return (byte)';';
        }

        return line.Contains((byte)',') ? (byte)',' : null;
    }
}
