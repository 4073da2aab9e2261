using System.Globalization;
using System.Text;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent;
using SsdEdge.Preprocessing;
using SsdEdge.Streaming;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.EndToEnd;

/// <summary>
/// The chain on a BioVid Part A folder: a small tree in the published layout with generated values,
/// trained with one subject held out, exported, and that subject replayed through the agent.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class BioVidChainTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private const double RateHz = 512;
    private const int RowsPerFile = 4096; // 8 s: three windows of 5.5 s at a 1 s hop
    private const string HeldOut = "082315_w_60";

    private static readonly string[] Subjects = ["071309_w_21", "071614_m_20", HeldOut];
    private static readonly string[] Classes = ["BL1", "PA4"];

    private readonly string _work = Directory.CreateTempSubdirectory("ssdedge-chain-biovid-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task FakeTree_TrainExportReplay_MatchesPredict()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var root = WriteTree(Path.Combine(_work, "biovid"), Subjects);
        var heldOutRoot = WriteTree(Path.Combine(_work, "heldout"), [HeldOut]);
        var run = TrainingRun.Execute(
            new TrainRequest
            {
                Source = $"biovid:{root}",
                RunsDirectory = _work,
                RunId = "biovid",
                TestSubjects = [HeldOut],
                ValidationFraction = 0,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 8, Seed = 3, CpuThreads = 2 },
            },
            TextWriter.Null);
        var model = ChainModels.Export(run, Path.Combine(_work, "biovid.onnx"));

        var expected = ChainModels.PredictAgentWindows($"biovid:{root}", HeldOut, model, Path.Combine(_work, "offline"));
        var output = Path.Combine(_work, "windows.jsonl");
        var exitCode = await AgentProgram.RunAsync(
            [
                "--model", model.OnnxPath, "--replay", $"biovid:{heldOutRoot}", "--output", output,
                "--Publish:Enabled=false", "--Metrics:Port=0", "--Logging:LogLevel:Default=Warning",
            ],
            TextWriter.Null,
            TextWriter.Null,
            cancellationToken);

        var contract = OnnxContractReader.ReadContract(model.OnnxPath);
        var rawWindow = new WindowPreprocessor(contract, RateHz).RawWindowSamples;
        var ends = StreamingWindower.WindowStarts(RowsPerFile, rawWindow, (int)RateHz).Select(start => start + rawWindow).ToArray();
        var agentWindows = ChainModels.ReadAgentWindows(output);
        var scored = agentWindows.Where(window => window.Outcome == "scored").ToArray();
        Assert.Equal(0, exitCode);
        Assert.Equal(3, ends.Length);
        Assert.Equal(Classes.Length * 2 * ends.Length, agentWindows.Count);
        Assert.Equal(agentWindows.Count, expected.Count);
        Assert.Equal(
            expected.Keys.Select(key => (key.Recording, key.EndSample)).Order(),
            scored.Select(window => (window.Device, window.EndSample)).Order());
        var difference = ChainModels.MaxDifference(
            scored.Select(window => (expected[(window.Device, window.EndSample)], window.Probabilities!)));
        Assert.True(difference <= Tolerance, $"agent and predict differ by {difference:G3}");
    }

    /// <summary>Writes <c>biosignals_filtered/SUBJECT/SUBJECT-CLASS-NNN_bio.csv</c> files whose values
    /// depend only on subject, class and index, so two trees share a subject's exact files.</summary>
    private static string WriteTree(string root, IEnumerable<string> subjects)
    {
        foreach (var subject in subjects)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, "biosignals_filtered", subject)).FullName;
            foreach (var bioVidClass in Classes)
            {
                for (var index = 1; index <= 2; index++)
                {
                    var seed = (Array.IndexOf(Subjects, subject) * 100) + (Array.IndexOf(Classes, bioVidClass) * 10) + index;
                    var name = string.Create(CultureInfo.InvariantCulture, $"{subject}-{bioVidClass}-{index:D3}_bio.csv");
                    File.WriteAllText(Path.Combine(folder, name), Table(seed, pain: bioVidClass == "PA4"));
                }
            }
        }

        return root;
    }

    // Tab-separated with the published header; time in µs at 512 Hz. Skin conductance drifts slowly
    // with noise, and under pain it rises by about 0.5 µS after 2 s.
    private static string Table(int seed, bool pain)
    {
        var random = new Random(seed);
        var text = new StringBuilder("time\tgsr\tecg\temg_trapezius\temg_corrugator\temg_zygomaticus\n");
        for (var t = 0; t < RowsPerFile; t++)
        {
            var seconds = t / RateHz;
            var response = pain && seconds > 2 ? 0.5 * (1 - Math.Exp(-(seconds - 2))) : 0;
            var gsr = 4 + (0.2 * Math.Sin((2 * Math.PI * 0.1 * seconds) + seed)) + response + (0.01 * random.NextDouble());
            text.Append(
                CultureInfo.InvariantCulture,
                $"{t * 1e6 / RateHz:0}\t{gsr:0.00000}\t{random.NextDouble() - 0.5:0.0000}\t{random.NextDouble():0.0000}\t{random.NextDouble():0.0000}\t{random.NextDouble():0.0000}\n");
        }

        return text.ToString();
    }
}
