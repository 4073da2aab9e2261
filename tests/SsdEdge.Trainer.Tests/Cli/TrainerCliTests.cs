using System.Diagnostics;
using SsdEdge.Numerics;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.Trainer.Tests.Cli;

/// <summary>
/// Runs the built <c>ssdedge-trainer</c> as a separate process, as a user would, and checks that bad
/// input ends with one message and exit code 2 for an invalid command line or 1 for a failure
/// while running, never a stack trace.
/// </summary>
public sealed class TrainerCliTests : IDisposable
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(3);

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Train_MissingData_ExitsWithOne()
    {
        var result = await RunTrainerAsync($"train --data fmov:/nonexistent/fmov --runs-dir {_directory}");

        AssertCleanFailure(result, "/nonexistent/fmov");
    }

    [Theory]
    [InlineData("--epochs abc", "--epochs: 'abc' is not a whole number.")]
    [InlineData("--learning-rate fast", "--learning-rate: 'fast' is not a number")]
    [InlineData("--no-such-option", "'--no-such-option'")]
    public async Task Train_UnparsableOption_ExitsWithTwo(string arguments, string expected)
    {
        var result = await RunTrainerAsync($"train --data synthetic:1 {arguments} --runs-dir {_directory}");

        AssertCleanFailure(result, expected, exitCode: 2);
        Assert.Contains("Run 'ssdedge-trainer train --help'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Int32", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--data nosuchformat:/tmp", "nosuchformat")]
    [InlineData("--data synthetic:1?subjects=3&duration=60&rate=128 --test-fraction 1.5", "--test-fraction")]
    [InlineData("--data synthetic:1?subjects=3&duration=60&rate=128 --run-id ../escape", "--run-id")]
    [InlineData("--data synthetic:1?subjects=1&duration=60&rate=128", "every fold needs")]
    [InlineData("--data synthetic:1?subjects=3&duration=60&rate=128 --lr-schedule wavy", "--lr-schedule")]
    [InlineData("--data synthetic:1?subjects=3&duration=60&rate=128 --threads 100000", "--threads")]
    [InlineData(
        "--data synthetic:1?subjects=3&duration=60&rate=128 --folds loso --test-subjects synth01",
        "--test-subjects")]
    [InlineData("--data synthetic:1?subjects=3&duration=60&rate=128 --resume --run-id nosuchrun", "--resume")]
    public async Task Train_InvalidOption_ExitsWithTwo(string arguments, string expected)
    {
        var result = await RunTrainerAsync($"train {arguments} --runs-dir {_directory}");

        AssertCleanFailure(result, expected, exitCode: 2);
    }

    [Theory]
    [InlineData("--repeats 0", "--repeats 0 is invalid")]
    [InlineData("--passes 1", "--passes 1 is invalid")]
    [InlineData("--batch-size 0", "--batch-size 0 is invalid")]
    [InlineData("--teacher-chunk-rows 0", "--teacher-chunk-rows 0 is invalid")]
    [InlineData("--json {dir}/missing/bench.json", "missing' not found")]
    [InlineData("--json {dir}", "is not a file path")]
    public async Task BenchDistill_InvalidOption_ExitsBeforeLoading(string arguments, string expected)
    {
        // A missing data source would fail with exit code 1 if it were loaded first.
        var options = arguments.Replace("{dir}", _directory, StringComparison.Ordinal);

        var result = await RunTrainerAsync($"bench-distill --data fmov:/nonexistent/fmov {options}");

        AssertCleanFailure(result, expected, exitCode: 2);
        Assert.DoesNotContain("/nonexistent/fmov", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchDistill_Help_MentionsWarmup()
    {
        var result = await RunTrainerAsync("bench-distill --help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("untimed warm-up", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate 0", "--rate", 2)]
    [InlineData("--rate -5", "--rate", 2)]
    [InlineData("--state-dict-is-text", "not a PyTorch state_dict", 1)]
    public async Task ImportTeacher_BadInput_ExitsWithOneMessage(string arguments, string expected, int exitCode)
    {
        var textFile = Path.Combine(_directory, "notes.txt");
        File.WriteAllText(textFile, "these are notes, not a PyTorch zip archive");
        var stateDict = arguments == "--state-dict-is-text"
            ? textFile
            : TestData.PathOf("reference/painattnnet_reference.pt");
        var extra = arguments == "--state-dict-is-text" ? "" : arguments;
        var run = Path.Combine(_directory, "bad-import");

        var result = await RunTrainerAsync($"import-teacher --state-dict {stateDict} --run {run} {extra}");

        AssertCleanFailure(result, expected, exitCode);
        Assert.False(File.Exists(Path.Combine(run, "run.json")), "a failed import left a run behind");
    }

    [Fact]
    public async Task Predict_NonFiniteInput_ExitsNamingWindow()
    {
        var run = await ImportReferenceAsync();
        var input = Path.Combine(_directory, "nan.npy");
        var values = new float[2 * 2816];
        values[2816 + 5] = float.NaN;
        NpyFile.Write(input, new NpyArray([2, 1, 2816], values));

        var result = await RunTrainerAsync($"predict --run {run} --input {input} --out-dir {_directory}/out");

        AssertCleanFailure(result, "window 1");
    }

    [Fact]
    public async Task Predict_TruncatedTopLevelCopy_Warns()
    {
        var run = await ImportReferenceAsync();
        var intact = await RunTrainerAsync(
            $"predict --run {run} --input {ZeroWindows()} --out-dir {_directory}/intact");
        var topLevel = Path.Combine(run, "model.bin");
        using (var stream = File.OpenWrite(topLevel))
        {
            stream.SetLength(stream.Length / 2);
        }

        var result = await RunTrainerAsync(
            $"predict --run {run} --input {ZeroWindows()} --out-dir {_directory}/truncated");

        Assert.True(intact.ExitCode == 0, $"predict failed: {intact.Error}");
        Assert.DoesNotContain("warning", intact.Error, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, $"predict failed: {result.Error}");
        Assert.Contains($"warning: {topLevel} differs from", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ParityFails_LeavesNoModel()
    {
        var run = await ImportReferenceAsync();
        var output = Path.Combine(_directory, "strict.onnx");

        // Float32 rounding alone differs by far more than 1e-12 between the two runtimes.
        var result = await RunTrainerAsync($"export --run {run} --out {output} --tolerance 1e-12");

        AssertCleanFailure(result, "differ by more than");
        Assert.False(File.Exists(output), "a model that failed its parity check was left at --out");
        Assert.False(File.Exists(output + ".partial"), "the partial model was not removed");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("-1")]
    public async Task Export_InvalidTolerance_Rejected(string tolerance)
    {
        var run = await ImportReferenceAsync();

        var result = await RunTrainerAsync($"export --run {run} --out {_directory}/x.onnx --tolerance {tolerance}");

        AssertCleanFailure(result, "--tolerance", exitCode: 2);
    }

    [Fact]
    public async Task Export_CorruptRunFile_NamesFile()
    {
        var run = await ImportReferenceAsync();
        File.WriteAllText(Path.Combine(run, "run.json"), "{not json");

        var result = await RunTrainerAsync($"export --run {run} --out {_directory}/x.onnx");

        AssertCleanFailure(result, "run.json");
    }

    // One window of zeros in the imported reference model's shape.
    private string ZeroWindows()
    {
        var path = Path.Combine(_directory, "zeros.npy");
        NpyFile.Write(path, new NpyArray([1, 1, 2816], new float[2816]));
        return path;
    }

    private async Task<string> ImportReferenceAsync()
    {
        var stateDict = TestData.PathOf("reference/painattnnet_reference.pt");
        var run = Path.Combine(_directory, "reference");
        var result = await RunTrainerAsync($"import-teacher --state-dict {stateDict} --run {run}");
        Assert.True(result.ExitCode == 0, $"import-teacher failed: {result.Error}");
        return run;
    }

    private static void AssertCleanFailure(ProcessResult result, string expected, int exitCode = 1)
    {
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> RunTrainerAsync(string arguments)
    {
        var trainer = Path.Combine(AppContext.BaseDirectory, "ssdedge-trainer.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(trainer);
        foreach (var argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    private sealed record ProcessResult(int ExitCode, string Output, string Error);
}
