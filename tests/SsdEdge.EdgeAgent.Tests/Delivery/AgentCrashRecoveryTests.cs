using System.Diagnostics;
using System.Text.Json;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Delivery;

/// <summary>The real <c>ssdedge-agent</c> process killed with SIGKILL while its broker is down, then
/// restarted on the same outbox.</summary>
public sealed class AgentCrashRecoveryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AgentKilled_PendingAlertsArriveAfterRestart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        MosquittoBroker.RequireInstalled();
        var outbox = _directory.File("outbox");
        var port = PeerProgram.FreePort();

        // First run: no broker listens yet, so every alert waits in the outbox until the kill.
        using (var first = StartAgent(port, outbox, "synthetic:101?subjects=1&duration=120", speed: 20))
        {
            var clock = Stopwatch.StartNew();
            while (PendingAlertIds(outbox).Count < 4)
            {
                Assert.False(first.HasExited, $"the agent exited early: {await first.StandardError.ReadToEndAsync(cancellationToken)}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no alerts reached the outbox within 60 s");
                await Task.Delay(100, cancellationToken);
            }

            first.Kill();
            await first.WaitForExitAsync(cancellationToken);
        }

        var pending = PendingAlertIds(outbox);
        using var broker = await MosquittoBroker.StartAsync(Directory.CreateDirectory(_directory.File("broker")).FullName, port, persistence: true, cancellationToken: TestContext.Current.CancellationToken);
        await using var subscriber = new TestSubscriber(port, "ssdedge/#");
        await subscriber.StartAsync();

        // Second run on the same outbox with a short recording: it sends the pending alerts first.
        using (var second = StartAgent(port, outbox, "synthetic:7?subjects=1&duration=10", speed: 0))
        {
            var errors = second.StandardError.ReadToEndAsync(cancellationToken);
            await second.WaitForExitAsync(cancellationToken);
            Assert.True(second.ExitCode == 0, $"exit {second.ExitCode}: {await errors}");
            Assert.Contains("from a previous run", await errors, StringComparison.Ordinal);
        }

        await PublisherConnectionTests.WaitForAsync(
            () => pending.All(subscriber.AlertIds.ContainsKey), cancellationToken);
        Assert.True(pending.Count >= 4, $"{pending.Count} alerts pending");
        Assert.All(pending, id => Assert.True(subscriber.AlertIds.ContainsKey(id), $"alert {id} lost"));
        Assert.Empty(PendingAlertIds(outbox));
    }

    [Fact]
    public async Task SecondAgentOnHeldOutbox_StopsWithExitTwo()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var outbox = _directory.File("outbox");
        var port = PeerProgram.FreePort();

        using var first = StartAgent(port, outbox, "synthetic:101?subjects=1&duration=600", speed: 1);
        var firstErrors = first.StandardError.ReadToEndAsync(cancellationToken);
        var owner = Path.Combine(outbox, Outbox.OwnerFileName);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(owner) || File.ReadAllText(owner).Trim() != first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            if (first.HasExited)
            {
                Assert.Fail($"the first agent exited early: {await firstErrors}");
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the first agent did not open its outbox within 60 s");
            await Task.Delay(100, cancellationToken);
        }

        using (var second = StartAgent(port, outbox, "synthetic:7?subjects=1&duration=10", speed: 0))
        {
            var errors = second.StandardError.ReadToEndAsync(cancellationToken);
            await second.WaitForExitAsync(cancellationToken);
            var text = await errors;
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, second.ExitCode);
            Assert.Single(lines);
            Assert.Contains(outbox, text, StringComparison.Ordinal);
            Assert.Contains($"process {first.Id}", text, StringComparison.Ordinal);
            Assert.Contains("Publish:AgentId", text, StringComparison.Ordinal);
        }

        Assert.False(first.HasExited);

        // SIGKILL: the operating system drops the lock, so the next agent opens the folder.
        first.Kill();
        await first.WaitForExitAsync(cancellationToken);
        _ = await firstErrors;
        using var third = StartAgent(port, outbox, "synthetic:7?subjects=1&duration=10", speed: 0);
        var thirdErrors = third.StandardError.ReadToEndAsync(cancellationToken);
        await third.WaitForExitAsync(cancellationToken);
        Assert.True(third.ExitCode == 0, $"exit {third.ExitCode}: {await thirdErrors}");
    }

    private static List<string> PendingAlertIds(string outbox)
    {
        if (!Directory.Exists(outbox))
        {
            return [];
        }

        var ids = new List<string>();
        foreach (var path in Directory.EnumerateFiles(outbox, "*.msg").Order(StringComparer.Ordinal))
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (IOException)
            {
                continue;
            }

            if (Outbox.Deserialize(bytes) is { Kind: OutboxKind.Alert } message)
            {
                using var json = JsonDocument.Parse(message.Payload);
                ids.Add(json.RootElement.GetProperty("id").GetString()!);
            }
        }

        return ids;
    }

    private static Process StartAgent(int port, string outbox, string replay, double speed)
    {
        var agent = Path.Combine(AppContext.BaseDirectory, "ssdedge-agent.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        string[] arguments =
        [
            agent,
            "--replay", replay,
            "--speed", speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Publish:Host=127.0.0.1",
            $"--Publish:Port={port}",
            $"--Publish:OutboxDirectory={outbox}",
            "--Publish:AgentId=crash-test",
            "--Publish:PublishTimeoutSeconds=1",
            "--Publish:MaxReconnectDelaySeconds=1",
            "--Publish:DrainSeconds=10",
            "--Metrics:Port=0",
            "--Alerts:Threshold=0.03",
            "--Alerts:ClearThreshold=0.01",
            "--Alerts:RaiseCount=1",
            "--Alerts:WindowCount=1",
            "--Alerts:ClearCount=1",
            "--Alerts:CooldownSeconds=0",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("the agent did not start");
        process.StandardOutput.ReadToEndAsync();
        return process;
    }
}
