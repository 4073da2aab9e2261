namespace SsdEdge.EdgeAgent;

/// <summary>Process exit codes of ssdedge-agent.</summary>
public static class ExitCodes
{
    /// <summary>The run ended normally, at the end of the replay or on a stop request.</summary>
    public const int Success = 0;

    /// <summary>The run failed after start, for example on an unreadable recording.</summary>
    public const int RunFailed = 1;

    /// <summary>A setting or command-line switch is invalid.</summary>
    public const int InvalidSettings = 2;

    /// <summary>The model cannot be loaded or disagrees with its signal contract.</summary>
    public const int ModelLoadFailed = 3;
}
