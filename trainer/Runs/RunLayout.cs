namespace SsdEdge.Trainer.Runs;

/// <summary>File names inside a run directory.</summary>
/// <param name="Directory">The run directory.</param>
public sealed record RunLayout(string Directory)
{
    /// <summary>Run description: source, subjects of each split, options, model configuration.</summary>
    public string RunFile => Path.Combine(Directory, "run.json");

    /// <summary>Signal contract of the model.</summary>
    public string ContractFile => Path.Combine(Directory, "contract.json");

    /// <summary>Weights selected on the validation subjects (or of the last epoch without them).</summary>
    public string ModelFile => Path.Combine(Directory, "model.bin");

    /// <summary>Weights after the last epoch.</summary>
    public string LastModelFile => Path.Combine(Directory, "model-last.bin");

    /// <summary>Returns the layout of fold <paramref name="name"/>, under <c>folds/</c>.</summary>
    public RunLayout Fold(string name) => new(Path.Combine(FoldsDirectory, name));

    /// <summary>Machine-readable results.</summary>
    public string ReportFile => Path.Combine(Directory, "report.json");

    /// <summary>
    /// A fold's part of the run, in a fold folder: its settings, subjects, predictions and
    /// history, from which <c>ssdedge-trainer merge</c> assembles the run files.
    /// </summary>
    public string PartFile => Path.Combine(Directory, "part.json");

    /// <summary>Folder that contains one folder per fold.</summary>
    public string FoldsDirectory => Path.Combine(Directory, "folds");

    /// <summary>Human-readable results.</summary>
    public string MarkdownReportFile => Path.Combine(Directory, "report.md");

    /// <summary>Per-epoch losses and metrics.</summary>
    public string HistoryFile => Path.Combine(Directory, "history.csv");

    /// <summary>Reads a JSON file of a run directory.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON of the expected shape.</exception>
    public static T ReadJson<T>(string path)
    {
        try
        {
            var options = SsdEdge.Contracts.SignalContractJson.Options;
            return System.Text.Json.JsonSerializer.Deserialize<T>(File.ReadAllText(path), options)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid run file: {ex.Message}", ex);
        }
    }

    /// <summary>Opens an existing run directory.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory or its run.json is missing.</exception>
    public static RunLayout Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var layout = new RunLayout(Path.GetFullPath(directory));
        if (!File.Exists(layout.RunFile))
        {
            throw new DirectoryNotFoundException(
                $"'{directory}' is not a training run: {layout.RunFile} is missing. Pass the directory "
                + "that `ssdedge-trainer train` printed.");
        }

        return layout;
    }
}
