using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// A labelling task: turns recordings into labelled raw windows. Tasks cut raw windows only;
/// preprocessing happens later, in <see cref="WindowDatasetBuilder"/>.
/// </summary>
public interface IWindowTask
{
    /// <summary>Short task name for reports, such as <c>fmov-response-vs-rest</c>.</summary>
    string Name { get; }

    /// <summary>Cuts and labels the windows of <paramref name="recordings"/>.</summary>
    LabelledWindowSet CreateWindows(IReadOnlyList<Recording> recordings);
}
