using System.Diagnostics;
using SsdEdge.Contracts;
using SsdEdge.Preprocessing;
using SsdEdge.Streaming;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Measures windowing and preprocessing per hop for one device.</summary>
public static class PreprocessingBench
{
    /// <summary>
    /// Fills a <see cref="StreamingWindower"/> with one window of <paramref name="feed"/>, appends
    /// <paramref name="warmup"/> hops, then times <paramref name="windows"/> appends of one hop each,
    /// every one of which completes a window.
    /// </summary>
    public static PreprocessingSection Measure(
        SignalContract contract,
        SyntheticFeed feed,
        double hopSeconds,
        int warmup,
        int windows)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(feed);
        var preprocessor = new WindowPreprocessor(contract, feed.RateHz);
        var hopSamples = HopSamples(hopSeconds, feed.RateHz);
        var windower = new StreamingWindower(preprocessor, hopSamples);
        var completed = 0;
        WindowHandler onWindow = (in WindowReady _) => completed++;

        // The first append completes the first window; every later hop completes one more.
        var position = 0L;
        var first = feed.Read(position, preprocessor.RawWindowSamples);
        windower.Append(first, onWindow);
        position += preprocessor.RawWindowSamples;

        var hop = new float[hopSamples * feed.ChannelNames.Count];
        for (var i = 0; i < warmup; i++)
        {
            feed.CopyTo(position, hop);
            windower.Append(hop, onWindow);
            position += hopSamples;
        }

        var times = new double[windows];
        long allocated = 0;
        for (var i = 0; i < windows; i++)
        {
            feed.CopyTo(position, hop);
            position += hopSamples;
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            windower.Append(hop, onWindow);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        }

        var expected = 1 + warmup + windows;
        if (completed != expected)
        {
            throw new InvalidOperationException(
                $"The windower completed {completed} windows; {expected} were expected, one per hop.");
        }

        return new PreprocessingSection(
            LatencySummary.From(times),
            (double)allocated / windows,
            preprocessor.RawWindowSamples,
            hopSamples);
    }

    /// <summary>Returns the hop in samples as the device pipeline rounds it.</summary>
    public static int HopSamples(double hopSeconds, double rateHz) =>
        Math.Max(1, (int)Math.Round(hopSeconds * rateHz));
}
