namespace SsdEdge.Trainer.Cli;

/// <summary>Process exit codes of every trainer command, matching those of the agent.</summary>
public static class ExitCodes
{
    /// <summary>The command finished.</summary>
    public const int Success = 0;

    /// <summary>The command started but failed: missing or invalid data, files or runs.</summary>
    public const int Failed = 1;

    /// <summary>The command line is invalid: an unknown option, a missing or malformed value.</summary>
    public const int InvalidUsage = 2;

    /// <summary>The exit-code text that each command's help ends with.</summary>
    public const string HelpText =
        "Exit codes: 0 success, 1 the command failed (data, files, runs), 2 invalid options or values.";
}
