using SsdEdge.Tests;
using Xunit;

[assembly: AssemblyFixture(typeof(SsdEdge.EdgeAgent.Tests.Support.TestState))]

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>
/// The folder under the system temp folder where this test process keeps the agents' state
/// (outboxes), one subfolder per run, deleted when every test has finished.
/// </summary>
public sealed class TestState : IDisposable
{
    private static readonly Lazy<string> Root = new(
        () => Directory.CreateTempSubdirectory("ssdedge-agent-state-").FullName);

    /// <summary>A new, empty folder for one agent run.</summary>
    public static string NewRunDirectory() =>
        Directory.CreateDirectory(Path.Combine(Root.Value, Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>Returns <paramref name="args"/> with a fresh outbox folder, no metrics endpoint and
    /// free broker ports, unless the arguments set them; see <see cref="AgentTestArguments"/>.</summary>
    public static string[] Args(params string[] args) => AgentTestArguments.Isolated(NewRunDirectory(), args);

    public void Dispose()
    {
        if (!Root.IsValueCreated)
        {
            return;
        }

        try
        {
            Directory.Delete(Root.Value, recursive: true);
        }
        catch (IOException)
        {
            // A file held open by a failing test must not fail the run.
        }
    }
}
