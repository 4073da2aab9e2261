using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// Measures process CPU time over wall time while one device delivers one hop of samples per hop,
/// so the pipeline scores one window per hop and idles in between, as a deployed agent does.
/// </summary>
public static class DutyCycleBench
{
    /// <summary>Runs for <paramref name="seconds"/> with a model session opened with
    /// <paramref name="allowSpinning"/>.</summary>
    /// <exception cref="ModelLoadException">The model cannot be opened again.</exception>
    public static async Task<DutyCycleRun> MeasureAsync(
        string modelPath,
        int threads,
        bool allowSpinning,
        SyntheticFeed feed,
        double hopSeconds,
        double seconds,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        using var model = OnnxModel.Load(modelPath, threads, allowSpinning);
        using var engine = model.CreateEngine();
        var sink = new WindowLatencySink();
        var device = BenchDevices.Describe(0, feed);
        var pipeline = BenchDevices.CreatePipeline(
            device, model, engine, hopSeconds, sink, new RunStatistics(), logger);

        // Fill the window, then run a few hops unmeasured so that the session is warm.
        var position = 0L;
        BenchDevices.Feed(pipeline, feed, position, pipeline.RawWindowSamples);
        position += pipeline.RawWindowSamples;
        for (var i = 0; i < 3; i++)
        {
            BenchDevices.Feed(pipeline, feed, position, pipeline.HopSamples);
            position += pipeline.HopSamples;
        }

        var windowsBefore = sink.WindowsScored + sink.WindowsOther;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var wallStart = Stopwatch.GetTimestamp();
        var hop = TimeSpan.FromSeconds(hopSeconds);
        var hops = Math.Max(1, (int)Math.Round(seconds / hopSeconds));

        // Each hop's samples arrive at its due time, measured from the start, so delays do not add up.
        for (var k = 1; k <= hops; k++)
        {
            var wait = (hop * k) - Stopwatch.GetElapsedTime(wallStart);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            BenchDevices.Feed(pipeline, feed, position, pipeline.HopSamples);
            position += pipeline.HopSamples;
        }

        var wall = Stopwatch.GetElapsedTime(wallStart).TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        var windows = (int)(sink.WindowsScored + sink.WindowsOther - windowsBefore);
        var percentOfOneCore = 100 * cpu / wall;
        return new DutyCycleRun(
            allowSpinning,
            windows,
            wall,
            cpu,
            percentOfOneCore,
            percentOfOneCore / Environment.ProcessorCount);
    }
}
