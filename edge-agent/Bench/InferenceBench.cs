using SsdEdge.EdgeAgent.Inference;
using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Measures inference latency at batch 1, alone and interleaved with another graph.</summary>
public static class InferenceBench
{
    // Distinct windows cycled through; enough that no single window's timing dominates.
    private const int DistinctWindows = 32;

    /// <summary>
    /// Returns up to <see cref="DistinctWindows"/> model inputs cut from <paramref name="feed"/> at
    /// consecutive hops and preprocessed as the agent does; windows the quality gate rejects are
    /// left out.
    /// </summary>
    /// <exception cref="InvalidOperationException">The quality gate rejected every window.</exception>
    public static float[][] ModelInputs(OnnxModel model, SyntheticFeed feed, int hopSamples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(feed);
        var preprocessor = new WindowPreprocessor(model.Contract, feed.RateHz);
        var inputs = new List<float[]>();
        for (var k = 0; k < DistinctWindows * 2 && inputs.Count < DistinctWindows; k++)
        {
            var end = preprocessor.RawWindowSamples + ((long)k * hopSamples);
            var raw = feed.ReadChannelMajor(end, preprocessor.RawWindowSamples);
            var input = preprocessor.Process(raw, out var quality);
            if (quality.Accepted)
            {
                inputs.Add(input);
            }
        }

        if (inputs.Count == 0)
        {
            throw new InvalidOperationException(
                $"The quality gate of model '{model.Contract.ModelId}' rejected every synthetic window; "
                + "run the benchmark with a model whose contract accepts synthetic physiology.");
        }

        return [.. inputs];
    }

    /// <summary>Runs <paramref name="warmup"/> windows, then times <paramref name="windows"/> more.</summary>
    public static InferenceSection Measure(InferenceEngine engine, float[][] inputs, int warmup, int windows)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(inputs);
        var probabilities = new float[engine.ClassCount];
        for (var i = 0; i < warmup; i++)
        {
            engine.Run(inputs[i % inputs.Length], probabilities);
        }

        var times = new double[windows];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < windows; i++)
        {
            times[i] = engine.Run(inputs[i % inputs.Length], probabilities);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new InferenceSection(LatencySummary.From(times), (double)allocated / windows);
    }

    /// <summary>
    /// Runs the engine and <paramref name="other"/> on the same windows, one after the other in
    /// each round with the order swapped every round, so drift in machine load and any cache
    /// advantage of going second fall on both alike.
    /// </summary>
    public static ComparisonSection Compare(
        InferenceEngine engine,
        GraphRunner other,
        string comparePath,
        float[][] inputs,
        int warmup,
        int rounds)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(inputs);
        var probabilities = new float[engine.ClassCount];
        for (var i = 0; i < warmup; i++)
        {
            engine.Run(inputs[i % inputs.Length], probabilities);
            other.Run(inputs[i % inputs.Length]);
        }

        var ours = new double[rounds];
        var theirs = new double[rounds];
        for (var i = 0; i < rounds; i++)
        {
            var input = inputs[i % inputs.Length];
            if (i % 2 == 0)
            {
                ours[i] = engine.Run(input, probabilities);
                theirs[i] = other.Run(input);
            }
            else
            {
                theirs[i] = other.Run(input);
                ours[i] = engine.Run(input, probabilities);
            }
        }

        var oursSummary = LatencySummary.From(ours);
        var theirsSummary = LatencySummary.From(theirs);
        return new ComparisonSection(
            Available: true,
            Reason: null,
            comparePath,
            oursSummary,
            theirsSummary,
            oursSummary.P50Ms / theirsSummary.P50Ms);
    }
}
