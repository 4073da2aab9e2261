using System.Globalization;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>Alert lines of the alert policy in the console output of a whole run.</summary>
public sealed class ConsoleAlertTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task RunAsync_PolicyRaisesAndClears_PrintsAlertLinesAfterTheirWindows()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        // 400 s of simulated signal in 4 s; one window at or above 0.5 raises, one below clears.
        var exitCode = await AgentProgram.RunAsync(
                TestState.Args(
                    "--mqtt", "false",
                    "--simulator-devices", "1",
                    "--simulator-speed", "100",
                    "--rate-check-seconds", "0",
                    "--duration", "4",
                    "--Alerts:Threshold=0.5",
                    "--Alerts:ClearThreshold=0.5",
                    "--Alerts:RaiseCount=1",
                    "--Alerts:WindowCount=1",
                    "--Alerts:ClearCount=1",
                    "--Alerts:CooldownSeconds=0"),
                output,
                error,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, error.ToString());
        var lines = output.ToString().Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var raised = lines.FindIndex(line => line.StartsWith("ALERT raised sim-01 ", StringComparison.Ordinal));
        Assert.True(raised > 0, "no raise line in:\n" + output);
        Assert.Contains(lines, line => line.StartsWith("ALERT cleared sim-01 ", StringComparison.Ordinal));

        // The raise line follows the line of the window that raised it, with the same end and probability.
        var window = lines[raised - 1].Split(' ');
        var alert = lines[raised].Split(' ');
        Assert.Equal("sim-01", window[0]);
        Assert.Equal($"window_end={window[1]}", alert[3]);
        Assert.Contains(" above=yes ", lines[raised - 1], StringComparison.Ordinal);
        var probability = double.Parse(alert[4]["pain=".Length..], CultureInfo.InvariantCulture);
        Assert.True(probability >= 0.5, lines[raised]);
        Assert.Matches(@"^id=[0-9a-f-]{36}$", alert[5]);
    }
}
