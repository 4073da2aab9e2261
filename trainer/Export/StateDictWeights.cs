using static TorchSharp.torch;

namespace SsdEdge.Trainer.Export;

/// <summary>
/// Reads float32 values out of a PyTorch-named state dict, checks each shape, and remembers which
/// keys were read so that weights the exporter did not place in the graph cannot pass unnoticed.
/// </summary>
internal sealed class StateDictWeights
{
    private readonly IReadOnlyDictionary<string, Tensor> _stateDict;
    private readonly HashSet<string> _readKeys = new(StringComparer.Ordinal);

    public StateDictWeights(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        _stateDict = stateDict;
    }

    /// <summary>Returns the values of <paramref name="key"/> in C order after checking its shape.</summary>
    /// <exception cref="OnnxExportException">The key is missing, not float32, or has another shape.</exception>
    public float[] Read(string key, params long[] expectedShape)
    {
        var tensor = Find(key, expectedShape);
        if (tensor.dtype != ScalarType.Float32)
        {
            throw new OnnxExportException(
                $"State dict entry '{key}' is {tensor.dtype}; the exporter expects float32.");
        }

        if (!tensor.shape.SequenceEqual(expectedShape))
        {
            throw new OnnxExportException(
                $"State dict entry '{key}' has shape ({FormatShape(tensor.shape)}); the configuration "
                + $"expects ({FormatShape(expectedShape)}).");
        }

        _readKeys.Add(key);
        using var scope = NewDisposeScope();
        var contiguous = tensor.detach().cpu().contiguous();
        return contiguous.data<float>().ToArray();
    }

    /// <summary>Returns the shape of <paramref name="key"/> without reading its values.</summary>
    /// <exception cref="OnnxExportException">The key is missing.</exception>
    public long[] ShapeOf(string key) => Find(key, []).shape;

    /// <summary>Reads the weight, bias, running mean and running variance of a BatchNorm module.</summary>
    public BatchNormStatistics ReadBatchNorm(string module, long channels) => new(
        Read($"{module}.weight", channels),
        Read($"{module}.bias", channels),
        Read($"{module}.running_mean", channels),
        Read($"{module}.running_var", channels));

    /// <summary>Marks keys as accounted for although the inference graph does not use them.</summary>
    public void Ignore(params string[] keys)
    {
        foreach (var key in keys)
        {
            _readKeys.Add(key);
        }
    }

    /// <summary>Throws when the state dict has entries that were neither read nor ignored.</summary>
    /// <remarks>BatchNorm <c>num_batches_tracked</c> counters only matter for training and are skipped.</remarks>
    /// <exception cref="OnnxExportException">Some entries were not used.</exception>
    public void CheckAllRead()
    {
        var unused = _stateDict.Keys
            .Where(key => !_readKeys.Contains(key) && !key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unused.Count > 0)
        {
            throw new OnnxExportException(
                $"The state dict has {unused.Count} entries the PainAttnNet graph does not use: "
                + $"{string.Join(", ", unused.Take(10))}{(unused.Count > 10 ? ", ..." : "")}. "
                + "It was saved from a different architecture.");
        }
    }

    private Tensor Find(string key, long[] expectedShape)
    {
        if (_stateDict.TryGetValue(key, out var tensor))
        {
            return tensor;
        }

        var expected = expectedShape.Length > 0 ? $" (expected shape ({FormatShape(expectedShape)}))" : "";
        throw new OnnxExportException(
            $"The state dict has no entry '{key}'{expected}; it holds {_stateDict.Count} entries. "
            + "Export a state dict with the PainAttnNet module names.");
    }

    private static string FormatShape(long[] shape) => string.Join(", ", shape);
}
