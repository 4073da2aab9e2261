namespace SsdEdge.Trainer.Export;

/// <summary>Folds an inference-mode BatchNorm into the convolution that feeds it.</summary>
internal static class BatchNormFolding
{
    /// <summary>
    /// Rescales a convolution so that it computes conv followed by BatchNorm:
    /// with s = scale / sqrt(variance + epsilon) per output channel, the weight becomes w·s and
    /// the bias becomes (b − mean)·s + shift, where a convolution without bias has b = 0.
    /// </summary>
    /// <param name="weight">Convolution weight, output channel outermost.</param>
    /// <param name="bias">Convolution bias, or null for a convolution without one.</param>
    /// <param name="batchNorm">Parameters of the BatchNorm after the convolution.</param>
    /// <param name="epsilon">The BatchNorm's epsilon.</param>
    /// <returns>The folded weight (same layout) and bias, computed in double and rounded once.</returns>
    public static (float[] Weight, float[] Bias) Fold(
        float[] weight,
        float[]? bias,
        BatchNormStatistics batchNorm,
        double epsilon)
    {
        var channels = batchNorm.Scale.Length;
        var valuesPerChannel = weight.Length / channels;
        var foldedWeight = new float[weight.Length];
        var foldedBias = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var factor = batchNorm.Scale[c] / Math.Sqrt(batchNorm.Variance[c] + epsilon);
            for (var j = 0; j < valuesPerChannel; j++)
            {
                var index = (c * valuesPerChannel) + j;
                foldedWeight[index] = (float)(weight[index] * factor);
            }

            var convBias = bias is null ? 0.0 : bias[c];
            foldedBias[c] = (float)(((convBias - batchNorm.Mean[c]) * factor) + batchNorm.Shift[c]);
        }

        return (foldedWeight, foldedBias);
    }
}
