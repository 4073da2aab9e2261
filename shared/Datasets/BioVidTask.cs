using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// BioVid Part A classification: one window per sample file, from its first sample, labelled by
/// the file's class under a <see cref="BioVidClassScheme"/>.
/// </summary>
/// <remarks>
/// A file shorter than <see cref="WindowSamples"/> is skipped and counted as out of range; samples
/// of a longer file past the window are not used.
/// </remarks>
public sealed class BioVidTask : IWindowTask
{
    /// <summary>Samples in one BioVid window: 5.5 s at 512 Hz.</summary>
    public const int DefaultWindowSamples = 2816;

    /// <summary>Creates the task.</summary>
    public BioVidTask(
        BioVidClassScheme scheme = BioVidClassScheme.BaselineVsPa4,
        int windowSamples = DefaultWindowSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSamples);
        Scheme = scheme;
        WindowSamples = windowSamples;
        ClassLabels = scheme switch
        {
            BioVidClassScheme.BaselineVsPa4 => ["BL1", "PA4"],
            BioVidClassScheme.BaselineVsAnyPain => ["no_pain", "pain"],
            BioVidClassScheme.FiveClass => BioVidReader.ClassLabels,
            _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown BioVid class scheme."),
        };
    }

    /// <inheritdoc />
    public string Name => Scheme switch
    {
        BioVidClassScheme.BaselineVsPa4 => "biovid-bl1-vs-pa4",
        BioVidClassScheme.BaselineVsAnyPain => "biovid-bl1-vs-pa1-4",
        _ => "biovid-five-class",
    };

    /// <summary>Classes used and their grouping.</summary>
    public BioVidClassScheme Scheme { get; }

    /// <summary>Samples per window.</summary>
    public int WindowSamples { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>Returns the label of a BioVid class under this scheme, or -1 when it is not used.</summary>
    public int LabelOf(string? bioVidClass)
    {
        var level = bioVidClass is null ? -1 : IndexOf(BioVidReader.ClassLabels, bioVidClass);
        return (Scheme, level) switch
        {
            (_, < 0) => -1,
            (BioVidClassScheme.BaselineVsPa4, 0) => 0,
            (BioVidClassScheme.BaselineVsPa4, 4) => 1,
            (BioVidClassScheme.BaselineVsPa4, _) => -1,
            (BioVidClassScheme.BaselineVsAnyPain, 0) => 0,
            (BioVidClassScheme.BaselineVsAnyPain, _) => 1,
            _ => level,
        };
    }

    /// <inheritdoc />
    public LabelledWindowSet CreateWindows(IReadOnlyList<Recording> recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var windows = new List<LabelledWindow>();
        var outOfRange = 0;
        var excluded = 0;
        foreach (var recording in recordings)
        {
            var label = LabelOf(recording.Label);
            if (label < 0)
            {
                excluded++;
            }
            else if (!WindowCut.Fits(recording, 0, WindowSamples))
            {
                outOfRange++;
            }
            else
            {
                windows.Add(new LabelledWindow(recording, 0, WindowSamples, label));
            }
        }

        return new LabelledWindowSet(windows, ClassLabels, outOfRange, excluded);
    }

    private static int IndexOf(IReadOnlyList<string> labels, string value)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
