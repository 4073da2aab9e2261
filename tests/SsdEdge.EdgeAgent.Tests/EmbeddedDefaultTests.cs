using System.Text.Json;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>The agent started with no model or source: bundled demo model, synthetic subject.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class EmbeddedDefaultTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RunAsync_NoModelOrReplay_ScoresSyntheticSubjectWithBundledModel()
    {
        var outputPath = Path.Combine(_directory.Path, "windows.jsonl");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            ["--output", outputPath], output, error, TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}: {error}");
        var lines = File.ReadAllLines(outputPath);
        // 120 s of synthetic signal, 5.5 s windows every 1 s: windows end at 5.5, 6.5, ..., 119.5 s.
        Assert.Equal(115, lines.Length);
        foreach (var line in lines)
        {
            using var window = JsonDocument.Parse(line);
            var probabilities = window.RootElement.GetProperty("probabilities").EnumerateArray()
                .Select(value => value.GetDouble()).ToArray();
            Assert.Equal(2, probabilities.Length);
            Assert.Equal(1.0, probabilities.Sum(), 5);
        }

        Assert.Contains("windows scored: 115", output.ToString(), StringComparison.Ordinal);
    }
}
