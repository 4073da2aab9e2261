using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Sources.Simulator;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the edge agent's services.</summary>
public static class EdgeAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds the agent: options bound from <paramref name="configuration"/>'s <c>Agent</c>,
    /// <c>Mqtt</c> and <c>Simulator</c> sections and validated at start, the model (loaded once,
    /// when the host starts), the sources of the <see cref="SourcePlan"/> (replay, MQTT, embedded
    /// broker, simulator), the console sink writing window and alert lines to <paramref name="output"/>, the optional JSON
    /// Lines sink, and the hosted service that runs them.
    /// </summary>
    /// <remarks>
    /// Hosted services start in the order they are registered and stop in reverse: the embedded
    /// broker is registered here before <see cref="AgentService"/> and the alert publisher, so it
    /// outlives both, and the simulator's publisher after them. <see cref="SourcePlan"/> says when
    /// the embedded broker runs and which port it asks for. Sources and sinks registered by other features, before or after this call, are
    /// picked up as every <see cref="ISampleSource"/> and <see cref="IWindowSink"/>.
    /// </remarks>
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

        services.AddOptions<MqttOptions>()
            .Bind(configuration.GetSection(MqttOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>>(new MqttOptionsValidator(configuration));
        services.AddOptions<SimulatorOptions>()
            .Bind(configuration.GetSection(SimulatorOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>>(new SimulatorOptionsValidator(configuration));
        var plan = SourcePlan.From(configuration);
        services.AddSingleton(plan);

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AgentOptions>>().Value;
            return OnnxModel.Load(options.ModelPath, options.Threads);
        });
        services.AddSingleton<SignalContract>(provider => provider.GetRequiredService<OnnxModel>().Contract);

        if (plan.Replay)
        {
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
        }

        if (plan.EmbeddedBroker)
        {
            // One broker for every part without a host: the MQTT source's port when it uses the
            // broker, otherwise the publisher's.
            services.AddSingleton(provider => new EmbeddedMqttBroker(
                plan.MqttEmbedded
                    ? provider.GetRequiredService<IOptions<MqttOptions>>().Value.Port
                    : provider.GetRequiredService<IOptions<PublishOptions>>().Value.Port,
                provider.GetRequiredService<ILogger<EmbeddedMqttBroker>>()));
            services.AddHostedService(provider => provider.GetRequiredService<EmbeddedMqttBroker>());
        }

        if (plan.Mqtt)
        {
            services.AddSingleton<ISampleSource>(CreateMqttSource);
        }

        if (plan.SimulatorDevices > 0)
        {
            services.AddSingleton(provider => CreateSimulatedDevices(provider, plan));
            if (!plan.SimulatorPublishes)
            {
                services.AddSingleton<ISampleSource>(provider =>
                    new SimulatorSource(provider.GetRequiredService<SimulatedDevices>()));
            }
        }

        services.AddSingleton(provider =>
            new ConsoleWindowSink(output, provider.GetRequiredService<SignalContract>()));
        services.AddSingleton<IWindowSink>(provider => provider.GetRequiredService<ConsoleWindowSink>());
        services.AddSingleton<IAlertObserver>(provider => provider.GetRequiredService<ConsoleWindowSink>());
        services.AddSingleton<IWindowSink>(provider =>
            CreateOutputSink(provider.GetRequiredService<IOptions<AgentOptions>>().Value.Output, configuration));

        services.AddSerialSources(configuration);
        services.AddAlerting(configuration);
        // The demo: only simulated devices, so the alert policy and hop suit the bundled model.
        if (plan.SimulatedOnly && !configuration.GetSection(AlertOptions.SectionName).GetChildren().Any())
        {
            services.PostConfigure<AlertOptions>(AlertOptions.ApplyDemoPolicy);
        }

        if (plan.SimulatedOnly && string.IsNullOrEmpty(configuration[AgentSetting.HopSeconds.Key]))
        {
            services.PostConfigure<AgentOptions>(options => options.HopSeconds = AlertOptions.DemoHopSeconds);
        }

        services.AddHostedService<AgentService>();
        if (plan.SimulatorPublishes)
        {
            services.AddHostedService(provider => new SimulatorPublisher(
                provider.GetRequiredService<SimulatedDevices>(),
                provider.GetRequiredService<EmbeddedMqttBroker>(),
                TopicFilterOf(provider),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<SimulatorPublisher>>())
            {
                SubscriberReady = provider.GetServices<ISampleSource>().OfType<MqttSampleSource>().FirstOrDefault()
                    is { } source
                    ? () => source.IsSubscribed
                    : null,
            });
        }

        services.AddHostedService<SsdEdge.EdgeAgent.Deployment.SystemdWatchdogService>();
        return services;
    }

    /// <summary>Returns the rate, in Hz, that a setting of 0 stands for: the model's input rate.</summary>
    public static double ModelInputRate(SignalContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Channels[0].InputRateHz;
    }

    private static MqttSampleSource CreateMqttSource(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<MqttOptions>>().Value;
        var contract = provider.GetRequiredService<SignalContract>();
        Func<CancellationToken, Task<(string Host, int Port)>> resolveBroker = string.IsNullOrEmpty(options.Host)
            ? provider.GetRequiredService<EmbeddedMqttBroker>().GetEndpointAsync
            : _ => Task.FromResult((options.Host, options.Port));
        return new MqttSampleSource(
            options,
            contract.Channels.Select(channel => channel.Name).ToArray(),
            options.RateHz > 0 ? options.RateHz : ModelInputRate(contract),
            resolveBroker,
            provider.GetRequiredService<IngestCounters>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<MqttSampleSource>>());
    }

    private static SimulatedDevices CreateSimulatedDevices(IServiceProvider provider, SourcePlan plan)
    {
        var options = provider.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        var agent = provider.GetRequiredService<IOptions<AgentOptions>>().Value;
        var contract = provider.GetRequiredService<SignalContract>();
        var planned = new SimulatorOptions
        {
            Devices = plan.SimulatorDevices,
            Seed = options.Seed,
            Speed = options.Speed,
            RateHz = options.RateHz,
        };
        return new SimulatedDevices(
            planned,
            contract.Channels.Select(channel => channel.Name).ToArray(),
            options.RateHz > 0 ? options.RateHz : ModelInputRate(contract),
            agent.BlockSeconds,
            provider.GetRequiredService<TimeProvider>());
    }

    private static DeviceTopicFilter TopicFilterOf(IServiceProvider provider)
    {
        var filter = provider.GetRequiredService<IOptions<MqttOptions>>().Value.TopicFilter;
        return DeviceTopicFilter.TryParse(filter, out var problem)
            ?? throw new InvalidOperationException($"Topic filter '{filter}' is invalid: {problem}.");
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
