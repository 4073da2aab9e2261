using Xunit;

namespace SsdEdge.Trainer.Tests.Training;

/// <summary>
/// Tests that seed torch's process-wide generator or count live tensors. They run alone, because a
/// test in another class that builds a model at the same time would draw from the same generator.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateGroup
{
    public const string Name = "Torch global state";
}
