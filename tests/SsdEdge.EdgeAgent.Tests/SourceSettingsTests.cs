using Microsoft.Extensions.Configuration;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Sources.Simulator;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Preprocessing;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>Start-up checks of the MQTT and simulator settings and of the source plan.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class SourceSettingsTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Mqtt_BadPort_NamesSettingAndRange(int port)
    {
        var failure = Assert.Single(new MqttOptionsValidator().Validate(null, new MqttOptions { Port = port }).Failures!);

        Assert.StartsWith($"Mqtt:Port (--mqtt-port) = {port} is invalid; use a TCP port from 1 to 65535", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Mqtt_PortZeroWithExternalBroker_Fails()
    {
        var options = new MqttOptions { Host = "broker.local", Port = 0 };

        Assert.Single(new MqttOptionsValidator().Validate(null, options).Failures!);
    }

    [Fact]
    public void Mqtt_BadTopicFilter_NamesProblem()
    {
        var options = new MqttOptions { TopicFilter = "sensors/#" };

        var failure = Assert.Single(new MqttOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith("Mqtt:TopicFilter (--mqtt-topic) = 'sensors/#' is invalid: '#' is not accepted", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Mqtt_MissingCaFile_NamesSettingAndPath()
    {
        var options = new MqttOptions { UseTls = true, CaFile = "/nonexistent/ca.pem" };

        var failure = Assert.Single(new MqttOptionsValidator().Validate(null, options).Failures!);

        Assert.Contains("--mqtt-ca-file", failure, StringComparison.Ordinal);
        Assert.Contains("'/nonexistent/ca.pem' was not found", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Mqtt_CaFileWithoutTls_Fails()
    {
        var caFile = Path.GetTempFileName();
        try
        {
            var options = new MqttOptions { CaFile = caFile };

            var failure = Assert.Single(new MqttOptionsValidator().Validate(null, options).Failures!);

            Assert.Contains("--mqtt-tls", failure, StringComparison.Ordinal);
            Assert.Contains("is false", failure, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Fact]
    public void Mqtt_PasswordWithoutUser_NeverShowsPassword()
    {
        var options = new MqttOptions { Password = "s3cret-value" };

        var failure = Assert.Single(new MqttOptionsValidator().Validate(null, options).Failures!);

        Assert.Contains("Mqtt:Password", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulator_DevicesBeyondLimit_Fails()
    {
        var failure = Assert.Single(new SimulatorOptionsValidator().Validate(null, new SimulatorOptions { Devices = 65 }).Failures!);

        Assert.StartsWith("Simulator:Devices (--simulator-devices) = 65 is invalid; use 0 to 64 devices", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Contract_MqttRateBelowTwiceCutoff_NamesSetting()
    {
        var contract = LowPassContract(cutoffHz: 40);
        var plan = new SourcePlan(Replay: false, Mqtt: true, MqttEmbedded: false, SimulatorDevices: 0);

        var result = AgentOptionsValidator.ValidateSourcesAgainstContract(
            plan, new MqttOptions { RateHz = 64 }, new SimulatorOptions(), contract, sourceCount: 1);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Mqtt:RateHz (--mqtt-rate) = 64 does not suit the model:", failure, StringComparison.Ordinal);
        Assert.Contains("64 Hz", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Contract_SimulatorLacksChannel_NamesChannel()
    {
        var contract = TestModels.EdaContract() with
        {
            Channels = [new ContractChannel("gsr", Signals.ChannelKind.Eda, "uS", 512)],
        };
        var plan = new SourcePlan(Replay: false, Mqtt: false, MqttEmbedded: false, SimulatorDevices: 1);

        var result = AgentOptionsValidator.ValidateSourcesAgainstContract(
            plan, new MqttOptions(), new SimulatorOptions(), contract, sourceCount: 1);

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("gsr", failure, StringComparison.Ordinal);
        Assert.StartsWith("Simulator:Devices (--simulator-devices) = 1", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Contract_NoSource_Fails()
    {
        var plan = new SourcePlan(Replay: false, Mqtt: false, MqttEmbedded: false, SimulatorDevices: 0);

        var result = AgentOptionsValidator.ValidateSourcesAgainstContract(
            plan, new MqttOptions(), new SimulatorOptions(), TestModels.EdaContract(), sourceCount: 0);

        Assert.StartsWith("No sample source is configured", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], true, true, 1)]
    [InlineData(new[] { "Agent:Replay=x.csv" }, false, true, 0)]
    [InlineData(new[] { "Agent:Replay=x.csv", "Publish:Enabled=false" }, false, false, 0)]
    [InlineData(new[] { "Agent:Replay=x.csv", "Publish:Host=broker.local" }, false, false, 0)]
    [InlineData(new[] { "Mqtt:Host=broker.local" }, true, true, 0)]
    [InlineData(new[] { "Mqtt:Host=broker.local", "Publish:Host=broker.local" }, true, false, 0)]
    [InlineData(new[] { "Mqtt:Enabled=false", "Simulator:Devices=2" }, false, true, 2)]
    [InlineData(new[] { "Mqtt:Enabled=false", "Publish:Enabled=false", "Simulator:Devices=2" }, false, false, 2)]
    [InlineData(new[] { "Agent:Replay=x.csv", "Mqtt:Enabled=true" }, true, true, 0)]
    public void Plan_FromSettings_ChoosesSources(string[] settings, bool mqtt, bool embedded, int devices)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => setting.Split('=')).ToDictionary(pair => pair[0], pair => (string?)pair[1]))
            .Build();

        var plan = SourcePlan.From(configuration);

        Assert.Equal(mqtt, plan.Mqtt);
        Assert.Equal(embedded, plan.EmbeddedBroker);
        Assert.Equal(devices, plan.SimulatorDevices);
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "Mqtt:Host=broker.local" }, false)]
    [InlineData(new[] { "Mqtt:Enabled=false", "Simulator:Devices=2" }, false)]
    public void Plan_FromSettings_SimulatorPublishesOnlyToIngestBroker(string[] settings, bool publishes)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => setting.Split('=')).ToDictionary(pair => pair[0], pair => (string?)pair[1]))
            .Build();

        var plan = SourcePlan.From(configuration);

        Assert.Equal(publishes, plan.SimulatorPublishes);
    }

    [Fact]
    public async Task RunAsync_UnknownMqttKey_HidesSecretValue()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--Mqtt:Pasword=hunter2"]), output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.Contains("Mqtt:Pasword", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PortNotANumber_NamesSetting()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentProgram.RunAsync(
            TestState.Args(["--mqtt-port", "mqtt"]), output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidSettings, exitCode);
        Assert.StartsWith(
            "ssdedge-agent: Mqtt:Port (--mqtt-port) = 'mqtt' is not a whole number", error.ToString(), StringComparison.Ordinal);
    }

    private static SignalContract LowPassContract(double cutoffHz) => TestModels.EdaContract() with
    {
        Preprocessing = new PreprocessingSpec { Filters = [new FilterSpec("*", FilterKind.LowPass, cutoffHz)] },
    };
}
