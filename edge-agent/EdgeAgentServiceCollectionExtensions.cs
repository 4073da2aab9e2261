using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Sources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the edge agent's services.</summary>
public static class EdgeAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds the agent: options bound from <paramref name="configuration"/>'s <c>Agent</c> section and
    /// validated at start, the model (loaded once, when the host starts), the replay source, the
    /// console sink writing to <paramref name="output"/>, the optional JSON Lines sink, and the
    /// hosted service that runs them.
    /// </summary>
    public static IServiceCollection AddEdgeAgent(
        this IServiceCollection services,
        IConfiguration configuration,
        TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(output);

        services.AddOptions<AgentOptions>()
            .Bind(configuration.GetSection(AgentOptions.SectionName))
            .PostConfigure(options => options.ModelPath = ResolveBesideProgram(options.ModelPath))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>>(new AgentOptionsValidator(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentCompletion>();
        services.TryAddSingleton<IngestCounters>();

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AgentOptions>>().Value;
            return OnnxModel.Load(options.ModelPath, options.Threads);
        });
        services.AddSingleton<SignalContract>(provider => provider.GetRequiredService<OnnxModel>().Contract);

        services.AddSingleton<ISampleSource>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AgentOptions>>().Value;
            var contract = provider.GetRequiredService<SignalContract>();
            return new ReplaySource(
                options.Replay,
                contract.Channels.Select(channel => channel.Name).ToArray(),
                new ReplayPacing(options.Speed, options.BlockSeconds),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<ReplaySource>>());
        });

        services.AddSingleton<IWindowSink>(provider =>
            new ConsoleWindowSink(output, provider.GetRequiredService<SignalContract>()));
        services.AddSingleton<IWindowSink>(provider =>
            CreateOutputSink(provider.GetRequiredService<IOptions<AgentOptions>>().Value.Output, configuration));

        services.AddHostedService<AgentService>();
        services.AddHostedService<SsdEdge.EdgeAgent.Deployment.SystemdWatchdogService>();
        return services;
    }

    // The validator opened the file already; this catches a folder that changed in between, as a
    // setting error rather than an unhandled exception.
    private static IWindowSink CreateOutputSink(string? path, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return NullWindowSink.Instance;
        }

        try
        {
            return new JsonLinesWindowSink(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(
                AgentOptions.SectionName,
                typeof(AgentOptions),
                [AgentOptionsValidator.OutputNotWritable(path, ex, configuration)]);
        }
    }

    // A relative model path that does not exist from the working directory is looked up beside the
    // program, so the bundled demo model is found wherever the agent is started from.
    private static string ResolveBesideProgram(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path) || File.Exists(path))
        {
            return path;
        }

        var besideProgram = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(besideProgram) ? besideProgram : path;
    }
}
