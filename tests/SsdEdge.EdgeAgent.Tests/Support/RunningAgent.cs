using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>An agent host running in the background, with its log entries and window outcomes kept.</summary>
public sealed class RunningAgent : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly CancellationTokenSource _stop;
    private readonly Task _run;

    private RunningAgent(IHost host, CancellationTokenSource stop, Task run, CollectingLoggerProvider logs, WindowCollector windows)
    {
        _host = host;
        _stop = stop;
        _run = run;
        Logs = logs;
        Windows = windows;
    }

    public CollectingLoggerProvider Logs { get; }

    public WindowCollector Windows { get; }

    /// <summary>The agent's counters; they stay readable after the host has stopped.</summary>
    public IngestCounters Counters { get; private init; } = null!;

    public AgentCompletion Completion { get; private init; } = null!;

    public static RunningAgent Start(string[] args, CancellationToken cancellationToken)
    {
        var logs = new CollectingLoggerProvider();
        var windows = new WindowCollector();
        var builder = AgentProgram.CreateBuilder(TestState.Args(args), TextWriter.Null);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IWindowSink>(windows);
        var host = builder.Build();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var counters = host.Services.GetRequiredService<IngestCounters>();
        var completion = host.Services.GetRequiredService<AgentCompletion>();

        // RunAsync disposes the host's services when it ends, so they are resolved before.
        var run = host.RunAsync(stop.Token);
        return new RunningAgent(host, stop, run, logs, windows) { Counters = counters, Completion = completion };
    }

    /// <summary>Stops the agent as Ctrl-C does and returns its outcome.</summary>
    public async Task<AgentRunOutcome> StopAsync(TimeSpan timeout)
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(timeout);
        return await Completion.Outcome.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // The test has failed already or stopped the agent itself.
        }

        _host.Dispose();
        _stop.Dispose();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}

/// <summary>Keeps every window outcome; thread-safe, because tests read while the agent writes.</summary>
public sealed class WindowCollector : IWindowSink
{
    private readonly Lock _gate = new();
    private readonly List<WindowResult> _results = [];

    public IReadOnlyList<WindowResult> Results
    {
        get
        {
            lock (_gate)
            {
                return _results.ToList();
            }
        }
    }

    public IReadOnlyList<WindowResult> Of(string deviceId) =>
        Results.Where(result => result.DeviceId == deviceId).ToList();

    public void Write(WindowResult result)
    {
        lock (_gate)
        {
            _results.Add(result);
        }
    }

    public void Complete(RunSummary summary)
    {
    }
}
