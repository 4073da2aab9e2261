using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Observability;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Sources.Serial;
using SsdEdge.EdgeAgent.Sources.Simulator;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

/// <summary>
/// Loads the shipped <c>edge-agent/appsettings.json</c> and the board's
/// <c>deploy/appsettings.board.json</c> and runs the agent's validators on them, which reject
/// unknown keys in every section; checks that the shipped file lists every setting.
/// </summary>
public sealed partial class SettingsFileTests
{
    private static readonly string[] Sections =
        ["Agent", "Mqtt", "Simulator", "Serial", "Alerts", "Publish", "Metrics", "Health"];

    private static string ShippedPath => Path.Combine(PeerProgram.RepositoryRoot, "edge-agent/appsettings.json");

    private static string BoardPath => Path.Combine(PeerProgram.RepositoryRoot, "deploy/appsettings.board.json");

    // A commented setting: "//" followed by "Key": or by a bracket of the serial example.
    [GeneratedRegex(@"^(\s*)// ?(?=\s*(""[A-Za-z]+""\s*:|[{}\[\]]))")]
    private static partial Regex CommentedJson();

    [Fact]
    public void ShippedFile_PassesValidation()
    {
        var failures = Validate(Load(File.ReadAllText(ShippedPath)));

        Assert.Empty(failures);
    }

    [Fact]
    public void ShippedFile_CommentedSettingsPassValidation()
    {
        var failures = Validate(Load(Uncomment(File.ReadAllText(ShippedPath))));

        Assert.Empty(failures);
    }

    [Fact]
    public void ShippedFile_ListsEverySection()
    {
        var configuration = Load(Uncomment(File.ReadAllText(ShippedPath)));

        foreach (var section in Sections)
        {
            Assert.True(configuration.GetSection(section).Exists(), $"section {section} missing");
        }
    }

    [Fact]
    public void ShippedFile_ListsExactlyTheOptionKeys()
    {
        var listed = SettingKeys(Load(Uncomment(File.ReadAllText(ShippedPath))));

        var expected = OptionKeys();

        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ShippedFile_UnknownKeyRejected()
    {
        var text = File.ReadAllText(ShippedPath);

        foreach (var section in Sections.Where(section => section != "Serial"))
        {
            var configuration = Load(text, ($"{section}:Colour", "red"));

            var failures = Validate(configuration);

            Assert.Contains(failures, failure => failure.Contains($"{section}:Colour", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void BoardFile_PassesValidation()
    {
        var failures = Validate(Load(File.ReadAllText(BoardPath), BoardModel()));

        Assert.Empty(failures);
    }

    [Fact]
    public void BoardFile_CommentedSerialExamplePassesValidation()
    {
        var failures = Validate(Load(Uncomment(File.ReadAllText(BoardPath)), BoardModel()));

        Assert.Empty(failures);
    }

    [Fact]
    public void BoardFile_UsesLocalMosquittoAndNoDemo()
    {
        var configuration = Load(File.ReadAllText(BoardPath));
        var plan = SourcePlan.From(configuration);

        Assert.Equal("/etc/ssdedge-agent/model.onnx", configuration["Agent:ModelPath"]);
        Assert.Equal("", configuration["Agent:Output"]);
        Assert.True(plan.Mqtt);
        Assert.False(plan.EmbeddedBroker);
        Assert.Equal(0, plan.SimulatorDevices);
        Assert.False(plan.Replay);
        Assert.Equal("127.0.0.1", configuration["Mqtt:Host"]);
        Assert.Equal("1883", configuration["Mqtt:Port"]);
        Assert.Equal("ssdedge-agent", configuration["Mqtt:Username"]);
        Assert.Equal("", configuration["Mqtt:Password"]);
        Assert.Equal("127.0.0.1", configuration["Publish:Host"]);
        Assert.Equal("1883", configuration["Publish:Port"]);
        Assert.Equal("ssdedge-agent", configuration["Publish:Username"]);
        Assert.Equal("", configuration["Publish:Password"]);
        Assert.Equal("/var/lib/ssdedge-agent/outbox", configuration["Publish:OutboxDirectory"]);
        Assert.Equal("9464", configuration["Metrics:Port"]);
        Assert.False(configuration.GetSection("Serial:Devices").Exists(), "the serial example is not commented");
    }

    [Fact]
    public void BoardFile_WithPasswords_PassesValidation()
    {
        var configuration = Load(
            File.ReadAllText(BoardPath),
            BoardModel(),
            ("Mqtt:Password", "from-secrets-env"),
            ("Publish:Password", "from-secrets-env"));

        var failures = Validate(configuration);

        Assert.Empty(failures);
    }

    // The board names /etc/ssdedge-agent/model.onnx, which only exists on a board.
    private static (string Key, string Value) BoardModel() =>
        ("Agent:ModelPath", Path.Combine(AppContext.BaseDirectory, "models/synthetic-demo.onnx"));

    private static string Uncomment(string text) =>
        string.Join('\n', text.Split('\n').Select(line => CommentedJson().Replace(line, "$1")));

    private static IConfigurationRoot Load(string json, params (string Key, string Value)[] overrides)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return new ConfigurationBuilder()
            .AddJsonStream(stream)
            .AddInMemoryCollection(overrides.Select(entry => KeyValuePair.Create(entry.Key, (string?)entry.Value)))
            .Build();
    }

    // The checks the agent makes before it starts: the raw check of the command-line sections,
    // then every validator registered with ValidateOnStart.
    private static List<string> Validate(IConfiguration configuration)
    {
        var failures = new List<string>();
        var raw = new AgentOptionsValidator(configuration).ValidateConfiguration();
        if (raw.Failed)
        {
            failures.AddRange(raw.Failures);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEdgeAgent(configuration, TextWriter.Null);
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
        catch (AggregateException ex)
        {
            failures.AddRange(ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(inner => inner.Failures));
        }

        return failures;
    }

    // Leaf keys of the settings sections, with the example device's index and channel list folded
    // to one key each.
    private static HashSet<string> SettingKeys(IConfiguration configuration)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            var section = key.Split(':')[0];
            if (value is null || !Sections.Contains(section))
            {
                continue;
            }

            keys.Add(Regex.Replace(key, @"^Serial:Devices:\d+:Channels:.*$", "Serial:Devices:N:Channels")
                .Replace("Serial:Devices:0:", "Serial:Devices:N:", StringComparison.Ordinal));
        }

        return keys;
    }

    // Public settable properties of each options class, and the serial device's channel list.
    private static HashSet<string> OptionKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        AddProperties(keys, AgentOptions.SectionName, typeof(AgentOptions));
        AddProperties(keys, MqttOptions.SectionName, typeof(MqttOptions));
        AddProperties(keys, SimulatorOptions.SectionName, typeof(SimulatorOptions));
        AddProperties(keys, "Serial:Devices:N", typeof(SerialDeviceOptions));
        keys.Add("Serial:Devices:N:Channels");
        AddProperties(keys, AlertOptions.SectionName, typeof(AlertOptions));
        AddProperties(keys, PublishOptions.SectionName, typeof(PublishOptions));
        AddProperties(keys, MetricsOptions.SectionName, typeof(MetricsOptions));
        AddProperties(keys, HealthOptions.SectionName, typeof(HealthOptions));
        return keys;
    }

    private static void AddProperties(HashSet<string> keys, string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                AddProperties(keys, key, property.PropertyType);
            }
            else
            {
                keys.Add(key);
            }
        }
    }
}
