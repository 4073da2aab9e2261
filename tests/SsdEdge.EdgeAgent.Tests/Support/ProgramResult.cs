namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>Exit code and output of one program run.</summary>
public sealed record ProgramResult(int ExitCode, string Output, string Error)
{
    /// <summary>Output and error, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n{Output}\n{Error}";
}
