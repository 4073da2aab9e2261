namespace SsdEdge.Datasets;

/// <summary>
/// Maps one raw window (channel-major, in model channel order) to model input and returns whether
/// the window passed its quality gate. <c>WindowPreprocessor.Process</c> fits this shape.
/// </summary>
/// <param name="rawWindow">Raw samples, channel <c>c</c> at <c>[c * rawSamples ..]</c>.</param>
/// <param name="modelInput">Destination for the model input, channel-major.</param>
/// <returns>True when the window is accepted and <paramref name="modelInput"/> is written.</returns>
public delegate bool WindowProcessor(ReadOnlySpan<float> rawWindow, Span<float> modelInput);
