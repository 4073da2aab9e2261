namespace SsdEdge.Signals;

/// <summary>A labelled instant in a recording, such as a stimulus onset.</summary>
/// <param name="SampleIndex">Index of the sample at which the event occurs.</param>
/// <param name="Label">Event class, such as <c>angry</c> or <c>PA4</c>.</param>
/// <param name="Intensity">Optional graded intensity (0 for none, larger for stronger stimuli).</param>
public readonly record struct RecordingEvent(long SampleIndex, string Label, double Intensity = 0);
