namespace SsdEdge.EdgeAgent.Inference;

/// <summary>A model file that cannot be served: missing, unreadable, without a signal contract, or
/// with an input or output that disagrees with its contract.</summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception; the message is the file followed by the problem.</summary>
    public ModelLoadException(string path, string problem)
        : base($"{path}: {problem}")
    {
        Path = path;
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public ModelLoadException(string path, string problem, Exception inner)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>Model file that failed to load.</summary>
    public string Path { get; } = "";
}
