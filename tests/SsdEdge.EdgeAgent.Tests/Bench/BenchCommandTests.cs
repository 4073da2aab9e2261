using System.Text.Json;
using SsdEdge.EdgeAgent.Bench;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Bench;

/// <summary>Runs <c>ssdedge-agent bench --smoke</c> in-process; checks that every section ran and
/// reported finite figures, never what the figures are.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Parse_JsonFileInMissingFolder_Throws()
    {
        var error = Assert.Throws<FormatException>(
            () => BenchOptions.Parse(["--json-file", "/nonexistent-folder/report.json"]));

        Assert.Contains("--json-file must name a file in an existing folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeviceRateBelowSimulatorMinimum_Throws()
    {
        var error = Assert.Throws<FormatException>(() => BenchOptions.Parse(["--device-rate", "10"]));

        Assert.Contains("--device-rate must be a number from 50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_WithComparison_ReportsEverySectionFinite()
    {
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var compare = TestData.PathOf(TestModels.ReferenceModel);
        var jsonFile = _directory.File("bench.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await BenchCommand.RunAsync(
            ["--smoke", "--json", "--model", model, "--compare-onnx", compare, "--json-file", jsonFile],
            stdout,
            stderr,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}; errors: {stderr}");
        using var document = JsonDocument.Parse(stdout.ToString());
        var root = document.RootElement;
        AssertAllNumbersFinite(root, "$");
        AssertSectionsPresent(root);

        var comparison = root.GetProperty("comparison");
        Assert.True(comparison.GetProperty("available").GetBoolean(), comparison.ToString());
        Assert.True(comparison.GetProperty("medianRatio").GetDouble() > 0);
        Assert.True(root.GetProperty("settings").GetProperty("smoke").GetBoolean());
        Assert.Equal(stdout.ToString().Trim(), (await File.ReadAllTextAsync(jsonFile, TestContext.Current.CancellationToken)).Trim());
    }

    [Fact]
    public async Task Smoke_BundledModel_PrintsTableWithoutComparison()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await BenchCommand.RunAsync(
            ["--smoke", "--no-capacity"],
            stdout,
            stderr,
            cancellationToken: TestContext.Current.CancellationToken);

        var table = stdout.ToString();
        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}; errors: {stderr}");
        Assert.Contains("inference, batch 1", table, StringComparison.Ordinal);
        Assert.Contains("comparison: not run (no graph given", table, StringComparison.Ordinal);
        Assert.Contains("spinning off", table, StringComparison.Ordinal);
        Assert.Contains("capacity (in-process): not run (skipped with --no-capacity)", table, StringComparison.Ordinal);
        Assert.Contains("endToEnd: devices 3,", table, StringComparison.Ordinal);
        Assert.Contains("brokerCapacity: skipped with --no-capacity", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_NoBroker_SkipsBothBrokerSections()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await BenchCommand.RunAsync(
            ["--smoke", "--json", "--no-capacity", "--no-broker"],
            stdout,
            stderr,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}; errors: {stderr}");
        using var document = JsonDocument.Parse(stdout.ToString());
        var external = document.RootElement.GetProperty("external").EnumerateArray().ToList();
        Assert.Equal(ExternalSectionNames.All.Count, external.Count);
        Assert.All(external, section => Assert.False(section.GetProperty("available").GetBoolean()));
        Assert.All(external, section => Assert.Equal("skipped with --no-broker", section.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Smoke_ExternalMosquitto_MeasuresThroughIt()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await BenchCommand.RunAsync(
            ["--smoke", "--json", "--broker-host", "127.0.0.1", "--broker-port", $"{broker.Port}",
                "--outbox-dir", _directory.File("outbox")],
            stdout,
            stderr,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}; errors: {stderr}");
        using var document = JsonDocument.Parse(stdout.ToString());
        var root = document.RootElement;
        AssertAllNumbersFinite(root, "$");
        AssertBrokerSections(root);
        var endToEnd = External(root, ExternalSectionNames.EndToEnd);
        Assert.Equal(
            $"external broker at 127.0.0.1:{broker.Port}",
            endToEnd.GetProperty("details").GetProperty("broker").GetString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.File("outbox")));
    }

    [Fact]
    public async Task RunAsync_MissingModel_ReturnsModelLoadFailed()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await BenchCommand.RunAsync(
            ["--smoke", "--model", _directory.File("missing.onnx")],
            stdout,
            stderr,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ModelLoadFailed, exitCode);
        Assert.Contains("missing.onnx", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_OtherInputShape_IsUnavailable()
    {
        var compare = TestData.PathOf(TestModels.ReferenceModel);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await BenchCommand.RunAsync(
            ["--smoke", "--json", "--no-capacity", "--no-broker", "--compare-onnx", compare],
            stdout,
            stderr,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}; errors: {stderr}");
        using var document = JsonDocument.Parse(stdout.ToString());
        var comparison = document.RootElement.GetProperty("comparison");
        Assert.False(comparison.GetProperty("available").GetBoolean());
        Assert.Contains("(batch, 4, 2816)", comparison.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownOption_ReturnsInvalidSettings()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await BenchCommand.RunAsync(
            ["--bogus"], stdout, stderr, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains("--bogus", stderr.ToString(), StringComparison.Ordinal);
    }

    private static void AssertSectionsPresent(JsonElement root)
    {
        var machine = root.GetProperty("machine");
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("cpuModel").GetString()));
        Assert.True(machine.GetProperty("logicalCores").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("onnxRuntimeVersion").GetString()));
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("dotNetRuntime").GetString()));

        var inference = root.GetProperty("inference").GetProperty("latency");
        Assert.True(inference.GetProperty("count").GetInt32() > 0);
        Assert.True(inference.GetProperty("p50Ms").GetDouble() > 0);

        var preprocessing = root.GetProperty("preprocessing").GetProperty("perHop");
        Assert.True(preprocessing.GetProperty("p99Ms").GetDouble() > 0);

        var duty = root.GetProperty("dutyCycle");
        Assert.True(duty.GetProperty("spinningOn").GetProperty("allowSpinning").GetBoolean());
        Assert.False(duty.GetProperty("spinningOff").GetProperty("allowSpinning").GetBoolean());
        Assert.True(duty.GetProperty("spinningOn").GetProperty("windows").GetInt32() > 0);
        Assert.True(duty.GetProperty("spinningOff").GetProperty("windows").GetInt32() > 0);

        var memory = root.GetProperty("memory");
        if (OperatingSystem.IsLinux())
        {
            Assert.True(memory.GetProperty("available").GetBoolean());
            Assert.True(memory.GetProperty("peakResidentBytes").GetInt64() > 0);
            Assert.True(memory.GetProperty("residentWithDevicesBytes").GetInt64() > 0);
            Assert.True(root.GetProperty("peakResidentBytesAtEnd").GetInt64() > 0);
        }

        var capacity = root.GetProperty("capacity");
        Assert.True(capacity.GetProperty("available").GetBoolean());
        Assert.Equal("in-process", capacity.GetProperty("mode").GetString());
        var steps = capacity.GetProperty("steps");
        Assert.True(steps.GetArrayLength() > 0);
        Assert.True(steps[0].GetProperty("windowsScored").GetInt64() > 0, steps[0].ToString());

        var external = root.GetProperty("external").EnumerateArray().ToList();
        Assert.Equal(
            ExternalSectionNames.All,
            external.Select(section => section.GetProperty("name").GetString() ?? "").ToList());
        AssertBrokerSections(root);
    }

    // Both sections ran through the broker: windows and alerts reached the subscriber and each has
    // latency figures; the capacity section ran its step.
    private static void AssertBrokerSections(JsonElement root)
    {
        var endToEnd = External(root, ExternalSectionNames.EndToEnd);
        Assert.True(endToEnd.GetProperty("available").GetBoolean(), endToEnd.ToString());
        var figures = endToEnd.GetProperty("figures");
        Assert.True(figures.GetProperty("windowMessagesReceived").GetDouble() > 0, figures.ToString());
        Assert.True(figures.GetProperty("windowP99Ms").GetDouble() > 0, figures.ToString());
        Assert.True(figures.GetProperty("alertMessagesReceived").GetDouble() > 0, figures.ToString());
        Assert.True(figures.GetProperty("alertP99Ms").GetDouble() > 0, figures.ToString());
        Assert.True(figures.GetProperty("fsyncP50Ms").GetDouble() > 0, figures.ToString());
        Assert.False(string.IsNullOrEmpty(endToEnd.GetProperty("details").GetProperty("outbox").GetString()));

        var capacity = External(root, ExternalSectionNames.BrokerCapacity);
        Assert.True(capacity.GetProperty("available").GetBoolean(), capacity.ToString());
        var rows = capacity.GetProperty("rows");
        Assert.True(rows.GetArrayLength() > 0, capacity.ToString());
        var step = rows[0].GetProperty("figures");
        Assert.True(step.GetProperty("samplesIn").GetDouble() > 0, step.ToString());
        Assert.True(step.GetProperty("windowP99Ms").GetDouble() > 0, step.ToString());
    }

    private static JsonElement External(JsonElement root, string name) =>
        root.GetProperty("external").EnumerateArray().Single(
            section => section.GetProperty("name").GetString() == name);

    // Non-finite figures are written as the strings "NaN", "Infinity" and "-Infinity".
    private static void AssertAllNumbersFinite(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    AssertAllNumbersFinite(property.Value, $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    AssertAllNumbersFinite(item, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.Number:
                Assert.True(double.IsFinite(element.GetDouble()), $"{path} is {element}");
                break;
            case JsonValueKind.String:
                var text = element.GetString();
                Assert.False(
                    text is "NaN" or "Infinity" or "-Infinity",
                    $"{path} is the non-finite figure {text}");
                break;
            default:
                break;
        }
    }
}
