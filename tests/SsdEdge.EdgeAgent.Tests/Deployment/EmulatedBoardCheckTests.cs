using System.Globalization;
using System.Text.Json;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

/// <summary>Runs tests/arm64/emulated-board-check.sh: the linux-arm64 agent under qemu-aarch64
/// and the native AOT linux-x64 agent against the linux-x64 JIT agent on the same recordings.</summary>
[Collection(EmulatedBoardGroup.Name)]
public sealed class EmulatedBoardCheckTests : IDisposable
{
    private const double Tolerance = 1e-4;

    // First run: three publishes (one native AOT) and about 80 MB of Debian packages. Each emulated window takes
    // one to four seconds on a shared 2-core machine, and the two cases have about 40 windows.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(20);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Arm64AndNativeAot_MatchX64Windows()
    {
        var recording = TestData.PathOf("recordings/neurokit_bio_eventrelated_100hz.csv");
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());
        var work = Path.Combine(_directory.Path, "work");
        string[] cases = ["synthetic-demo", "neurokit-eda"];

        var result = await PeerProgram.RunAsync(
            Path.Combine(PeerProgram.RepositoryRoot, "tests/arm64/emulated-board-check.sh"),
            [
                "--work", work,
                "--native-aot",
                "--case", cases[0], "bundled", "synthetic:101?subjects=1&duration=30", "2",
                "--case", cases[1], model, $"csv:{recording}?rate=100", "5.5",
            ],
            ScriptTimeout);
        if (result.ExitCode == PeerProgram.SkipExitCode)
        {
            PeerProgram.SkipOrFail(result.Error.Trim().Split('\n')[^1]);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var name in cases)
        {
            var x64 = ReadWindows(Path.Combine(work, name + ".x64.jsonl"));
            var arm64 = ReadWindows(Path.Combine(work, name + ".arm64.jsonl"));
            var nativeAot = ReadWindows(Path.Combine(work, name + ".aot.jsonl"));

            Assert.NotEmpty(x64);
            Assert.Equal(x64.Select(window => window.Key), arm64.Select(window => window.Key));
            Assert.Equal(x64.Select(window => window.Key), nativeAot.Select(window => window.Key));
            Assert.All(x64, window => Assert.Equal("scored", window.Key.Outcome));
            var difference = x64.Zip(arm64, MaxDifference).Max();
            var nativeAotDifference = x64.Zip(nativeAot, MaxDifference).Max();
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{name}: {x64.Count} windows, max probability difference {difference:G3} (arm64), "
                + $"{nativeAotDifference:G3} (native AOT)");
            Assert.InRange(difference, 0, Tolerance);
            Assert.InRange(nativeAotDifference, 0, Tolerance);
        }
    }

    private static double MaxDifference(Window expected, Window actual)
    {
        Assert.Equal(expected.Probabilities.Length, actual.Probabilities.Length);
        return expected.Probabilities.Zip(actual.Probabilities, (a, b) => Math.Abs(a - b)).Max();
    }

    private static List<Window> ReadWindows(string path)
    {
        var windows = new List<Window>();
        foreach (var line in File.ReadLines(path))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var key = new WindowKey(
                root.GetProperty("device").GetString()!,
                root.GetProperty("endSample").GetInt64(),
                root.GetProperty("outcome").GetString()!);
            var probabilities = root.GetProperty("probabilities");
            windows.Add(new Window(
                key,
                probabilities.ValueKind == JsonValueKind.Null
                    ? []
                    : probabilities.EnumerateArray().Select(value => value.GetDouble()).ToArray()));
        }

        return windows;
    }

    private sealed record WindowKey(string Device, long EndSample, string Outcome)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{Device}@{EndSample} {Outcome}");
    }

    private sealed record Window(WindowKey Key, double[] Probabilities);
}
