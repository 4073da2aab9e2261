using System.Globalization;
using System.Text.Json;
using SsdEdge.Numerics;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.EndToEnd;

/// <summary>An exported model with the checkpoint it came from.</summary>
internal sealed record ChainModel(string OnnxPath, string Checkpoint);

/// <summary>One agent window from its JSON Lines output.</summary>
internal sealed record AgentWindow(string Device, long EndSample, string Outcome, float[]? Probabilities);

/// <summary>
/// Trains the FMOV teacher and its distilled student once for the test class, in a folder deleted
/// with the class; the first test that needs them pays for the training.
/// </summary>
public sealed class ChainModels : IDisposable
{
    /// <summary>Held-out subject whose recording the tests stream.</summary>
    public const string HeldOutSubject = "subject09";

    private static readonly string[] Subjects =
        ["subject09", "subject10", "subject11", "subject12", "subject14", "subject15"];

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-chain-models-").FullName;
    private ChainModel? _student;

    internal ChainModel FmovStudent(string fmovDirectory)
    {
        return _student ??= TrainStudent(fmovDirectory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ChainModel TrainStudent(string fmovDirectory)
    {
        // Six subjects keep one epoch short; links, not copies, point at the recordings.
        var subset = Directory.CreateDirectory(Path.Combine(_directory, "fmov")).FullName;
        foreach (var subject in Subjects)
        {
            var name = $"{subject}_100hz.tsv.gz";
            File.CreateSymbolicLink(Path.Combine(subset, name), Path.Combine(fmovDirectory, name));
        }

        var teacher = TrainingRun.Execute(
            new TrainRequest
            {
                Source = $"fmov:{subset}",
                RunsDirectory = _directory,
                RunId = "teacher",
                TestSubjects = [HeldOutSubject],
                ValidationFraction = 0.2,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 7, CpuThreads = 2 },
            },
            TextWriter.Null);
        var student = DistillationRun.Execute(
            new DistillRequest
            {
                TeacherRun = teacher.Directory,
                RunsDirectory = _directory,
                RunId = "student",
                Options = new DistillationOptions
                {
                    Passes = 4,
                    Training = new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 7, CpuThreads = 2 },
                },
            },
            TextWriter.Null);
        return Export(student, Path.Combine(_directory, "student.onnx"));
    }

    /// <summary>Exports a single-fold run; the export fails unless ONNX Runtime matches TorchSharp.</summary>
    internal static ChainModel Export(RunLayout run, string onnxPath)
    {
        var parity = ExportCommand.Execute(new ExportRequest(run.Directory, onnxPath), TextWriter.Null);
        Assert.True(parity.Passed, "ONNX export parity failed");
        return new ChainModel(onnxPath, run.ModelFile);
    }

    /// <summary>
    /// Cuts the agent's windows of <paramref name="subject"/> offline with the trainer's
    /// <c>windows --hop-seconds 1 --model</c>, runs <c>predict</c> on them, and returns the
    /// probabilities keyed by recording and window end sample.
    /// </summary>
    internal static Dictionary<(string Recording, long EndSample), float[]> PredictAgentWindows(
        string source,
        string subject,
        ChainModel model,
        string directory)
    {
        var windows = Path.Combine(directory, "windows");
        var predictions = Path.Combine(directory, "predictions");
        WindowsCommand.ExecuteSliding(source, windows, [subject], hopSeconds: 1, model.OnnxPath, TextWriter.Null);
        PredictCommand.Execute(model.Checkpoint, Path.Combine(windows, "inputs.npy"), predictions, TextWriter.Null);

        var probabilities = NpyFile.Read(Path.Combine(predictions, "probabilities.npy"));
        var classes = probabilities.Shape[1];
        var origins = File.ReadAllLines(Path.Combine(windows, "origins.csv")).Skip(1).ToArray();
        Assert.Equal(origins.Length, probabilities.Shape[0]);
        var result = new Dictionary<(string, long), float[]>();
        for (var i = 0; i < origins.Length; i++)
        {
            var fields = origins[i].Split(',');
            var end = long.Parse(fields[1], CultureInfo.InvariantCulture) + long.Parse(fields[2], CultureInfo.InvariantCulture);
            result.Add((fields[0], end), probabilities.Data.AsSpan(i * classes, classes).ToArray());
        }

        return result;
    }

    /// <summary>Reads the complete lines of the agent's JSON Lines output, which may still be growing.</summary>
    internal static List<AgentWindow> ReadAgentWindows(string path)
    {
        var windows = new List<AgentWindow>();
        if (!File.Exists(path))
        {
            return windows;
        }

        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }

        var complete = text[..(text.LastIndexOf('\n') + 1)];
        foreach (var line in complete.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var probabilities = root.GetProperty("probabilities");
            windows.Add(new AgentWindow(
                root.GetProperty("device").GetString()!,
                root.GetProperty("endSample").GetInt64(),
                root.GetProperty("outcome").GetString()!,
                probabilities.ValueKind == JsonValueKind.Array
                    ? probabilities.EnumerateArray().Select(p => p.GetSingle()).ToArray()
                    : null));
        }

        return windows;
    }

    /// <summary>Returns the largest absolute difference between matched probability vectors.</summary>
    internal static double MaxDifference(IEnumerable<(float[] Expected, float[] Actual)> pairs) =>
        pairs.Select(pair => pair.Expected.Zip(pair.Actual, (a, b) => Math.Abs((double)a - b)).Max())
            .DefaultIfEmpty(double.PositiveInfinity)
            .Max();
}
