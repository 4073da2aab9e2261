using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>Several sources at once in one agent host.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class MultiSourceTests : IDisposable
{
    private const int SourceFailedEvent = 1004;
    private const int SourceEndedEvent = 1006;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task FailingSource_OthersContinue()
    {
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var recording = WriteEdaRecording("eda.csv", seconds: 12);
        var logs = new CollectingLoggerProvider();
        var windows = new WindowCollector();

        // At 10 x real time the replay outlasts the failing source even on a busy machine, so the
        // failure is logged as one source of several.
        var outcome = await RunAsync(
            ["--model", model, "--replay", $"csv:{recording}?rate=512", "--speed", "10"],
            logs,
            windows,
            services => services.AddSingleton<ISampleSource>(new FailingSource()));

        Assert.Equal(ExitCodes.RunFailed, outcome.ExitCode);
        Assert.Contains("Source broken test source failed: the device went away", outcome.ErrorMessage, StringComparison.Ordinal);

        // 12 s at 512 Hz, 5.5 s windows every 1 s: windows end at 5.5 s to 11.5 s.
        Assert.Equal(7, windows.Results.Count);
        var failed = Assert.Single(logs.Entries, entry => entry.EventId == SourceFailedEvent);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Contains("broken test source", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayEnds_LiveSimulatorGoesOn()
    {
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var recording = WriteEdaRecording("short.csv", seconds: 6);
        var logs = new CollectingLoggerProvider();
        var windows = new WindowCollector();

        // The simulator feeds directly (no broker) at 20 x real time for the 4 s of the run.
        var outcome = await RunAsync(
            [
                "--model", model, "--replay", $"csv:{recording}?rate=512", "--simulator-devices", "1",
                "--simulator-speed", "20", "--duration", "4",
            ],
            logs,
            windows,
            _ => { });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains(logs.Entries, entry => entry.EventId == SourceEndedEvent);
        Assert.Single(windows.Results, result => result.DeviceId != "sim-01");
        var simulated = windows.Results.Count(result => result.DeviceId == "sim-01");
        Assert.True(simulated > 10, $"{simulated} simulator windows");
        Assert.Equal(2, outcome.Summary.PerDevice.Count);
    }

    private static async Task<AgentRunOutcome> RunAsync(
        string[] args,
        CollectingLoggerProvider logs,
        WindowCollector windows,
        Action<IServiceCollection> addServices)
    {
        var builder = AgentProgram.CreateBuilder(TestState.Args(args), TextWriter.Null);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IWindowSink>(windows);
        addServices(builder.Services);
        using var host = builder.Build();
        var completion = host.Services.GetRequiredService<AgentCompletion>();
        await host.RunAsync(TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);
        return await completion.Outcome;
    }

    private string WriteEdaRecording(string name, int seconds)
    {
        var path = _directory.File(name);
        var lines = Enumerable.Range(0, seconds * 512).Select(t =>
        {
            var value = 5 + (0.5 * Math.Sin(2 * Math.PI * 0.1 * t / 512)) + (0.05 * Math.Sin(2 * Math.PI * 1.3 * t / 512));
            return value.ToString("R", CultureInfo.InvariantCulture);
        });
        File.WriteAllLines(path, lines.Prepend("eda"));
        return path;
    }

    /// <summary>A live source that fails at once, as a device that is unplugged might.</summary>
    private sealed class FailingSource : ISampleSource
    {
        public string Description => "broken test source";

        public async IAsyncEnumerable<SampleBlock> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new IOException("the device went away");
#pragma warning disable CS0162 // An iterator needs a yield to be one.
            yield break;
#pragma warning restore CS0162
        }
    }
}
