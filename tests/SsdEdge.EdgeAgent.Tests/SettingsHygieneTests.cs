using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>Unknown keys in every settings section, and secrets in messages.</summary>
public sealed class SettingsHygieneTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("Agent:Spede")]
    [InlineData("Mqtt:Hots")]
    [InlineData("Simulator:Devises")]
    [InlineData("Serial:Devise")]
    [InlineData("Serial:Devices:0:BaudRat")]
    [InlineData("Alerts:Treshold")]
    [InlineData("Publish:Hots")]
    [InlineData("Publish:HomeAssistant:Enable")]
    [InlineData("Metrics:Prot")]
    [InlineData("Health:SilentSeconds")]
    public async Task RunAsync_UnknownKey_ExitsTwoWithOneMessageNamingIt(string key)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args($"--{key}=secret-value-42"), output, error, TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        var naming = error.ToString().Split('\n').Where(line => line.Contains(key, StringComparison.Ordinal)).ToList();
        Assert.Single(naming);
        Assert.DoesNotContain("secret-value-42", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Publish:Password")]
    [InlineData("Mqtt:Password")]
    [InlineData("Publish:Pasword")]
    public async Task RunAsync_BadSettingNextToSecret_NeverEchoesSecret(string key)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args($"--{key}=hunter2-secret", "--Publish:Port=-5", "--threads", "0"),
                output,
                error,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.DoesNotContain("hunter2-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_Always_ListsSectionsDocsAndBench()
    {
        foreach (var section in new[] { "Agent", "Mqtt", "Simulator", "Serial", "Alerts", "Publish", "Metrics", "Health" })
        {
            Assert.Contains($"{section}:", AgentProgram.Usage, StringComparison.Ordinal);
        }

        foreach (var page in new[] { "docs/mqtt-ingest.md", "docs/serial-protocol.md", "docs/alerts.md", "docs/benchmarks.md" })
        {
            Assert.Contains(page, AgentProgram.Usage, StringComparison.Ordinal);
        }

        Assert.Contains("ssdedge-agent bench", AgentProgram.Usage, StringComparison.Ordinal);
    }
}
