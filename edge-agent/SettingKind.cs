namespace SsdEdge.EdgeAgent;

/// <summary>What the raw text of a setting must parse as.</summary>
public enum SettingKind
{
    /// <summary>Any text.</summary>
    Text,

    /// <summary>A whole number (<see cref="int"/>).</summary>
    WholeNumber,

    /// <summary>A whole number from 0 (<see cref="ulong"/>).</summary>
    NonNegativeWholeNumber,

    /// <summary>A number (<see cref="double"/>).</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    TrueOrFalse,
}
