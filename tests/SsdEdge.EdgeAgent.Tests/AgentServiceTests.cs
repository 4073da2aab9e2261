using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>Runs the service in a host built by <see cref="AgentProgram.CreateBuilder"/>, with a
/// logger provider that keeps every entry.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class AgentServiceTests : IDisposable
{
    /// <summary>Log event ids asserted on, as <c>Log</c> declares them.</summary>
    private const int PipelineCreatedEvent = 1300;
    private const int DeviceShorterThanWindowEvent = 1302;
    private const int DeviceStoppedBeforeWindowEvent = 1306;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ExecuteAsync_StopBeforeFirstWindow_LogsInformationNotWarning()
    {
        var recording = TestData.PathOf("recordings/neurokit_bio_eventrelated_100hz.csv");
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var logs = new CollectingLoggerProvider();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // In real time the first 5.5 s window is complete 5.5 s after the first block, so a stop
        // requested when the first block arrives lands before it.
        var run = RunHostAsync(
            ["--model", model, "--replay", $"csv:{recording}?rate=100", "--speed", "1"], logs, stop.Token);
        await logs.WhenLogged(PipelineCreatedEvent).WaitAsync(RunTimeout, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await run.WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        var stopped = Assert.Single(logs.Entries, entry => entry.EventId == DeviceStoppedBeforeWindowEvent);
        Assert.Equal(LogLevel.Information, stopped.Level);
        Assert.Contains("stopped before the first full window", stopped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, entry => entry.EventId == DeviceShorterThanWindowEvent);
    }

    [Fact]
    public async Task ExecuteAsync_RecordingShorterThanWindow_LogsWarning()
    {
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var recording = _directory.File("short.csv");
        File.WriteAllText(recording, "eda\n" + string.Concat(Enumerable.Repeat("1.5\n", 100)));
        var logs = new CollectingLoggerProvider();

        await RunHostAsync(
                ["--model", model, "--replay", $"csv:{recording}?rate=100"],
                logs,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        var shorter = Assert.Single(logs.Entries, entry => entry.EventId == DeviceShorterThanWindowEvent);
        Assert.Equal(LogLevel.Warning, shorter.Level);
    }

    [Fact]
    public async Task ExecuteAsync_ReplayFails_LogsNoError()
    {
        var contract = TestModels.EdaContract() with
        {
            Channels = [new Contracts.ContractChannel("gsr", Signals.ChannelKind.Eda, "uS", 512)],
        };
        var model = TestModels.WriteWithContract(_directory.Path, contract);
        var recording = _directory.File("eda.csv");
        File.WriteAllText(recording, "eda\n1\n");
        var logs = new CollectingLoggerProvider();

        await RunHostAsync(
                ["--model", model, "--replay", "csv:" + recording], logs, TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        // The program prints the reason on standard error itself, so a log entry would repeat it.
        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= LogLevel.Error);
    }

    private static async Task RunHostAsync(
        string[] args,
        CollectingLoggerProvider logs,
        CancellationToken cancellationToken)
    {
        var builder = AgentProgram.CreateBuilder(TestState.Args(args), TextWriter.Null);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        using var host = builder.Build();
        var completion = host.Services.GetRequiredService<AgentCompletion>();
        await host.RunAsync(cancellationToken);
        Assert.True(completion.Outcome.IsCompleted, "the run ended without an outcome");
    }
}
