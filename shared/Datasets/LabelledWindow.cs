using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>A raw window of a recording with its class.</summary>
/// <param name="Recording">Recording the window is cut from.</param>
/// <param name="StartSample">First sample of the window, at the recording's rate.</param>
/// <param name="RawSamples">Samples per channel in the window, at the recording's rate.</param>
/// <param name="Label">Class index into the task's class labels.</param>
public readonly record struct LabelledWindow(Recording Recording, long StartSample, int RawSamples, int Label);
