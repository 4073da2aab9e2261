using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SsdEdge.Datasets;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Preprocessing;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <remarks>Shares a collection with every class whose tests read <c>SSDEDGE_</c> environment
/// variables, because one test here sets such a variable.</remarks>
[Collection(ProcessEnvironment.Collection)]
public sealed class AgentProgramTests : IDisposable
{
    /// <summary>Real EDA at 100 Hz for 150 s (NeuroKit2 example data, columns ECG, EDA, Photosensor,
    /// RSP); the file has no time column, so the source names the rate.</summary>
    private const string Recording = "recordings/neurokit_bio_eventrelated_100hz.csv";

    /// <summary>Upper bound for a whole replay, which normally ends far sooner; runs are awaited,
    /// never slept on.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RunAsync_Help_PrintsUsageAndSucceeds()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            ["--help"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.StartsWith("Usage: ssdedge-agent [--model MODEL.onnx]", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownSwitch_ExitsWithInvalidSettings()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--model", "m.onnx", "--hop", "2"]), output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.StartsWith("ssdedge-agent: unknown option(s) --hop.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PasswordOnCommandLine_WarnsWithoutValue()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        // The threads value stops the run before the model loads, after the warning.
        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--Publish:Password=hunter2-secret", "--threads", "0"]),
            output,
            error,
            TestContext.Current.CancellationToken);

        var message = error.ToString();
        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains("warning: Publish:Password was given on the command line", message, StringComparison.Ordinal);
        Assert.Contains("SSDEDGE_Publish__Password", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Logging:LogLevel:Default=Loud", "Logging:LogLevel:Default = 'Loud' is invalid")]
    [InlineData("--Logging:LogLevel:SsdEdge=9", "Logging:LogLevel:SsdEdge = '9' is invalid")]
    [InlineData("--Logging:Console:FormatterOptions:IncludeScopes=maybe", "'maybe' at 'FormatterOptions:IncludeScopes'")]
    [InlineData("--Logging:Console:FormatterName=xml", "Logging:Console:FormatterName = 'xml' is invalid")]
    public async Task RunAsync_InvalidLoggingValue_ExitsTwoNamingIt(string setting, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--replay", "synthetic:101?subjects=1&duration=6", setting]),
            output,
            error,
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EmptyReplayOnCommandLine_ExitsTwo()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--replay="]), output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains("--replay was given an empty value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FindCommandLineSecrets_EnvironmentPassword_NotReported()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mqtt:Password"] = "from-file" })
            .AddCommandLine(["--Mqtt:Username=user", "--Publish:Password="])
            .Build();

        var secrets = AgentProgram.FindCommandLineSecrets(configuration);

        Assert.Empty(secrets);
    }

    [Fact]
    public async Task RunAsync_InvalidSettings_ReportsEach()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var model = _directory.File("absent.onnx");

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args([
                "--model", model,
                "--replay", "csv:" + _directory.File("absent.csv"),
                "--threads", "0",
                "--speed", "-1",
            ]),
            output,
            error,
            TestContext.Current.CancellationToken);

        var message = error.ToString();
        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains(
            $"ssdedge-agent: Agent:ModelPath (--model) = '{model}': file not found",
            message,
            StringComparison.Ordinal);
        Assert.Contains("ssdedge-agent: Agent:Replay (--replay)", message, StringComparison.Ordinal);
        Assert.Contains(
            "ssdedge-agent: Agent:Threads (--threads) = 0 is invalid", message, StringComparison.Ordinal);
        Assert.Contains("ssdedge-agent: Agent:Speed (--speed) = -1 is invalid", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_Always_ListsBounds()
    {
        Assert.Contains($"1 to {AgentOptions.MaxThreads}", AgentProgram.Usage, StringComparison.Ordinal);
        Assert.Contains(
            FormattableString.Invariant($"from {AgentOptions.MinSpeed} to {AgentOptions.MaxSpeed}"),
            AgentProgram.Usage,
            StringComparison.Ordinal);
        Assert.Contains(
            FormattableString.Invariant($"{AgentOptions.MinBlockSeconds} to {AgentOptions.MaxBlockSeconds}"),
            AgentProgram.Usage,
            StringComparison.Ordinal);
        foreach (var format in Datasets.RecordingSource.KnownFormats)
        {
            Assert.Contains(format, AgentProgram.Usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_ThreadsAboveMaximum_ExitsTwoBeforeLoadingModel()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args(["--model", model, "--replay", WriteStandInRecording(), "--threads", "100000"]),
                output,
                error,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Equal(
            "ssdedge-agent: Agent:Threads (--threads) = 100000 is invalid; use 1 to 64 ONNX Runtime threads."
            + Environment.NewLine,
            error.ToString());
    }

    [Fact]
    public async Task RunAsync_OutputInProcFileSystem_ExitsTwo()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("/proc, where no file can be created, exists on Linux only.");
        }

        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--replay", WriteStandInRecording(), "--output", "/proc/x.jsonl"]),
            output,
            error,
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.StartsWith(
            "ssdedge-agent: Agent:Output (--output) = '/proc/x.jsonl': the file cannot be opened for writing",
            error.ToString(),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--model" }, "ssdedge-agent: Agent:ModelPath (--model) has no value; use an existing")]
    [InlineData(
        new[] { "--model", "--speed", "1" }, "ssdedge-agent: Agent:ModelPath (--model) has no value; use")]
    [InlineData(new[] { "--Agent:Speed" }, "ssdedge-agent: Agent:Speed (--Agent:Speed) has no value; use 0")]
    [InlineData(new[] { "stray.onnx" }, "ssdedge-agent: unexpected argument 'stray.onnx'")]
    [InlineData(new[] { "--speed", "1", "2" }, "ssdedge-agent: unexpected argument '2'")]
    [InlineData(new[] { "--Agent:Spede=1" }, "ssdedge-agent: Agent:Spede (--Agent:Spede) is not a setting")]
    [InlineData(new[] { "--speed", "abc" }, "ssdedge-agent: Agent:Speed (--speed) = 'abc' is not a number; use 0")]
    [InlineData(new[] { "--speed", "1e-300" }, "ssdedge-agent: Agent:Speed (--speed) = 1E-300 is invalid; use 0")]
    [InlineData(
        new[] { "--replay", "foo:bar" }, "ssdedge-agent: Agent:Replay (--replay) = 'foo:bar' is invalid")]
    public async Task RunAsync_InvalidCommandLine_ExitsTwoNamingSetting(string[] args, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(TestState.Args(args), output, error, TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.StartsWith(expected, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReplayParameterNotNumber_ExitsTwoNamingParameter()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var replay = WriteStandInRecording() + "?rate=abc";

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--replay", replay]), output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Equal(
            $"ssdedge-agent: Agent:Replay (--replay) = '{replay}' is invalid: source parameter 'rate=abc' "
            + "is not a number; write it as rate=NUMBER, such as rate=100." + Environment.NewLine,
            error.ToString());
    }

    [Fact]
    public async Task RunAsync_ThreadsFromEnvironment_NamesVariable()
    {
        const string Variable = AgentProgram.EnvironmentPrefix + "Agent__Threads";
        using var output = new StringWriter();
        using var error = new StringWriter();
        Environment.SetEnvironmentVariable(Variable, "0");
        try
        {
            var exitCode = await AgentProgram.RunAsync(
                TestState.Args(["--replay", WriteStandInRecording()]), output, error, TestContext.Current.CancellationToken);

            Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }

        Assert.StartsWith(
            "ssdedge-agent: Agent:Threads (environment variable SSDEDGE_Agent__Threads) = 0 is invalid",
            error.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ThreadsNotNumber_ExitsTwo()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--threads", "two"]), output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains("Agent:Threads", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ModelWithoutContract_ExitsThree()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var model = TestData.PathOf(TestModels.ReferenceModel);
        var replay = WriteStandInRecording();

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--model", model, "--replay", replay]), output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ModelLoadFailed, exitCode);
        Assert.StartsWith(
            $"ssdedge-agent: {model}: the model carries no signal contract",
            error.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HopBeyondWindow_ExitsTwo()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--model", model, "--replay", WriteStandInRecording(), "--hop-seconds", "10"]),
            output,
            error,
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains(
            "Agent:HopSeconds (--hop-seconds) = 10 is longer than the model's window of 5.5 s",
            error.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RealRecording_WritesLinePerWindow()
    {
        var recordingPath = TestData.PathOf(Recording);
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var jsonl = _directory.File("windows.jsonl");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args([
                    "--model", model,
                    "--replay", CsvSource(recordingPath),
                    "--speed", "0",
                    "--hop-seconds", "1",
                    "--output", jsonl,
                ]),
                output,
                error,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}: {error}");
        var recording = Assert.Single(RecordingFiles.Read(CsvSource(recordingPath)).Recordings);
        var rate = recording.SamplingRateHz;
        var rawWindow = (int)Math.Round(5.5 * rate);
        var hop = (int)Math.Round(rate);
        var expectedWindows = ((recording.Length - rawWindow) / hop) + 1;
        var lines = File.ReadAllLines(jsonl);
        Assert.Equal(expectedWindows, lines.Length);

        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(rawWindow, first.RootElement.GetProperty("endSample").GetInt64());
        using var last = JsonDocument.Parse(lines[^1]);
        var lastEnd = rawWindow + ((expectedWindows - 1) * hop);
        Assert.Equal(lastEnd, last.RootElement.GetProperty("endSample").GetInt64());

        var text = output.ToString();
        Assert.Contains("summary:", text, StringComparison.Ordinal);
        Assert.Contains($"samples in: {recording.Length} per channel", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RealRecording_MatchesDirectInference()
    {
        var recordingPath = TestData.PathOf(Recording);
        var contract = TestModels.EdaContract();
        var model = TestModels.WriteWithContract(_directory.Path, contract);
        var jsonl = _directory.File("windows.jsonl");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args(["--model", model, "--replay", CsvSource(recordingPath), "--hop-seconds", "5", "--output", jsonl]),
                output,
                error,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}: {error}");
        var recording = Assert.Single(RecordingFiles.Read(CsvSource(recordingPath)).Recordings);
        var eda = recording.Samples[recording.IndexOfChannel("eda")];
        var preprocessor = new WindowPreprocessor(contract, recording.SamplingRateHz);
        using var loaded = OnnxModel.Load(model, intraOpThreads: 1);
        using var engine = loaded.CreateEngine();
        var modelInput = new float[contract.WindowSamples];
        var compared = 0;
        foreach (var line in File.ReadAllLines(jsonl))
        {
            using var window = JsonDocument.Parse(line);
            var root = window.RootElement;
            if (root.GetProperty("outcome").GetString() != "scored")
            {
                continue;
            }

            var end = (int)root.GetProperty("endSample").GetInt64();
            var raw = eda.AsSpan(end - preprocessor.RawWindowSamples, preprocessor.RawWindowSamples);
            Assert.True(preprocessor.Process(raw, modelInput).Accepted);
            var expected = engine.Run(modelInput).Probabilities;
            var actual = root.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray();
            Assert.Equal(expected, actual);
            compared++;
        }

        Assert.True(compared > 0, "no window was scored");
    }

    [Fact]
    public async Task RunAsync_MissingChannel_ExitsOne()
    {
        var recordingPath = TestData.PathOf(Recording);
        var contract = TestModels.EdaContract() with
        {
            Channels = [new Contracts.ContractChannel("gsr", Signals.ChannelKind.Eda, "uS", 512)],
        };
        var model = TestModels.WriteWithContract(_directory.Path, contract);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args(["--model", model, "--replay", CsvSource(recordingPath)]),
                output,
                error,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.RunFailed, exitCode);
        Assert.Contains("needs channel 'gsr'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("ECG, EDA, Photosensor, RSP", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunAsync_FailsBeforeFirstSample_PrintsErrorOnceAndNoSummary()
    {
        var contract = TestModels.EdaContract() with
        {
            Channels = [new Contracts.ContractChannel("gsr", Signals.ChannelKind.Eda, "uS", 512)],
        };
        var model = TestModels.WriteWithContract(_directory.Path, contract);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args(["--model", model, "--replay", WriteStandInRecording() + "?rate=100"]),
                output,
                error,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.RunFailed, exitCode);
        Assert.Contains("needs channel 'gsr'", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task RunAsync_RealRecording_LabelsPositiveWindowsWithContractClass()
    {
        var recordingPath = TestData.PathOf(Recording);
        var contract = TestModels.EdaContract() with { ClassLabels = ["baseline", "response"] };
        var model = TestModels.WriteWithContract(_directory.Path, contract);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args(["--model", model, "--replay", CsvSource(recordingPath), "--hop-seconds", "5"]),
                output,
                error,
                TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}: {error}");
        Assert.Matches(@"windows scored: \d+ \(\d+ response\)", output.ToString());
        Assert.DoesNotContain("pain", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StopRequested_FinishesWindowInFlight()
    {
        var recordingPath = TestData.PathOf(Recording);
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var jsonl = _directory.File("windows.jsonl");
        using var output = new SignallingWriter();
        using var error = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // At 10x real time the 150 s recording would take 15 s; the stop comes after the first window.
        var run = AgentProgram.RunAsync(
            TestState.Args(["--model", model, "--replay", CsvSource(recordingPath), "--speed", "10", "--output", jsonl]),
            output,
            error,
            stop.Token);
        var first = await Task.WhenAny(output.FirstLine, run)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);
        Assert.True(first == output.FirstLine, $"the run ended before its first window: {error}");
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}: {error}");
        var windowLines = output.ToString().Split('\n').Count(IsWindowLine);
        var jsonLines = File.ReadAllLines(jsonl).Length;
        Assert.InRange(windowLines, 1, 10);
        Assert.Equal(windowLines, jsonLines);
        Assert.Contains("summary:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateBuilder_SwitchAndEnvironment_CommandLineWins()
    {
        const string Variable = AgentProgram.EnvironmentPrefix + "AgentProgramTests__Probe";
        Environment.SetEnvironmentVariable(Variable, "environment");
        try
        {
            var fromEnvironment = AgentProgram.CreateBuilder([], TextWriter.Null)
                .Configuration["AgentProgramTests:Probe"];
            var fromCommandLine = AgentProgram
                .CreateBuilder(["--AgentProgramTests:Probe=command-line"], TextWriter.Null)
                .Configuration["AgentProgramTests:Probe"];

            Assert.Equal("environment", fromEnvironment);
            Assert.Equal("command-line", fromCommandLine);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [Fact]
    public void CreateBuilder_DocumentedSwitches_SetAgentKeys()
    {
        var configuration = AgentProgram.CreateBuilder(
            [
                "--model", "m.onnx",
                "--replay", "fmov:s.tsv.gz",
                "--speed", "2",
                "--hop-seconds", "0.5",
                "--threads", "3",
                "--output", "o.jsonl",
            ],
            TextWriter.Null).Configuration;

        Assert.Equal("m.onnx", configuration["Agent:ModelPath"]);
        Assert.Equal("fmov:s.tsv.gz", configuration["Agent:Replay"]);
        Assert.Equal("2", configuration["Agent:Speed"]);
        Assert.Equal("0.5", configuration["Agent:HopSeconds"]);
        Assert.Equal("3", configuration["Agent:Threads"]);
        Assert.Equal("o.jsonl", configuration["Agent:Output"]);
    }

    [Theory]
    [InlineData(new[] { "--speed", "-1" }, new string[0])]
    [InlineData(new[] { "--Agent:BlockSeconds=0.2" }, new string[0])]
    [InlineData(new[] { "--hop", "2", "--thread", "1" }, new[] { "--hop", "--thread" })]
    public void FindUnknownSwitches_Arguments_ReturnsUnmappedSwitches(string[] args, string[] expected)
    {
        Assert.Equal(expected, AgentProgram.FindUnknownSwitches(args));
    }

    [Theory]
    [InlineData(new[] { "--model", "m.onnx", "--speed", "-1" }, new string[0])]
    [InlineData(new[] { "--speed=1", "--output=-" }, new string[0])]
    [InlineData(new[] { "--output", "-" }, new string[0])]
    [InlineData(new[] { "--threads" }, new[] { "Agent:Threads (--threads) has no value" })]
    [InlineData(new[] { "/data/x.csv" }, new[] { "unexpected argument '/data/x.csv'" })]
    public void FindCommandLineProblems_Arguments_ReportsEachProblem(string[] args, string[] expectedStarts)
    {
        var problems = AgentProgram.FindCommandLineProblems(args);

        Assert.Equal(expectedStarts.Length, problems.Count);
        for (var i = 0; i < problems.Count; i++)
        {
            Assert.StartsWith(expectedStarts[i], problems[i], StringComparison.Ordinal);
        }
    }

    private static string CsvSource(string path) => "csv:" + path + "?rate=100";

    private static bool IsWindowLine(string line) =>
        line.Contains(" above=", StringComparison.Ordinal) || line.Contains(" skipped ", StringComparison.Ordinal);

    /// <summary>A file the validator accepts as the replay source for runs that stop before reading it.</summary>
    private string WriteStandInRecording()
    {
        var path = _directory.File("stand-in.csv");
        File.WriteAllText(path, "eda\n1\n");
        return "csv:" + path;
    }

    [Theory]
    [InlineData("--Alert:Threshold=0.9", "Alert")]
    [InlineData("--alerts:Threshold=0.9 --Metric:Port=9", "Metric")]
    public async Task RunAsync_UnknownSection_ExitsTwoNamingIt(string args, string section)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args(args.Split(' ')), output, error, TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        var text = error.ToString();
        Assert.Contains($"'{section}'", text, StringComparison.Ordinal);
        Assert.Contains("Alerts, Publish", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0.9", text, StringComparison.Ordinal);
        Assert.DoesNotContain("=9", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task RunAsync_UnknownSectionInEnvironment_ExitsTwo()
    {
        const string Variable = "SSDEDGE_Alert__Threshold";
        using var output = new StringWriter();
        using var error = new StringWriter();
        Environment.SetEnvironmentVariable(Variable, "0.9");
        int exitCode;
        try
        {
            exitCode = await AgentProgram.RunAsync(TestState.Args(), output, error, TestContext.Current.CancellationToken)
                .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains("SSDEDGE_Alert__", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateBuilder_Default_LogsUtcTimestamps()
    {
        using var host = AgentProgram.CreateBuilder(TestState.Args(), TextWriter.Null).Build();

        var options = host.Services.GetRequiredService<IOptions<SimpleConsoleFormatterOptions>>().Value;

        Assert.Equal("yyyy-MM-ddTHH:mm:ss.fffZ ", options.TimestampFormat);
        Assert.True(options.UseUtcTimestamp);
        Assert.True(options.SingleLine);
    }

    [Fact]
    public void CreateBuilder_JsonFormatter_SelectedWithTrimmedTimestamp()
    {
        using var host = AgentProgram.CreateBuilder(
                TestState.Args("--Logging:Console:FormatterName=json"), TextWriter.Null)
            .Build();

        var console = host.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;
        var json = host.Services.GetRequiredService<IOptions<JsonConsoleFormatterOptions>>().Value;

        Assert.Equal("json", console.FormatterName);
        Assert.Equal("yyyy-MM-ddTHH:mm:ss.fffZ", json.TimestampFormat);
        Assert.True(json.UseUtcTimestamp);
    }

    [Fact]
    public void CreateBuilder_Default_UsesSimpleFormatter()
    {
        using var host = AgentProgram.CreateBuilder(TestState.Args(), TextWriter.Null).Build();

        var console = host.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;

        Assert.Equal("simple", console.FormatterName);
        Assert.Equal(LogLevel.Trace, console.LogToStandardErrorThreshold);
    }

    [Fact]
    public void CreateBuilder_EmptyTimestampFormat_TurnsTimestampOff()
    {
        using var host = AgentProgram.CreateBuilder(
                TestState.Args("--Logging:Console:FormatterOptions:TimestampFormat="), TextWriter.Null)
            .Build();

        var options = host.Services.GetRequiredService<IOptions<SimpleConsoleFormatterOptions>>().Value;

        Assert.Null(options.TimestampFormat);
    }

    [Fact]
    public async Task RunAsync_PasswordWithoutUserOnCommandLine_NamesSwitch()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
                TestState.Args("--Mqtt:Password=hunter2-secret"), output, error, TestContext.Current.CancellationToken)
            .WaitAsync(RunTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains("Mqtt:Password (--Mqtt:Password)", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SSDEDGE_Mqtt__Password)", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error.ToString(), StringComparison.Ordinal);
    }
}
