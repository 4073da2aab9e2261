using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

public sealed class EdgeAgentServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AddEdgeAgent_OutputCannotBeCreated_ThrowsValidationError()
    {
        var model = TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract());

        // Longer than any file system allows for one name, so creating it fails in an existing folder.
        var output = _directory.File(new string('w', 300) + ".jsonl");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Agent:ModelPath"] = model,
                ["Agent:Replay"] = "synthetic:1",
                ["Agent:Output"] = output,
                ["Publish:OutboxDirectory"] = _directory.File("outbox"),
                ["Metrics:Port"] = "0",
            })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddEdgeAgent(configuration, TextWriter.Null);

        // Without the validator the sink is the first to try the file, as after a change between
        // validation and start.
        services.RemoveAll<IValidateOptions<AgentOptions>>();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetServices<IWindowSink>().ToList());

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith(
            $"Agent:Output (--output) = '{output}': the file cannot be opened for writing",
            failure,
            StringComparison.Ordinal);
    }
}
