using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

/// <summary>Test collection of the emulated-board check, which publishes the agent twice and runs
/// it under QEMU on both cores: it runs alone, after the parallel test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmulatedBoardGroup
{
    public const string Name = "Emulated board";
}
