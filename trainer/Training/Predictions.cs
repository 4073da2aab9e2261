namespace SsdEdge.Trainer.Training;

/// <summary>Model outputs for a set of windows, as row-major float arrays.</summary>
/// <param name="Count">Number of windows.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Logits">(Count, Classes) logits.</param>
/// <param name="Probabilities">(Count, Classes) softmax of the logits.</param>
/// <param name="Features">
/// (Count, FeatureLength) representations, as <see cref="Model.PainAttnNet.ExtractFeatures"/> returns
/// them, flattened: the encoder output after its final LayerNorm with early fusion, the fusion
/// head's output with late fusion; null unless requested.
/// </param>
/// <param name="FeatureLength">Values per window in <paramref name="Features"/>.</param>
public sealed record Predictions(
    int Count,
    int Classes,
    float[] Logits,
    float[] Probabilities,
    float[]? Features,
    int FeatureLength)
{
    /// <summary>Returns the class with the highest logit for each window (the lowest index on ties).</summary>
    public int[] PredictedLabels()
    {
        var labels = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            var row = Logits.AsSpan(i * Classes, Classes);
            var best = 0;
            for (var c = 1; c < Classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            labels[i] = best;
        }

        return labels;
    }

    /// <summary>
    /// Computes the mean cross-entropy of the logits against <paramref name="labels"/> in double
    /// precision.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The label count differs from <see cref="Count"/> or a label is out of range.
    /// </exception>
    public double CrossEntropy(IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {Count} predictions.", nameof(labels));
        }

        var total = 0.0;
        for (var i = 0; i < Count; i++)
        {
            var label = labels[i];
            if (label < 0 || label >= Classes)
            {
                throw new ArgumentException(
                    $"Label {label} of window {i} is outside the {Classes} classes.",
                    nameof(labels));
            }

            var row = Logits.AsSpan(i * Classes, Classes);
            var max = double.NegativeInfinity;
            foreach (var logit in row)
            {
                max = Math.Max(max, logit);
            }

            var sum = 0.0;
            foreach (var logit in row)
            {
                sum += Math.Exp(logit - max);
            }

            total += max + Math.Log(sum) - row[label];
        }

        return Count == 0 ? 0 : total / Count;
    }
}
