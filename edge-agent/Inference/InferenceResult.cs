namespace SsdEdge.EdgeAgent.Inference;

/// <summary>Class probabilities of one window and the time inference took.</summary>
/// <param name="Probabilities">One probability per contract class label, in label order. They may
/// be non-finite when the model itself produced NaN or infinity; callers check before use.</param>
/// <param name="LatencyMs">Wall-clock time from copying the input to reading the output, in ms.</param>
public sealed record InferenceResult(float[] Probabilities, double LatencyMs)
{
    /// <summary>Whether every probability is a finite number.</summary>
    public bool IsFinite => Array.TrueForAll(Probabilities, float.IsFinite);
}
